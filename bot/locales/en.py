"""English catalog: a full second locale, not a fallback."""

STRINGS: dict[str, str] = {
    "start": (
        "Hello! I'm studybot, here to help you prepare for the civil-service "
        "computer exams.\n"
        "Try {/quiz} for a question, or look a term up with {/term} hypervisor.\n"
        "{/help} lists every command."
    ),
    "help_title": "**studybot commands**",
    "help_cmd_start": "{/start} — what studybot does",
    "help_cmd_help": "{/help} — this help ({/help review} tells more about reviews)",
    "help_cmd_quiz": "{/quiz} — post a question now ({/quiz} hypervisor asks about that term)",
    "help_cmd_answer": "{/answer} 3 — answer the open question (a bare number works too)",
    "help_cmd_reveal": "{/reveal} — close the question and show the answer and explanation (whoever asked, or an instructor)",
    "help_cmd_term": "{/term} query — look a term up (Korean, English, abbreviations, initial consonants)",
    "help_cmd_top": "{/top} — leaderboard ({/top today}, {/top week}, {/top month}, {/top all})",
    "help_cmd_me": "{/me} — your points, accuracy, rank and streak",
    "help_cmd_review": "{/review} — your review deck (in a private chat)",
    "help_cmd_contest": "{/contest} 10 — a 10-question contest ({/contest} 10 30 for 30 s each, {/contest stop})",
    "help_cmd_lang": "{/lang} ko — 한국어로 바꾸기 ({/lang} en to come back)",
    "help_bank": "Study material: {subjects} · pick by subject or chapter (e.g. {/quiz} 정보보호론, {/quiz} 운영체제)",
    "help_bank_subject": "{name}, {count} chapters",
    "help_instructors": "**For instructors**",
    "help_cmd_daily": "{/daily on} — the daily question ({/daily time} 08:30, {/daily close} 22:00, {/daily topics} 가상화, {/daily off})",
    "help_cmd_announce": "{/announce} text — announce ({/announce} 2026-12-01 09:00 text to schedule, {/announce list}, {/announce cancel} number, {/announce all} text)",
    "help_cmd_instructor": "{/instructor add} @name — make someone an instructor (admins only)",
    "help_other_names": "The Korean names work too: {names}",
    "help_scoring": (
        "**Scoring**\n"
        "A correct answer to the daily question or a {/quiz} earns {points} points, a wrong one 0. "
        "You can answer each question once and your first answer counts. Equal points share "
        "a rank. Answering daily questions right in a row earns a 🔥 streak, but the board "
        "ranks by points alone. Contest points reward speed (500 to 1000) and count only in "
        "the contest's standings."
    ),
    "unknown_command": "I don't know the command /{name}.\n{/help} lists every command.",
    "unknown_command_hint": "I don't know the command /{name}.\nDid you mean {suggestion}?",
    "too_long": "That's too long. Please keep it within {max} characters.",
    # Authoring, suggestions and the review queue (bot/handlers/authoring.py, suggestions.py)
    "help_cmd_addq": "{/addq} — add a question (instructors): the question, options ①–⑤, '정답: ③' and '해설: …' lines in one message",
    "help_cmd_suggest": "{/suggest} — suggest a question (the same form; an instructor reviews it)",
    "help_cmd_queue": "{/queue} — suggestions to review (instructors): {/queue approve} N, {/queue edit} N, {/queue reject} N",
    "help_cmd_qset": "{/qset} — this group's questions · {/qset share} — share them with the other groups you teach · {/qset drafts} — an uploaded file's drafts · {/qset export} — the set as a file (instructors)",
    "action_addq": "add questions",
    "action_queue": "review suggestions",
    "action_qset_share": "share questions",
    "addq_usage": "Send the question in one message, for example:\n{/addq} Which hypervisor runs directly on the hardware?\n① Type-1\n② Type-2\n정답: ①\n해설: Type-1 runs on the hardware without a host OS.\n주제: 가상화",
    "suggest_usage": "Send the question you suggest in one message, for example:\n{/suggest} Which hypervisor runs directly on the hardware?\n① Type-1\n② Type-2\n정답: ①\n해설: Type-1 runs on the hardware without a host OS.",
    "draft_problems": "It can't be saved like this. To fix:",
    "draft_typed": "Here is what you sent; correct it and send it again:",
    "draft_unread": "• A line fits nowhere: {line}",
    "draft_no_stem": "• There is no question. Write it on the first line.",
    "draft_stem_long": "• The question has {length} characters; a quiz poll takes {max}.",
    "draft_option_count": "• There are {count} options; write between {min} and {max}.",
    "draft_option_long": "• Option {number} has {length} characters; an option takes {max}.",
    "draft_option_twice": "• The same option appears twice: {option}",
    "draft_answer_unread": "• The answer can't be read ({answer}). Give option numbers, like '정답: ③'.",
    "draft_no_answer": "• There is no answer. Add a line like '정답: ③'.",
    "draft_answer_range": "• Answer {answer} is not an option; the options are 1 to {count}.",
    "draft_answer_twice": "• The same answer is written twice.",
    "draft_no_explanation": "• The 해설 is empty. Add a '해설: …' line.",
    "draft_explanation_long": "• The 해설 has {length} characters; keep it within {max}.",
    "draft_topics_many": "• A question takes at most {max} topics.",
    "draft_topic_long": "• A topic is too long ({topic}…); keep it within {max} characters.",
    "draft_flaw_giveaway": "• The answer's name is in the question, so the answer shows without knowing it.",
    "draft_flaw_same_meaning": "• An option means the same as the answer, so it is right too.",
    "draft_flaw_same_fact": "• Two options are one fact turned around, so one of them must be the answer.",
    "draft_flaw_self_evident": "• The statement is true by its own wording, so the answer shows.",
    "addq_saved": "Question added ({id}). It now comes up in this group's quizzes, daily questions and contests. Try it: {/quiz} {id}",
    "suggest_private": "Please suggest questions in the group; its instructors review them.",
    "suggest_saved": "Thanks, suggestion #{number} is in. You'll hear when an instructor has reviewed it.",
    "queue_empty": "No suggestions to review.",
    "queue_header": "{total} suggestions to review. Tap a button, or send {/queue approve} N, {/queue edit} N or {/queue reject} N.",
    "queue_item": "Suggestion #{number} · {name}",
    "queue_more": "The other {count} will show once these are done.",
    "queue_usage": "Say approve, edit or reject and the suggestion's number, for example {/queue approve} 3",
    "queue_stale": "That suggestion was already handled or is not this group's. Nothing changed.",
    "queue_approved": "Suggestion #{number}: approved. It is now a question ({id}).",
    "queue_edited": "Suggestion #{number}: edited and approved. It is now a question ({id}).",
    "queue_rejected": "Suggestion #{number}: rejected.",
    "queue_edit_prompt": "Correct the text below and send it back with the command on its first line:",
    "queue_told_approved": "{name}, your suggested question (#{number}) was approved. Thank you!",
    "queue_told_edited": "{name}, your suggested question (#{number}) was approved with a few changes. Thank you!",
    "queue_told_rejected": "{name}, your suggested question (#{number}) won't be used this time. Keep them coming!",
    "button_approve": "Approve",
    "button_edit": "Edit",
    "button_reject": "Reject",
    "button_term_full": "More",
    "qset_summary": "This group has {live} questions of its own and {pending} suggestions waiting.",
    "qset_line": "{id} · {stem}",
    "qset_share_none": "You teach no other group. Once you're an instructor there too, you can share.",
    "qset_shared": "This group's questions are now shared with {count} other groups, new ones included.",
    "qset_usage": "{/qset} lists the questions; {/qset share} shares them; {/qset drafts} shows an uploaded file's drafts, {/qset publish} publishes them, {/qset drop} N drops one; {/qset export} sends the set as a file.",
    "qset_no_such_drafts": "No draft has that number. See the drafts: {/qset drafts}",
    "qset_drafts_none": "No drafts are waiting. Send a CSV or notes (.md) file in a private chat to make some.",
    "qset_drafts": "{count} drafts:",
    "qset_published": "Published {count} drafts. They now join this group's questions, the daily question and contests.",
    "qset_dropped": "Dropped {count} drafts.",
    "action_qset_export": "export the question set",
    "qset_export_none": "There is nothing to export: only published questions are exported.",
    "qset_exported": "Here are {count} questions as {name}. Put it in content/ to make them bundled questions (check with studybot content check).",
    "file_big": "That file is too big ({size} KB). Please send at most {max} KB.",
    "file_forged_picture": "That is not a picture ({name}). Please send a PNG, JPEG, GIF or WebP image.",
    "picture_how": "To give a question a picture, send it with {/addq} and the question as its caption, or with {/qset image} N.",
    "picture_attached_session": "Picture attached. Please go on answering the questions.",
    "picture_no_question": "I could not find question {id}. Please check it is one of this group's.",
    "picture_attached": "Question {id} now has a picture; it shows next time it is asked.",
    "file_private_only": "Please send question files in a private chat with the bot.",
    "file_unreadable": "I cannot read this file:",
    "file_read": "Read {good} questions; {broken} rows need fixing.",
    "file_row_bad": "• row {row} ({stem}): {why}",
    "file_notes_skipped": "{count} terms and lines of the notes that are not questions were left out.",
    "file_nothing_saved": "Nothing was saved. Please fix the file and send it again.",
    "file_saved": "Saved {count} drafts for {name} (not published yet):",
    "file_saved_more": "… and {count} more",
    "file_publish_how": "In the group, {/qset publish} publishes them all, {/qset publish} N picks some, {/qset drop} N drops one.",
    "draft_file_csv_broken": "• The CSV is broken ({reason}).",
    "draft_file_empty": "• The file is empty.",
    "draft_file_columns_missing": "• Required columns are missing: {columns}. The columns are stem, options, answer, explanation, topic, source.",
    "draft_file_rows_many": "• The file has {rows} questions; at most {max} go in at once. Please split it.",
    "draft_file_row_columns": "only {count} columns; stem, options and answer are required.",
    "draft_file_notes_none": "• I found no questions in the notes. They need 기출 blocks (**1. stem [source]**, ① options, 정답 : ③).",
    "draft_file_kind": "• I cannot read this kind of file ({name}). Please send CSV, TSV or notes (.md).",
    "draft_file_big": "• The file is too big ({size} KB). Please send at most {max} KB.",
    "draft_file_forged_image": "• Its name says question file, but it is a picture ({name}).",
    "draft_file_encoding": "• I cannot read its text ({name}). Please save it as UTF-8 (Excel: CSV UTF-8).",
    "console_file": "[file] {name}\n{path}",
    "console_file_usage": "/file PATH [caption] sends a file to the bot (e.g. /file set.csv, /file picture.png /addq …)",
    "console_file_missing": "Cannot open the file: {path}",
    "author_no_groups": "You are not an instructor in any group. Ask a group admin for {/instructor add}, then send it again.",
    "author_pick_group": "Which group is it for? Answer with a number ('cancel' to stop):",
    "author_group_line": "{n}. {name}",
    "author_group_bad": "Please answer with a number from 1 to {count}.",
    "author_for_group": "It goes to {name}.",
    "author_ask_explanation": "Send the 해설 (up to {max} characters).",
    "author_ask_topic": "Send a topic (e.g. 가상화), or 'none'.",
    "author_cancelled": "Stopped; nothing was saved.",
    "author_lost_group": "You are no longer an instructor of that group, so nothing was saved.",
    "term_usage": "Please add the term to look up, e.g. {/term} hypervisor",
    "term_gone": "That term is no longer in the material. Send {/term} with its name to look it up again.",
    "term_not_found": (
        "'{query}' is not in the study material yet. The material covers:\n"
        "{coverage}\n"
        "To add material, the operator turns notes into a chapter file with "
        "studybot content import and puts it in the content folder (see the README)."
    ),
    "term_coverage_row": "{subject} chapter {chapter}: {title} ({terms:#term})",
    "term_coverage_more": "and {more:#more chapter}",
    "term_coverage_empty": "(no study material is loaded yet)",
    "term_suggest_one": "No exact match for '{query}'. Did you mean '{name}'?",
    "term_suggest_many": "No exact match for '{query}'. Is one of these what you're looking for?",
    "term_aliases": "Also called: {aliases}",
    "term_related": "Related: {related}",
    "term_quiz": "Practise this term: {/quiz} {name}",
    "term_more": "{count} more facts in the full card: {/term} {name} full",
    "quiz_header": "Question #{post_id}",
    "past_exam_source": "past exam, {source}",
    "daily_header": "Question of the day #{post_id}",
    "contest_header": "Contest question {index} of {total}",
    "quiz_how_to_answer": "Answer: send the number or {/answer} number · closes {time}",
    "contest_how_to_answer": "Answer: send the number or {/answer} number · closes in {time} s",
    "quiz_open_exists": (
        "Question #{post_id} is still open. Answer it first, or close it with {/reveal}."
    ),
    "quiz_not_found": "No question matches '{query}'. Try {/term} {query} first.",
    "quiz_empty": "There are no questions to post. Please ask an admin to check the content.",
    "answer_usage": "Please add the option number, e.g. {/answer} 3\nTo close the question and see the answer, send {/reveal}.",
    "answer_received": "Got {name}'s answer.",
    "answer_correct": "Correct! +{points} points",
    "answer_wrong": "Not quite. The answer is option {correct}.",
    "answer_explanation": "Explanation: {explanation}",
    "answer_duplicate": (
        "{name}, you already answered this question with option {option}. "
        "Only the first answer counts."
    ),
    "answer_closed": "This question is already closed. Use {/quiz} for a new one.",
    "answer_foreign": "That question belongs to another chat, so it can't be answered here.",
    "answer_out_of_range": "The options run from 1 to {count}. Please pick one of those.",
    "answer_unknown": "I can't find that question. The button may be old or invalid.",
    "answer_no_open": "There is no open question right now. Use {/quiz} to get one.",
    "reveal_title": "Closed! Question #{post_id}",
    "reveal_answer": "Answer: {answer}",
    "reveal_stats": "{answered} answered · {rate}% correct",
    "reveal_first": "First to get it right: {name}",
    "reveal_nobody_right": "Nobody got it right.",
    "reveal_nobody": "Nobody answered.",
    "reveal_none": "There is no open question to close.",
    "reveal_not_allowed": "Only the person who asked it or an instructor can close this question. The answer is revealed automatically at {time}.",
    "top_row": "#{rank} {name} — {points} pts",
    "top_caller": "You: #{rank} {name} — {points} pts",
    "top_empty": "No points yet. Start with {/quiz}!",
    "me_title": "{name}'s record",
    "me_body": (
        "{points} points · #{rank} of {players}\n"
        "{answered} answered · {correct} correct · {rate}% accuracy\n"
        "Daily streak: {streak:#day}"
    ),
    "me_none": (
        "{name}, you have no rank yet. Answer a question correctly and you'll be ranked "
        "once its answer is revealed."
    ),
    "me_body_unranked": (
        "{points} points · no rank yet ({players} ranked)\n"
        "{answered} answered · {correct} correct · {rate}% accuracy\n"
        "Daily streak: {streak:#day}"
    ),
    "lang_set": "I'll speak English in this chat from now on.",
    "lang_usage": "Usage: {/lang} ko or {/lang} en",
    "error": "Something went wrong while handling that. Please try again in a moment.",
    "answer_not_recorded": (
        "{name}, your answer could not be saved. A poll vote cannot change, so please "
        "send it again with {/answer} and the option number."
    ),
    "console_welcome": (
        "studybot console. {/help} lists the commands; /as name lets you speak as someone else. "
        "Leave with /quit or Ctrl+D."
    ),
    "console_bye": "Closing the console. See you next time!",
    "console_default_speaker": "admin",
    "console_as": "You are now speaking as {name}.",
    "console_as_usage": "Usage: /as name (e.g. /as Minsu)",
    "need_instructor": "Only instructors can {action}. Ask a group admin to make you one ({/instructor add}).",
    "action_announce": "send announcements",
    "action_daily": "change the daily question settings",
    "action_contest_stop": "stop a contest someone else started",
    "daily_status": "Daily question: {state} · {time} ({zone}) · closes {close} · topics: {topics}",
    "daily_on": "on",
    "daily_off": "off",
    "daily_all_topics": "all",
    "daily_usage": "Usage: {/daily on} · {/daily off} · {/daily time} 08:30 · {/daily close} 22:00 · {/daily topics} 가상화, 보안 · {/daily topics} all · {/daily} tz Asia/Seoul",
    "daily_enabled": "The daily question is on.",
    "daily_disabled": "The daily question is off. Send {/daily on} to turn it back on.",
    "daily_saved": "Settings saved.",
    "daily_bad_time": "That is not a valid time: {value}\nUse 24-hour HH:MM, e.g. {/daily} {action} {example}",
    "daily_bad_zone": "Unknown time zone: {value}\nFor example: {/daily} tz Asia/Seoul",
    "daily_bad_topics": "Unknown topic: {unknown}\nTopics you can choose: {known}",
    "top_usage": "Usage: {/top} · {/top today} · {/top week} · {/top month} · {/top all}",
    "top_title_today": "Today's leaderboard",
    "top_title_week": "This week's leaderboard",
    "top_title_month": "This month's leaderboard",
    "top_title_all": "All-time leaderboard",
    "streak_badge": "🔥{days}-day streak",
    "contest_started": "The contest begins! {total} questions, {seconds} seconds each. The faster you answer, the more you score (500 to 1000 points per correct answer).",
    "contest_round": "Answer: {answer}",
    "contest_standing": "#{rank} {name} {points} pts",
    "contest_podium_title": "🏆 Contest results",
    "contest_podium_row": "{medal} {name} — {points} pts ({correct} correct)",
    "contest_nobody": "Nobody scored any points.",
    "contest_none": "There is no contest running.",
    "contest_usage": "Usage: {/contest} 10 (10 questions, 20 s each) · {/contest} 10 30 (30 s each) · {/contest stop}",
    "contest_bad_count": "Please choose between {low} and {high} questions.",
    "contest_bad_seconds": "Please choose between {low} and {high} seconds per question.",
    "contest_running": "A contest is already running. Start another when it ends, or stop it with {/contest stop}.",
    "quiz_contest_running": "A contest is running, so {/quiz} is paused until it ends.",
    "announce_title": "📢 Announcement",
    "announce_author": "— {name}",
    "announce_usage": "Please add the announcement text, e.g. {/announce} Study starts at 8 today\nSchedule: {/announce} 2026-12-01 09:00 text · list: {/announce list} · cancel: {/announce cancel} number · every chat you instruct: {/announce all} text",
    "announce_bad_when": "That date or time is not valid: {value}\nNothing was sent. Write it like this: {/announce} 09:00 text (today) · {/announce} tomorrow 09:00 text · {/announce} 12-31 09:00 text · {/announce} 2026-12-31 09:00 text",
    "announce_past": "That time has already passed. Please give a date and time in the future.",
    "announce_sent": "Announcement sent ({chats:#chat}).",
    "announce_scheduled": "Announcement #{id} scheduled for {when} ({chats:#chat}). Cancel: {/announce cancel} {id}",
    "announce_none": "No announcements are scheduled.",
    "announce_list_title": "Scheduled announcements",
    "announce_list_row": "#{id} · {when} · {chats:#chat} · {preview}",
    "announce_cancel_usage": "Please add the announcement number, e.g. {/announce cancel} 3",
    "announce_not_here": "No announcement #{id} was scheduled from this chat. Check {/announce list}.",
    "announce_already_done": "Announcement #{id} was already sent or cancelled.",
    "announce_cancelled": "Announcement #{id} is cancelled.",
    "instructor_none": "No instructors yet. Group admins are instructors without being added, and can add others with {/instructor add} @name.",
    "instructor_admin": "admin",
    "instructor_list": "Instructors here: {names}",
    "instructor_usage": "Usage: {/instructor} (list) · {/instructor add} @name · {/instructor remove} @name (or send it as a reply to their message)",
    "instructor_admin_only": "Only group admins can add or remove instructors.",
    "instructor_who": "Who do you mean? Send it as a reply to their message, or add @name.",
    "instructor_added": "{name} is now an instructor.",
    "instructor_already": "{name} is already an instructor.",
    "instructor_removed": "{name} is no longer an instructor.",
    "instructor_not_one": "{name} is not an instructor here.",
    "console_wait_usage": "Usage: /wait seconds (waits 1 to {max} seconds while scheduled posts arrive)",
    "reveal_next": "Right after: {names}",
    "reveal_contest": "Contest questions close on their own: the answer comes in {seconds} s, then the next question. To end the contest, send {/contest stop}.",
    "contest_quiz_open": "Question #{post_id} is still open, so a contest can't start yet. Close it with {/reveal} first, then start the contest.",
    "announce_past_today": "{time} has already passed today. To send it tomorrow, write {/announce} tomorrow {time} text.",
    "action_announce_list": "see scheduled announcements",
    "action_announce_cancel": "cancel announcements",
    # --- the review deck -------------------------------------------------------------
    "review_header": "Review card #{number}",
    "review_how_to_answer": "Answer: send just the number or {/answer} number",
    "review_start": "Let's review. {count} cards are due now.",
    "review_done": "That's today's review done! Next review: {next}",
    "review_none_due": "Nothing to review right now. Next review: {next}",
    "review_empty": (
        "Your review deck is empty. Questions you get wrong come in by themselves, "
        "and {/review add} post-number adds one by hand."
    ),
    "review_when_today": "today at {time}, {count} cards",
    "review_when_tomorrow": "tomorrow, {count} cards",
    "review_when_days": "in {days} days, {count} cards",
    "review_when_date": "on {month}/{day}, {count} cards",
    "review_when_none": "once the open question closes",
    "review_right": "Correct!",
    "review_wrong": "Not quite.\nAnswer: {answer}",
    "review_next_card": "You'll see this one again {when}. (rated {rating})",
    "review_again_today": "today at {time}",
    "review_again_tomorrow": "tomorrow",
    "review_again_days": "in {days} days",
    "review_again_date": "on {month}/{day}",
    "review_rating_again": "Again",
    "review_rating_hard": "Hard",
    "review_rating_good": "Good",
    "review_rating_easy": "Easy",
    "review_group_due": (
        "{name}, you have {count} cards due. Reviews happen in a private chat with me: "
        "open one and send {/review}."
    ),
    "review_group_none": (
        "{name}, nothing is due right now. Reviews happen in a private chat with me, with {/review}."
    ),
    "review_private_only": (
        "{name}, your deck is shown only in a private chat. "
        "Open a private chat with me and send {/review list}."
    ),
    "review_list_title": "Your review deck: {total} cards ({due} due now)",
    "review_list_row": "{number}. {stem} · {when}",
    "review_list_due": "now",
    "review_list_more": "{more} more cards not shown.",
    "review_list_hint": "{/review} to study, {/review remove} number to take one out.",
    "review_add_usage": "Give the question's post number, or send it as a reply to the question. E.g. {/review add} 12",
    "review_add_not_a_question": "That message is not a question. Pick the question's own message, or give its number.",
    "review_add_unknown": "I can't find question #{post_id}. Check the number.",
    "review_add_open": "Question #{post_id} is still open. Add it after its answer is revealed.",
    "review_added": "Added question #{post_id} to your deck as card {number}.",
    "review_add_already": "Question #{post_id} is already card {number} in your deck.",
    "review_remove_usage": "Give the card number to remove, e.g. {/review remove} 3 (numbers are in {/review list})",
    "review_remove_unknown": "There is no card {number} in your deck. See {/review list} for the numbers.",
    "review_removed": "Took card {number} out of your deck.",
    "review_retention_now": (
        "Your desired retention is {percent}%. Change it with {/review retention} 0.85 "
        "({low} to {high}%)."
    ),
    "review_retention_usage": "Give a desired retention from {low} to {high}%. E.g. {/review retention} 0.85",
    "review_retention_set": "Desired retention set to {percent}%. Your next reviews are scheduled for it.",
    "review_time_usage": "Usage: {/review time} 21:00 (a daily reminder) · {/review time off}",
    "review_time_off": "Review reminders are off.",
    "review_time_set": "Every day at {time} ({zone}) I'll remind you in a private chat when cards are due.",
    "review_time_set_no_dm": (
        "I'll remind you every day at {time} ({zone}). But you haven't opened a private chat "
        "with me yet, so I can't write to you first: open a private chat with me and send {/start}."
    ),
    "review_reminder": "{count} review cards are due. Send {/review} to start.",
    "review_usage": (
        "Usage: {/review} (study, in a private chat) · {/review list} · {/review add} post-number · "
        "{/review remove} card-number · {/review retention} 0.85 · {/review time} 21:00 · {/help review}"
    ),
    "help_review": (
        "**Review deck ({/review})**\n"
        "Every question you answer anywhere (daily, {/quiz}, contests, reviews) updates your card "
        "with FSRS. Questions you get wrong go into your deck by themselves.\n"
        "{/review} — in a private chat, the due cards one at a time\n"
        "{/review list} — your deck · {/review add} 12 — add question #12 (or reply to the question with {/review add}) · "
        "{/review remove} 3 — take out card 3 of the list\n"
        "{/review retention} 0.85 — desired retention (90% by default, {low} to {high}%)\n"
        "{/review time} 21:00 — a daily reminder when cards are due ({/review time off})\n"
        "\n"
        "**How answers are rated**\n"
        "Wrong is Again; right is Good. A right answer slower than half of the others who got "
        "the same question right is Hard, and one within the fastest quarter is Easy. With "
        "fewer than 4 others to compare with, a right answer is Good. Reviews score no points."
    ),
    "console_dm": "You are now in a private chat with the bot as {name}. /group takes you back.",
    "console_group": "Back in the group chat.",
    "daily_need_time": "Please add a time in 24-hour HH:MM, e.g. {/daily} {action} {example}",
    "daily_need_zone": "Please add a time zone, e.g. {/daily} tz Asia/Seoul",
    "daily_near_topics": "Close detailed topics: {near}",
    "daily_more_topics": "Detailed topics work too (e.g. {example})",
    "daily_need_topics": "Please add one or more topics, e.g. {/daily topics} 가상화, 보안 · back to every topic: {/daily topics} all\nTopics you can choose: {known}",
    "daily_close_before_start": "The closing time ({close}) must be later than the posting time ({start}). The daily question closes on the day it is posted, so pick a time after {start}. Nothing was changed.",
    "instructor_who_remove": "Whom should I remove? Send it as a reply to their message, or add @name.",
    "instructor_remove_admin": "{name} is a group admin, and admins are instructors by being admins. They stay one while they are an admin.",
    "instructor_unknown": "I couldn't find '{name}'. Only people who have spoken in this chat can be added. Reply to one of their messages, or type their whole name, spaces included (e.g. {/instructor add} \"Kim Jiyoung\").",
    "instructor_ambiguous": "More than one person goes by {name}.\nPlease send it as a reply to their message.",
    # /exam: timed mock exams in a private chat.
    "help_cmd_exam": "{/exam} — a timed mock exam (in a private chat; more: {/exam help})",
    "help_cmd_hard": "{/hard} — the questions most people get wrong, across every chat (add a subject or topic, e.g. {/hard} 운영체제)",
    "help_cmd_stats": "{/stats} — this chat's last 7 days and keys to check ({/stats month}: 30 days; instructors)",
    "exam_private_only": (
        "{name}, mock exams happen in a private chat with me. "
        "Open one and send: {/exam}"
    ),
    "exam_usage": (
        "Usage: {/exam} subject questions minutes · e.g. {/exam} information-security 20 30 · "
        "more: {/exam help}"
    ),
    "exam_help": (
        "**Mock exams ({/exam})**\n"
        "Sit one subject against the clock, in a private chat. By default {count} questions in "
        "{minutes} minutes, 5 points each for 100 (other lengths are scaled to 100).\n"
        "Start: {/exam} subject questions minutes (e.g. {/exam} computer-general 20 20, "
        "{/exam} information-security 10 15min)\n"
        "· 1 to {max_count} questions, {min_minutes} to {max_minutes} minutes.\n"
        "· Questions are spread evenly over the subject's topics, past exam questions first, "
        "none twice in a paper.\n"
        "· Nothing is marked before you submit; you may change an answer until then.\n"
        "While sitting: answer with a number · skip {/exam skip} · next question {/exam next} · "
        "go to a question {/exam} 3 · answer sheet {/exam status} · submit {/exam submit}\n"
        "When time is up the paper is submitted for you. The result shows the score, the time "
        "used, each topic, and every wrong question with its answer and explanation; below "
        "{mark} points is a fail (과락). Wrong questions go into your review deck ({/review}).\n"
        "Past papers: {/exam history}"
    ),
    "exam_unknown_subject": "There is no subject '{subject}'. Subjects: {subjects}",
    "exam_bad_count": (
        "A paper has {low} to {high} questions ({count} won't do). e.g. {/exam} 20"
    ),
    "exam_bad_minutes": (
        "The time limit is {low} to {high} minutes ({minutes} won't do). e.g. {/exam} 20 30"
    ),
    "exam_started": "Mock exam started: {subject}, {total} questions, {minutes} minutes (until {until})",
    "exam_fewer": "This subject has only {count} questions so far, so the paper has {count}.",
    "exam_rules": (
        "Nothing is marked before you submit, and you may change an answer until then.\n"
        "Skip: {/exam skip} · go to a question: {/exam} 3 · answer sheet: {/exam status} · "
        "submit: {/exam submit}"
    ),
    "exam_card_header": "Mock exam {slot}/{total} · {left} left",
    "exam_card_answered": "your answer {option}",
    "exam_how_to_answer": "Answer: send the number · skip: {/exam skip} · submit: {/exam submit}",
    "exam_minutes": "{minutes} min",
    "exam_seconds": "{seconds} s",
    "exam_duration": "{minutes} min {seconds} s",
    "exam_question_gone": (
        "Question {slot} has left the question bank, so I can't show it. Next: {/exam next}"
    ),
    "exam_warning": "{left} left on your mock exam. Not answered yet: {unanswered}",
    "exam_none_open": "You have no mock exam open. Start one: {/exam}",
    "exam_already_open": (
        "You already have a mock exam open, so we carry on with it instead of starting "
        "another: {subject}, {answered} of {total} answered, {left} left"
    ),
    "exam_resumed": (
        "Back to your mock exam: {subject}, {answered} of {total} answered, {left} left"
    ),
    "exam_bad_slot": "The questions are numbered 1 to {total}.",
    "exam_nothing_to_skip": (
        "There is no other question to skip to: all the others are answered. "
        "Submit: {/exam submit}"
    ),
    "exam_status_title": "Answer sheet · {answered} of {total} answered · {left} left",
    "exam_status_hint": "Go to a question: {/exam} 3 · submit: {/exam submit}",
    "exam_already_graded": "That mock exam is marked already. Past papers: {/exam history}",
    "exam_time_up": "Time is up, so no more answers are taken. Your paper was marked as it stood.",
    "exam_no_reveal": (
        "Answers stay hidden during a mock exam. "
        "Submit to see the result with every answer and explanation: {/exam submit}"
    ),
    "exam_not_yours": "That is someone else's mock exam. Start your own: {/exam}",
    "exam_answered": "Question {slot} answered: {option}",
    "exam_answer_changed": "Question {slot} changed to {option}",
    "exam_answer_same": "Question {slot} stays {option}",
    "exam_all_answered": (
        "Every question is answered. Submit: {/exam submit} · change one: {/exam} number · "
        "answer sheet: {/exam status}"
    ),
    "exam_result_title": "Mock exam result · {subject}",
    "exam_result_score": "Score: {score} ({right} of {total} right)",
    "exam_result_time": "Time used: {used} (limit {minutes} min)",
    "exam_result_time_out": "The {minutes}-minute limit ran out, so the paper was submitted for you (time used: {used}).",
    "exam_result_fail": "⚠️ Fail (과락): below {mark} points.",
    "exam_result_topics": "By topic",
    "exam_result_topic": "· {topic}: {right} right · {wrong} wrong",
    "exam_result_perfect": "All right! 🎉",
    "exam_result_deck": "{count} wrong questions are in your review deck ({added} new). Review: {/review}",
    "exam_result_deck_had": "The {count} wrong questions were in your review deck already. Review: {/review}",
    "exam_wrong_title": "Wrong questions ({part}/{parts})",
    "exam_wrong_head": "Question {slot} · {topic}",
    "exam_wrong_blank": "Your answer: none",
    "exam_wrong_mine": "Your answer: {answer}",
    "exam_wrong_answer": "Answer: {answer}",
    "exam_history_empty": "You haven't sat a mock exam yet. Start one: {/exam}",
    "exam_history_title": "Your mock exams ({total})",
    "exam_history_row": "#{id} · {when} · {subject}, {total} questions · {score} points ({right}/{total}) · {used}",
    "exam_history_open": "#{id} · {when} · {subject}, {total} questions · in progress",
    "exam_history_fail": "fail",
    "exam_history_more": "{more} earlier papers are not shown.",
    # 정답률 across every chat, /hard, /stats and the pictures (bot/handlers/stats.py)
    "reveal_overall": "Across all chats: {rate}% correct ({answered:,} answered)",
    "own_topic": "Questions made in chats",
    "hard_title": "Most-missed questions",
    "hard_title_of": "Most-missed questions · {query}",
    "hard_row": "{n}. {rate}% correct ({answered:,} answered) · {topic} — {stem}",
    "hard_footer": "Only questions at least {min} people answered; rates add up every chat's answers.",
    "hard_empty": "No question has {min} answers yet. Keep answering and they gather here.",
    "hard_not_found": "No subject or topic called '{query}'. For example: {/hard} 컴퓨터일반, {/hard} 프로세스",
    "stats_usage": "Usage: {/stats} (last 7 days) · {/stats week} · {/stats month} (last 30 days)",
    "action_stats": "see this chat's statistics",
    "stats_period_week": "last 7 days",
    "stats_period_month": "last 30 days",
    "stats_empty": "Nobody answered a closed question in this chat in the {period}.",
    "stats_title": "This chat's statistics · {period}",
    "stats_summary": "{people} people · {answers} answers · {rate}% correct",
    "stats_weak_topics": "Weakest topics: {topics}",
    "stats_missed_head": "Most missed:",
    "stats_missed_row": "• {stem} — {wrong} of {answered} got it wrong",
    "stats_flags_head": "Please check these keys (questions at least {min} people answered across all chats)",
    "stats_flag_low": "• {stem} — {rate}% correct across all chats ({answered:,} answered). Is the key {answer_key} right?",
    "stats_flag_pile": "• {stem} — {share}% of {answered:,} chose the wrong option {option}. Is the key {answer_key} right?",
    "me_picture_how": "Your progress picture comes in our private chat: open a private chat with me and send {/me} there.",
    "me_picture_sent": "Your progress picture is in our private chat.",
    "pic_me_title": "{name}'s progress",
    "pic_me_alt": "{points} points in the last 30 days{weakest}, {due} cards due, daily streak {streak} days",
    "pic_me_alt_weakest": ", weakest topic {topic} at {rate}%",
    "pic_group_title": "This chat's progress · {period}",
    "pic_group_alt": "{period}: {people} people, {answers} answers: people per day, accuracy per topic, most-missed questions",
    "pic_points_title": "Points, last 30 days",
    "pic_points_axis": "points",
    "pic_topics_title": "Accuracy per topic (weakest first)",
    "pic_deck_title": "Review deck",
    "pic_deck_due": "due",
    "pic_deck_learning": "learning",
    "pic_deck_learned": "learned",
    "pic_streak": "streak {days} days",
    "pic_empty": "Nothing yet",
    "pic_rate_label": "{rate}% ({n} answers)",
    "pic_people_title": "People who answered, per day",
    "pic_people_axis": "people",
    "pic_missed_title": "Most missed (share correct)",
    "console_picture": "[picture] {alt}\n{path}",
    # 오류신고, /reports, /fix and re-scoring (bot/handlers/reports.py, bot/features/rescore.py)
    "help_cmd_report": "{/report} N reason — report a mistake in a question (or reply to its card)",
    "help_cmd_reports": "{/reports} — open reports (instructors)",
    "help_cmd_fix": "{/fix} N answer 2 — fix this group's question: key, text, options, 해설, or retire it (instructors); a new key re-scores every answer",
    "action_reports": "see reports",
    "action_fix": "fix questions",
    "report_usage": "Send the question's number and what is wrong, for example: {/report} 12 the answer is ② not ③\nYou can also reply to the question's card.",
    "report_unknown": "I can't find question {post} in this chat. Check the number on the card (Question #12).",
    "report_no_reason": "Please say what is wrong too, for example: {/report} {post_id} option ② is right as well",
    "report_reply_unknown": "The message you replied to isn't a question card of this chat. Reply to a card or give its number: {/report} 12 reason",
    "report_too_long": "That reason is too long. Please keep it within {max} characters.",
    "report_twice": "You have already reported question #{post_id}. An instructor is looking at it.",
    "report_saved": "Thanks! Your report on question #{post_id} is in, and the instructors have been told.",
    "report_notice": "Report{where}: question #{post_id} · {name}\nReason: {reason}\nSee: {/reports}",
    "report_notice_where": " ({group})",
    "reports_empty": "No open reports.",
    "reports_header": "{count} reported questions (first reporter of each)",
    "reports_more_people": " and {count} more",
    "reports_row": "Question #{post_id} ({id}) · {name}{more}: {reason}",
    "reports_hint_own": "  Fix: {/fix} {post_id} answer 2 · Nothing wrong: {/fix} {post_id} dismiss",
    "reports_hint_bundled": "  A bundled question can't be fixed in chat: fix it in content/, and the next start re-scores it. Nothing wrong: {/fix} {post_id} dismiss",
    "fix_usage": "Send it like this:\n{/fix} N answer 2 (several: 2,3)\n{/fix} N stem new text\n{/fix} N option 3 new text\n{/fix} N explanation new text\n{/fix} N retire\n{/fix} N dismiss (close the reports only)\nN is the number on the card (Question #12) or a question id such as chat-7.",
    "fix_unknown": "I can't find a question for {target}. Check the number on the card or the id in {/qset}.",
    "fix_dismissed": "Closed {count} reports on {id}.",
    "fix_bundled": "{id} is a bundled question and can't be fixed in chat. Fix it in content/ and restart; its answers are re-scored then.",
    "fix_foreign": "{id} belongs to another group. Please fix it there.",
    "fix_option_usage": "Send the option's number (1–{count}) and its new text, for example: {/fix} 12 option 3 new text",
    "fix_already_retired": "{id} is retired already.",
    "fix_same": "The answer to {id} is {answer} already{ro}. Nothing changed.",
    "fix_out_of_range": "{id} has {count} options. Use a number from 1 to {count}.",
    "fix_retired": "Retired {id}: it won't be asked again. Past scores stay as they are.",
    "fix_text_done": "Fixed {id}. The answer is the same, so no score changes.",
    "fix_key_done": "The answer to {id} is now {new} (was {old}){ro}. Re-scored {count} answers.",
    "rescore_notice": "The answer to question {posts} changed from {old} to {new}{ro}, so scores were recalculated.",
}
