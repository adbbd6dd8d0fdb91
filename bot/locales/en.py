"""English catalog: a full second locale, not a fallback."""

STRINGS: dict[str, str] = {
    "start": (
        "Hello! I'm studybot, here to help you prepare for the civil-service "
        "computer exams.\n"
        "Try /quiz for a question, or look a term up with /term hypervisor.\n"
        "/help lists every command."
    ),
    "help": (
        "**studybot commands**\n"
        "/quiz — post a question now (/quiz hypervisor asks about that term)\n"
        "/answer 3 — answer the open question (a bare number works too)\n"
        "/reveal — close the question and show the answer and explanation "
        "(whoever asked, or an admin)\n"
        "/term query — look a term up (Korean, English, abbreviations, initial consonants)\n"
        "/top — this chat's leaderboard\n"
        "/me — your points, accuracy and rank\n"
        "/lang ko — 한국어로 바꾸기 (/lang en to come back)\n"
        "\n"
        "**Scoring**\n"
        "A correct answer earns {points} points, a wrong one 0. You can answer each question "
        "once and your first answer counts. Equal points share a rank."
    ),
    "unknown_command": "I don't know the command /{name}.\n/help lists every command.",
    "unknown_command_hint": "I don't know the command /{name}.\nDid you mean /{suggestion}?",
    "too_long": "That's too long. Please keep it within {max} characters.",
    "term_usage": "Please add the term to look up, e.g. /term hypervisor",
    "term_not_found": "I couldn't find a term for '{query}'. Try another spelling or spacing.",
    "term_suggest_one": "No exact match for '{query}'. Did you mean '{name}'?",
    "term_suggest_many": "No exact match for '{query}'. Is one of these what you're looking for?",
    "term_aliases": "Also called: {aliases}",
    "term_related": "Related: {related}",
    "term_added": "(added fact, not in the source notes)",
    "term_quiz": "Practise this term: /quiz {name}",
    "quiz_header": "Question #{post_id}",
    "quiz_header_past": "Question #{post_id} · past exam, {source}",
    "quiz_how_to_answer": "Answer: send the number or /answer number · closes {time}",
    "quiz_open_exists": (
        "Question #{post_id} is still open. Answer it first, or close it with /reveal."
    ),
    "quiz_not_found": "No question matches '{query}'. Try /term {query} first.",
    "quiz_empty": "There are no questions to post. Please ask an admin to check the content.",
    "answer_usage": "Please add the option number, e.g. /answer 3",
    "answer_received": "Got {name}'s answer.",
    "answer_correct": "Correct! +{points} points",
    "answer_wrong": "Not quite. The answer is option {correct}.",
    "answer_explanation": "Explanation: {explanation}",
    "answer_duplicate": (
        "{name}, you already answered this question with option {option}. "
        "Only the first answer counts."
    ),
    "answer_closed": "This question is already closed. Use /quiz for a new one.",
    "answer_foreign": "That question belongs to another chat, so it can't be answered here.",
    "answer_out_of_range": "The options run from 1 to {count}. Please pick one of those.",
    "answer_unknown": "I can't find that question. The button may be old or invalid.",
    "answer_no_open": "There is no open question right now. Use /quiz to get one.",
    "reveal_title": "Closed! Question #{post_id}",
    "reveal_answer": "Answer: {answer}",
    "reveal_stats": "{answered} answered · {rate}% correct",
    "reveal_first": "First to get it right: {names}",
    "reveal_nobody_right": "Nobody got it right.",
    "reveal_nobody": "Nobody answered.",
    "reveal_none": "There is no open question to close.",
    "reveal_not_allowed": (
        "Only whoever asked the question or a chat admin can close it. "
        "The answer is revealed automatically at {time}."
    ),
    "top_title": "Leaderboard",
    "top_row": "#{rank} {name} — {points} pts",
    "top_caller": "You: #{rank} {name} — {points} pts",
    "top_empty": "No points yet. Start with /quiz!",
    "me_title": "{name}'s record",
    "me_body": (
        "{points} points · #{rank} of {players}\n"
        "{answered} answered · {correct} correct · {rate}% accuracy"
    ),
    "me_none": "{name}, you haven't answered anything in this chat yet. Start with /quiz!",
    "lang_set": "I'll speak English in this chat from now on.",
    "lang_usage": "Usage: /lang ko or /lang en",
    "error": "Something went wrong while handling that. Please try again in a moment.",
    "console_welcome": (
        "studybot console. /help lists the commands; /as name lets you speak as someone else. "
        "Leave with /quit or Ctrl+D."
    ),
    "console_as": "You are now speaking as {name}.",
    "console_as_usage": "Usage: /as name (e.g. /as Minsu)",
}
