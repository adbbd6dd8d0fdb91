"""Korean catalog (the default voice: friendly, concise 해요체)."""

STRINGS: dict[str, str] = {
    "start": (
        "안녕하세요! 공무원 컴퓨터일반·정보보호론 공부를 돕는 스터디봇이에요.\n"
        "문제 풀기: {/quiz} · 용어 찾기: {/term} 하이퍼바이저\n"
        "전체 명령 보기: {/help}"
    ),
    "help_title": "**스터디봇 명령어**",
    "help_cmd_start": "{/start} — 스터디봇 소개",
    "help_cmd_help": "{/help} — 이 도움말 (복습 자세히 보기: {/help review})",
    "help_cmd_quiz": "{/quiz} — 지금 문제 하나를 내요 (용어를 붙이면 그 용어 문제. 예: {/quiz} 하이퍼바이저)",
    "help_cmd_answer": "{/answer} 3 — 열린 문제에 답해요 (숫자만 보내도 돼요)",
    "help_cmd_reveal": "{/reveal} — 문제를 마감하고 정답과 해설을 보여 줘요 (문제를 낸 사람이나 강사)",
    "help_cmd_term": "{/term} 검색어 — 용어를 찾아요 (한글, 영어, 약어, 초성 모두 돼요)",
    "help_cmd_top": "{/top} — 순위표 ({/top today}, {/top week}, {/top month}, {/top all})",
    "help_cmd_me": "{/me} — 내 점수, 정답률, 순위, 연속 정답",
    "help_cmd_review": "{/review} — 오답노트 복습 (개인 대화에서)",
    "help_cmd_contest": "{/contest} 10 — 10문제 대회를 열어요 (문제당 30초: {/contest} 10 30 · 멈추기: {/contest stop})",
    "help_cmd_lang": "{/lang} en — Switch to English (한국어로 돌아오기: {/lang} ko)",
    "help_bank": "학습 자료: {subjects} · 과목이나 단원 이름으로 골라 풀 수 있어요 (예: {/quiz} 정보보호론, {/quiz} 운영체제)",
    "help_bank_subject": "{name} {count}개 장",
    "help_instructors": "**강사용**",
    "help_cmd_daily": "{/daily on} — 매일 문제를 켜요 ({/daily time} 08:30, {/daily close} 22:00, {/daily topics} 가상화, {/daily off})",
    "help_cmd_announce": "{/announce} 내용 — 공지 (예약: {/announce} 2026-12-01 09:00 내용, {/announce list}, {/announce cancel} 번호, {/announce all} 내용)",
    "help_cmd_instructor": "{/instructor add} @이름 — 강사 지정 (관리자만)",
    "help_other_names": "영어 이름으로 보내도 돼요: {names}",
    "help_scoring": (
        "**점수 규칙**\n"
        "매일 문제와 바로 낸 문제({/quiz})는 정답 하나에 {points}점, 오답은 0점이에요. "
        "한 문제에는 한 번만 답할 수 있고 첫 답만 기록돼요. 점수가 같으면 같은 순위예요. "
        "매일 문제를 연속으로 맞히면 🔥 연속 기록이 붙지만, 순위는 점수로만 정해요. "
        "대회 점수는 빨리 맞힐수록 높고(500~1000점) 대회 순위에만 들어가요."
    ),
    "unknown_command": "모르는 명령이에요: /{name}\n전체 명령 보기: {/help}",
    "unknown_command_hint": (
        "모르는 명령이에요: /{name}\n혹시 {suggestion} 명령을 쓰려고 하셨나요?"
    ),
    "too_long": "입력이 너무 길어요. {max}자 이내로 보내 주세요.",
    # Authoring, suggestions and the review queue (bot/handlers/authoring.py, suggestions.py)
    "help_cmd_addq": "{/addq} — 문제를 추가해요 (강사): 문제, 보기 ①–⑤, '정답: ③', '해설: …' 줄을 한 메시지로",
    "help_cmd_suggest": "{/suggest} — 문제를 제안해요 (문제 추가와 같은 형식, 강사가 검토해요)",
    "help_cmd_queue": "{/queue} — 검토할 제안 보기 (강사): {/queue approve} 번호, {/queue edit} 번호, {/queue reject} 번호",
    "help_cmd_qset": "{/qset} — 우리 그룹 문제 보기 · {/qset share} — 내가 가르치는 다른 그룹과 공유 · {/qset drafts} — 올린 파일의 초안 · {/qset export} — 문제집을 파일로 받기 (강사)",
    "action_addq": "문제를 추가할",
    "action_queue": "제안을 검토할",
    "action_qset_share": "문제를 공유할",
    "addq_usage": "문제를 한 메시지로 보내 주세요. 예:\n{/addq} 하드웨어 위에서 바로 실행되는 하이퍼바이저는?\n① Type-1\n② Type-2\n정답: ①\n해설: Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.\n주제: 가상화",
    "suggest_usage": "제안할 문제를 한 메시지로 보내 주세요. 예:\n{/suggest} 하드웨어 위에서 바로 실행되는 하이퍼바이저는?\n① Type-1\n② Type-2\n정답: ①\n해설: Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.",
    "draft_problems": "이대로는 저장할 수 없어요. 고칠 점이에요:",
    "draft_typed": "보낸 내용이에요. 고쳐서 다시 보내 주세요:",
    "draft_unread": "• 어디에 속하는지 모르는 줄이 있어요: {line}",
    "draft_no_stem": "• 문제가 없어요. 첫 줄에 문제를 써 주세요.",
    "draft_stem_long": "• 문제가 {length}자예요. 퀴즈 투표에는 {max}자까지 들어가요.",
    "draft_option_count": "• 보기가 {count}개예요. {min}개에서 {max}개 사이로 써 주세요.",
    "draft_option_long": "• {number}번 보기가 {length}자예요. 보기는 {max}자까지 쓸 수 있어요.",
    "draft_option_twice": "• 같은 보기가 두 번 있어요: {option}",
    "draft_answer_unread": "• 정답을 읽지 못했어요 ({answer}). '정답: ③'처럼 보기 번호로 써 주세요.",
    "draft_no_answer": "• 정답이 없어요. '정답: ③'처럼 한 줄 써 주세요.",
    "draft_answer_range": "• 정답 {answer}번은 없는 보기예요. 보기는 1번부터 {count}번까지예요.",
    "draft_answer_twice": "• 같은 정답이 두 번 적혀 있어요.",
    "draft_no_explanation": "• 해설이 비어 있어요. '해설: …' 줄을 써 주세요.",
    "draft_explanation_long": "• 해설이 {length}자예요. {max}자 이내로 줄여 주세요.",
    "draft_topics_many": "• 주제는 {max}개까지 붙일 수 있어요.",
    "draft_topic_long": "• 주제가 너무 길어요 ({topic}…). {max}자 이내로 써 주세요.",
    "draft_flaw_giveaway": "• 정답의 이름이 문제에 그대로 나와서 풀지 않아도 답이 보여요.",
    "draft_flaw_same_meaning": "• 정답과 같은 뜻인 보기가 있어요. 그 보기도 정답이 돼요.",
    "draft_flaw_same_fact": "• 두 보기가 한 사실을 뒤집은 것이라 둘 중 하나가 정답인 게 보여요.",
    "draft_flaw_self_evident": "• 문장이 말 자체로 참이라 답이 보여요.",
    "addq_saved": "문제를 추가했어요 ({id}). 이제 이 그룹의 문제, 매일 문제, 대회에 나와요. 바로 풀어 보기: {/quiz} {id}",
    "suggest_private": "문제 제안은 그룹에서 해 주세요. 그 그룹의 강사가 검토해요.",
    "suggest_saved": "제안을 받았어요 (제안 #{number}). 강사가 검토하면 알려 드릴게요.",
    "queue_empty": "검토할 제안이 없어요.",
    "queue_header": "검토할 제안이 {total}개 있어요. 버튼을 누르거나 {/queue approve} 번호, {/queue edit} 번호, {/queue reject} 번호를 보내 주세요.",
    "queue_item": "제안 #{number} · {name}",
    "queue_more": "나머지 {count}개는 이것들을 처리한 뒤에 보여 드릴게요.",
    "queue_usage": "승인, 수정, 거절 중 하나와 제안 번호를 써 주세요. 예: {/queue approve} 3",
    "queue_stale": "이 제안은 이미 처리됐거나 이 그룹의 제안이 아니에요. 바뀐 것은 없어요.",
    "queue_approved": "제안 #{number}: 승인했어요. 이제 문제로 나와요 ({id}).",
    "queue_edited": "제안 #{number}: 고쳐서 승인했어요. 이제 문제로 나와요 ({id}).",
    "queue_rejected": "제안 #{number}: 거절했어요.",
    "queue_edit_prompt": "아래 내용을 고친 뒤, 첫 줄의 명령과 함께 그대로 보내 주세요:",
    "queue_told_approved": "{name} 님, 제안한 문제(#{number})가 승인됐어요. 고마워요!",
    "queue_told_edited": "{name} 님, 제안한 문제(#{number})가 조금 고쳐져서 승인됐어요. 고마워요!",
    "queue_told_rejected": "{name} 님, 제안한 문제(#{number})는 이번에는 싣지 않기로 했어요. 다음 제안도 기다릴게요.",
    "button_approve": "승인",
    "button_edit": "수정",
    "button_reject": "거절",
    "button_term_full": "자세히",
    "qset_summary": "이 그룹의 문제는 {live}개, 검토를 기다리는 제안은 {pending}개예요.",
    "qset_line": "{id} · {stem}",
    "qset_share_none": "함께 가르치는 다른 그룹이 없어요. 다른 그룹에서도 강사로 지정되면 공유할 수 있어요.",
    "qset_shared": "이 그룹의 문제를 다른 그룹 {count}곳과 공유했어요. 새로 추가하는 문제도 함께 나가요.",
    "qset_usage": "문제 목록은 {/qset}, 공유는 {/qset share}, 올린 파일의 초안은 {/qset drafts}, 공개는 {/qset publish}, 버리기는 {/qset drop} 번호, 파일로 받기는 {/qset export}예요.",
    "qset_no_such_drafts": "그 번호의 초안이 없어요. 초안 보기: {/qset drafts}",
    "qset_drafts_none": "검토를 기다리는 초안이 없어요. 개인 대화에서 CSV나 노트(.md) 파일을 보내면 초안이 돼요.",
    "qset_drafts": "초안이 {count}개 있어요:",
    "qset_published": "초안 {count}개를 공개했어요. 이제 이 그룹의 문제, 매일 문제, 대회에 나와요.",
    "qset_dropped": "초안 {count}개를 버렸어요.",
    "action_qset_export": "문제집을 내보낼",
    "qset_export_none": "내보낼 문제가 없어요. 공개된 문제만 내보내요.",
    "qset_exported": "문제 {count}개를 {name} 파일로 보내요. content/ 폴더에 넣으면 기본 문제가 돼요 (studybot content check로 확인하세요).",
    "file_big": "파일이 너무 커요 ({size}KB). {max}KB 이하로 보내 주세요.",
    "file_forged_picture": "그림 파일이 아니에요 ({name}). PNG, JPEG, GIF, WebP 그림을 보내 주세요.",
    "picture_how": "문제에 그림을 붙이려면 사진 설명에 '{/addq} 문제…'를 쓰거나 '{/qset image} 번호'를 써서 보내 주세요.",
    "picture_attached_session": "그림을 붙였어요. 이어서 질문에 답해 주세요.",
    "picture_no_question": "{id} 문제를 찾지 못했어요. 이 그룹의 문제 번호인지 확인해 주세요.",
    "picture_attached": "{id} 문제에 그림을 붙였어요. 다음에 나올 때 함께 보여요.",
    "file_private_only": "문제 파일은 봇과의 개인 대화에서 보내 주세요.",
    "file_unreadable": "이 파일은 읽을 수 없어요:",
    "file_read": "문제 {good}개를 읽었어요. 고칠 줄은 {broken}개예요.",
    "file_row_bad": "• {row}행 ({stem}): {why}",
    "file_notes_skipped": "노트에서 문제가 아닌 용어·줄 {count}개는 넣지 않았어요.",
    "file_nothing_saved": "저장한 문제가 없어요. 고쳐서 다시 보내 주세요.",
    "file_saved": "{name} 그룹에 초안 {count}개를 저장했어요 (아직 공개 전이에요):",
    "file_saved_more": "… 그리고 {count}개 더",
    "file_publish_how": "그룹에서 공개하세요. 모두 공개: {/qset publish} · 골라서 공개: {/qset publish} 번호 · 버리기: {/qset drop} 번호",
    "draft_file_csv_broken": "• CSV 형식이 깨져 있어요 ({reason}).",
    "draft_file_empty": "• 파일이 비어 있어요.",
    "draft_file_columns_missing": "• 꼭 있어야 할 열이 없어요: {columns}. 열은 문제, 보기, 정답, 해설, 주제, 출처 순서예요.",
    "draft_file_rows_many": "• 문제가 {rows}개예요. 한 번에 {max}개까지 올릴 수 있어요. 나눠서 보내 주세요.",
    "draft_file_row_columns": "열이 {count}개뿐이에요. 문제, 보기, 정답은 꼭 써 주세요.",
    "draft_file_notes_none": "• 노트에서 문제를 찾지 못했어요. 기출 블록(**1. 문제 [출처]**, ① 보기, 정답 : ③)이 있어야 해요.",
    "draft_file_kind": "• 읽을 수 있는 파일이 아니에요 ({name}). CSV, TSV, 노트(.md) 파일을 보내 주세요.",
    "draft_file_big": "• 파일이 너무 커요 ({size}KB). {max}KB 이하로 보내 주세요.",
    "draft_file_forged_image": "• 이름은 문제 파일인데 내용은 그림이에요 ({name}).",
    "draft_file_encoding": "• 글자를 읽을 수 없어요 ({name}). UTF-8로 저장해 주세요 (엑셀: CSV UTF-8).",
    "console_file": "[파일] {name}\n{path}",
    "console_file_usage": "/file 파일경로 [설명] — 파일을 봇에게 보내요 (예: /file 문제.csv, /file 그림.png /addq …)",
    "console_file_missing": "파일을 열 수 없어요: {path}",
    "author_no_groups": "강사로 있는 그룹이 없어요. 그룹 관리자에게 강사 지정({/instructor add})을 부탁한 뒤 다시 보내 주세요.",
    "author_pick_group": "어느 그룹에 넣을까요? 번호로 답해 주세요 (그만두려면 '취소'):",
    "author_group_line": "{n}. {name}",
    "author_group_bad": "1부터 {count}까지의 번호로 답해 주세요.",
    "author_for_group": "{name} 그룹에 넣을게요.",
    "author_ask_explanation": "해설을 보내 주세요 ({max}자 이내).",
    "author_ask_topic": "주제를 보내 주세요 (예: 가상화). 없으면 '없음'이라고 보내 주세요.",
    "author_cancelled": "문제 만들기를 그만뒀어요.",
    "author_lost_group": "그 그룹의 강사가 아니어서 저장하지 못했어요.",
    "term_usage": "찾을 용어를 함께 적어 주세요. 예: {/term} 하이퍼바이저",
    "term_gone": "그 용어는 지금 자료에 없어요. {/term} 뒤에 용어 이름을 적어 다시 찾아 주세요.",
    "term_not_found": (
        "'{query}'에 해당하는 용어는 아직 학습 자료에 없어요. 지금 자료에 있는 범위:\n"
        "{coverage}\n"
        "자료를 더하려면 운영자가 노트를 studybot content import 명령으로 장 파일로 만들어 "
        "content 폴더에 넣으면 돼요 (README의 학습 자료 항목 참고)."
    ),
    "term_suggest_one": "'{query}'에 딱 맞는 용어는 없어요. 혹시 '{name}'{particle} 찾으셨나요?",
    "term_suggest_many": "'{query}'에 딱 맞는 용어는 없어요. 혹시 이 중에 찾는 용어가 있나요?",
    "term_aliases": "다른 이름: {aliases}",
    "term_related": "관련 용어: {related}",
    "term_quiz": "이 용어 문제 풀기: {/quiz} {name}",
    "term_more": "나머지 사실 {count}개는 전체 보기에서: {/term} {name} 전체",
    "quiz_header": "문제 #{post_id}",
    "past_exam_source": "기출 {source}",
    "daily_header": "오늘의 문제 #{post_id}",
    "contest_header": "대회 문제 {index}/{total}",
    "quiz_how_to_answer": "답: 번호만 보내거나 {/answer} 번호 · 마감 {time}",
    "contest_how_to_answer": "답: 번호만 보내거나 {/answer} 번호 · {time}초 안에 답해 주세요",
    "term_coverage_row": "{subject} {chapter}장 {title} (용어 {terms}개)",
    "term_coverage_more": "그 밖에 {more}개 장",
    "term_coverage_empty": "(아직 불러온 학습 자료가 없어요)",
    "quiz_open_exists": (
        "아직 마감되지 않은 문제(#{post_id})가 있어요. 먼저 답하거나 {/reveal} 명령으로 마감해 주세요."
    ),
    "quiz_not_found": (
        "'{query}'에 맞는 문제를 찾지 못했어요. 먼저 용어를 찾아보세요: {/term} {query}"
    ),
    "quiz_empty": "낼 문제가 없어요. 학습 자료가 비어 있는지 관리자에게 확인을 부탁해 주세요.",
    "answer_usage": "답할 번호를 적어 주세요. 예: {/answer} 3\n문제를 마감하고 정답 보기: {/reveal}",
    "answer_received": "{name} 님의 답을 받았어요.",
    "answer_correct": "정답이에요! +{points}점",
    "answer_wrong": "아쉽지만 오답이에요. 정답은 {correct}번이에요.",
    "answer_explanation": "해설: {explanation}",
    "answer_duplicate": "{name} 님은 이미 이 문제에 {option}번으로 답했어요. 첫 답만 인정돼요.",
    "answer_closed": "이 문제는 이미 마감됐어요. 새 문제 받기: {/quiz}",
    "answer_foreign": "다른 방의 문제라서 여기서는 답할 수 없어요.",
    "answer_out_of_range": "보기는 1번부터 {count}번까지 있어요. 그 안에서 골라 주세요.",
    "answer_unknown": "찾을 수 없는 문제예요. 오래되었거나 잘못된 버튼일 수 있어요.",
    "answer_no_open": "지금 열린 문제가 없어요. 문제 받기: {/quiz}",
    "reveal_title": "마감! 문제 #{post_id}",
    "reveal_answer": "정답: {answer}",
    "reveal_stats": "참여 {answered}명 · 정답률 {rate}%",
    "reveal_first": "가장 먼저 맞힌 사람: {name}",
    "reveal_nobody_right": "맞힌 사람이 없어요.",
    "reveal_nobody": "아무도 답하지 않았어요.",
    "reveal_none": "마감할 열린 문제가 없어요.",
    "reveal_not_allowed": "문제를 낸 사람이나 강사만 마감할 수 있어요. {time}에 자동으로 정답이 공개돼요.",
    "top_row": "{rank}위 {name} — {points}점",
    "top_caller": "내 순위: {rank}위 {name} — {points}점",
    "top_empty": "아직 점수가 없어요. 첫 문제를 풀어 보세요: {/quiz}",
    "me_title": "{name} 님의 기록",
    "me_body": (
        "점수 {points}점 · {rank}위 / {players}명\n"
        "푼 문제 {answered}개 · 맞힌 문제 {correct}개 · 정답률 {rate}%\n"
        "매일 문제 연속 정답 {streak}일"
    ),
    "me_none": "{name} 님은 아직 순위가 없어요. 문제를 맞히면 정답이 공개될 때 순위에 올라요.",
    "me_body_unranked": (
        "점수 {points}점 · 아직 순위가 없어요 (순위에 오른 사람 {players}명)\n"
        "푼 문제 {answered}개 · 맞힌 문제 {correct}개 · 정답률 {rate}%\n"
        "매일 문제 연속 정답 {streak}일"
    ),
    "lang_set": "이제 이 방에서는 한국어로 말할게요.",
    "lang_usage": "사용법: {/lang} ko 또는 {/lang} en",
    "error": "처리하는 중에 문제가 생겼어요. 잠시 후 다시 시도해 주세요.",
    "answer_not_recorded": (
        "{name} 님의 답을 저장하지 못했어요. 투표는 바꿀 수 없으니 "
        "{/answer} 번호 형식으로 다시 보내 주세요."
    ),
    "console_welcome": (
        "스터디봇 콘솔이에요. 명령 목록: {/help} · 다른 사람으로 말하기: /as 이름 · "
        "끝내기: /quit, Ctrl+D 또는 Ctrl+C"
    ),
    "console_bye": "콘솔을 끝낼게요. 다음에 또 만나요!",
    "console_default_speaker": "관리자",
    "console_as": "이제 {name} 님으로 말해요.",
    "console_as_usage": "사용법: /as 이름 (예: /as 민수)",
    "need_instructor": "강사만 {action} 수 있어요. 그룹 관리자에게 강사 지정({/instructor add})을 부탁해 주세요.",
    "action_announce": "공지를 보낼",
    "action_daily": "매일 문제 설정을 바꿀",
    "action_contest_stop": "다른 사람이 시작한 대회를 멈출",
    "daily_status": "매일 문제: {state} · {time} ({zone}) · 마감 {close} · 주제: {topics}",
    "daily_on": "켜짐",
    "daily_off": "꺼짐",
    "daily_all_topics": "전체",
    "daily_usage": "사용법: {/daily on} · {/daily off} · {/daily time} 08:30 · {/daily close} 22:00 · {/daily topics} 가상화, 보안 · {/daily topics} 전체 · {/daily} tz Asia/Seoul",
    "daily_enabled": "매일 문제를 켰어요.",
    "daily_disabled": "매일 문제를 껐어요. 다시 켜기: {/daily on}",
    "daily_saved": "설정을 저장했어요.",
    "daily_bad_time": "올바른 시각이 아니에요: {value}\n24시간제 HH:MM으로 적어 주세요. 예: {/daily} {action} {example}",
    "daily_bad_zone": "모르는 시간대예요: {value}\n예: {/daily} tz Asia/Seoul",
    "daily_bad_topics": "모르는 주제예요: {unknown}\n고를 수 있는 주제: {known}",
    "top_usage": "사용법: {/top} · {/top today} · {/top week} · {/top month} · {/top all}",
    "top_title_today": "오늘의 순위",
    "top_title_week": "이번 주 순위",
    "top_title_month": "이번 달 순위",
    "top_title_all": "전체 순위",
    "streak_badge": "🔥{days}일 연속",
    "contest_started": "대회를 시작해요! {total}문제, 문제당 {seconds}초예요. 빨리 맞힐수록 점수가 높아요 (정답 하나에 500~1000점).",
    "contest_round": "정답: {answer}",
    "contest_standing": "{rank}위 {name} {points}점",
    "contest_podium_title": "🏆 대회 결과",
    "contest_podium_row": "{medal} {name} — {points}점 (정답 {correct}개)",
    "contest_nobody": "점수를 얻은 사람이 없어요.",
    "contest_none": "진행 중인 대회가 없어요.",
    "contest_usage": "사용법: {/contest} 10 (10문제, 문제당 20초) · {/contest} 10 30 (문제당 30초) · {/contest stop}",
    "contest_bad_count": "문제 수는 {low}~{high} 사이로 정해 주세요.",
    "contest_bad_seconds": "문제당 시간은 {low}~{high}초 사이로 정해 주세요.",
    "contest_running": "이미 대회가 진행 중이에요. 끝난 뒤에 다시 시작해 주세요. 지금 멈추기: {/contest stop}",
    "quiz_contest_running": "대회가 진행 중이라 지금은 {/quiz} 명령을 쓸 수 없어요.",
    "announce_title": "📢 공지",
    "announce_author": "— {name}",
    "announce_usage": "공지 내용을 적어 주세요. 예: {/announce} 오늘 스터디는 8시에 시작해요\n예약: {/announce} 2026-12-01 09:00 내용 · 목록: {/announce list} · 취소: {/announce cancel} 번호 · 내가 강사인 모든 방에: {/announce all} 내용",
    "announce_bad_when": "날짜나 시각이 올바르지 않아요: {value}\n공지는 보내지 않았어요. 이렇게 적어 주세요: {/announce} 09:00 내용 (오늘) · {/announce} 내일 09:00 내용 · {/announce} 12-31 09:00 내용 · {/announce} 2026-12-31 09:00 내용",
    "announce_past": "이미 지난 시각이에요. 앞으로의 날짜와 시각을 적어 주세요.",
    "announce_sent": "공지를 보냈어요 (방 {chats}곳).",
    "announce_scheduled": "공지 #{id} 예약 완료: {when}에 보낼게요 (방 {chats}곳). 취소: {/announce cancel} {id}",
    "announce_none": "예약된 공지가 없어요.",
    "announce_list_title": "예약된 공지",
    "announce_list_row": "#{id} · {when} · 방 {chats}곳 · {preview}",
    "announce_cancel_usage": "취소할 공지 번호를 적어 주세요. 예: {/announce cancel} 3",
    "announce_not_here": "이 방에서 예약한 공지 #{id:은는} 없어요. 목록 보기: {/announce list}",
    "announce_already_done": "공지 #{id:은는} 이미 보냈거나 취소됐어요.",
    "announce_cancelled": "공지 #{id:을를} 취소했어요.",
    "instructor_none": "아직 강사가 없어요. 그룹 관리자는 따로 지정하지 않아도 강사예요. 다른 강사 지정: {/instructor add} @이름",
    "instructor_admin": "관리자",
    "instructor_list": "이 방의 강사: {names}",
    "instructor_usage": "사용법: {/instructor} (목록) · {/instructor add} @이름 · {/instructor remove} @이름 (그 사람의 메시지에 답장으로 보내도 돼요)",
    "instructor_admin_only": "강사 지정·해제는 그룹 관리자만 할 수 있어요.",
    "instructor_who": "누구를 지정할지 알려 주세요. 그 사람의 메시지에 답장으로 보내거나 @이름을 붙여 주세요.",
    "instructor_added": "{name} 님을 강사로 지정했어요.",
    "instructor_already": "{name} 님은 이미 강사예요.",
    "instructor_removed": "{name} 님의 강사 지정을 해제했어요.",
    "instructor_not_one": "{name} 님은 이 방의 강사가 아니에요.",
    "console_wait_usage": "사용법: /wait 초 (1~{max}초 동안 기다려요. 예약된 문제와 공지가 그동안 도착해요)",
    "reveal_next": "이어서 맞힌 사람: {names}",
    "reveal_contest": "대회 문제는 직접 마감할 수 없어요. {seconds}초 뒤에 자동으로 정답이 공개되고 다음 문제로 넘어가요. 대회 끝내기: {/contest stop}",
    "contest_quiz_open": "아직 마감되지 않은 문제(#{post_id})가 있어서 대회를 시작할 수 없어요. 먼저 문제를 마감({/reveal})한 뒤에 다시 시작해 주세요.",
    "announce_past_today": "이미 지난 시각이에요 (오늘 {time}). 내일 보내려면 이렇게 적어 주세요: {/announce} 내일 {time} 내용",
    "action_announce_list": "예약된 공지를 볼",
    "action_announce_cancel": "공지를 취소할",
    # --- the review deck (오답노트) ---------------------------------------------------
    "review_header": "복습 카드 #{number}",
    "review_how_to_answer": "답: 번호만 보내거나 {/answer} 번호",
    "review_start": "복습을 시작할게요. 지금 볼 카드가 {count}장 있어요.",
    "review_done": "오늘 복습 끝! 다음 복습: {next}",
    "review_none_due": "지금 복습할 카드가 없어요. 다음 복습: {next}",
    "review_empty": (
        "오답노트가 비어 있어요. 틀린 문제는 저절로 들어오고, "
        "직접 넣을 수도 있어요: {/review add} 문제번호"
    ),
    "review_when_today": "오늘 {time}에 {count}장",
    "review_when_tomorrow": "내일 {count}장",
    "review_when_days": "{days}일 뒤 {count}장",
    "review_when_date": "{month}월 {day}일 {count}장",
    "review_when_none": "지금 열려 있는 문제가 마감된 뒤",
    "review_right": "정답이에요!",
    "review_wrong": "아쉬워요, 틀렸어요.\n정답: {answer}",
    "review_next_card": "이 문제는 {when} 다시 볼게요. (평가: {rating})",
    "review_again_today": "오늘 {time}에",
    "review_again_tomorrow": "내일",
    "review_again_days": "{days}일 뒤에",
    "review_again_date": "{month}월 {day}일에",
    "review_rating_again": "다시",
    "review_rating_hard": "어려움",
    "review_rating_good": "좋음",
    "review_rating_easy": "쉬움",
    "review_group_due": (
        "{name} 님, 지금 복습할 카드가 {count}장 있어요. "
        "복습은 저와의 개인 대화에서 해요. 개인 대화를 열고 이렇게 보내 주세요: {/review}"
    ),
    "review_group_none": (
        "{name} 님, 지금 복습할 카드는 없어요. 복습은 저와의 개인 대화에서 할 수 있어요: {/review}"
    ),
    "review_private_only": (
        "{name} 님의 오답노트는 개인 대화에서만 보여 드려요. "
        "저와 개인 대화를 열고 이렇게 보내 주세요: {/review list}"
    ),
    "review_list_title": "내 오답노트 {total}장 (지금 복습할 카드 {due}장)",
    "review_list_row": "{number}. {stem} · {when}",
    "review_list_due": "지금",
    "review_list_more": "그 밖에 {more}장이 더 있어요.",
    "review_list_hint": "복습하기: {/review} · 빼기: {/review remove} 번호",
    "review_add_usage": "넣을 문제 번호를 적거나 문제 메시지에 답장으로 보내 주세요. 예: {/review add} 12",
    "review_add_not_a_question": "그 메시지는 문제가 아니에요. 문제가 올라온 메시지를 고르거나 문제 번호를 적어 주세요.",
    "review_add_unknown": "#{post_id} 문제를 찾지 못했어요. 문제 번호를 확인해 주세요.",
    "review_add_open": "#{post_id} 문제는 아직 마감 전이에요. 정답이 공개된 뒤에 넣어 주세요.",
    "review_added": "#{post_id} 문제를 오답노트 {number}번으로 넣었어요.",
    "review_add_already": "#{post_id} 문제는 이미 오답노트 {number}번에 있어요.",
    "review_remove_usage": "뺄 카드 번호를 적어 주세요. 예: {/review remove} 3 (번호 확인: {/review list})",
    "review_remove_unknown": "오답노트에 {number}번 카드가 없어요. 번호 확인: {/review list}",
    "review_removed": "오답노트에서 {number}번 카드를 뺐어요.",
    "review_retention_now": (
        "목표 기억률은 {percent}%예요. {low}~{high}% 사이로 바꿀 수 있어요. 예: {/review retention} 0.85"
    ),
    "review_retention_usage": "목표 기억률은 {low}~{high}% 사이로 적어 주세요. 예: {/review retention} 0.85",
    "review_retention_set": "목표 기억률을 {percent}%로 바꿨어요. 다음 복습부터 이 기준으로 일정을 잡아요.",
    "review_time_usage": "사용법: {/review time} 21:00 (매일 알림) · 알림 끄기: {/review time off}",
    "review_time_off": "복습 알림을 껐어요.",
    "review_time_set": "매일 {time}({zone})에 복습할 카드가 있으면 개인 대화로 알려 드릴게요.",
    "review_time_set_no_dm": (
        "매일 {time}({zone})에 알려 드릴게요. 그런데 아직 저와 개인 대화를 한 적이 없어서 "
        "제가 먼저 메시지를 보낼 수 없어요. 저와 개인 대화를 열고 이렇게 보내 주세요: {/start}"
    ),
    "review_reminder": "복습할 카드가 {count}장 있어요. 시작하기: {/review}",
    "review_usage": (
        "사용법: {/review} (복습 시작, 개인 대화에서) · {/review list} · {/review add} 문제번호 · "
        "{/review remove} 카드번호 · {/review retention} 0.85 · {/review time} 21:00 · {/help review}"
    ),
    "help_review": (
        "**오답노트 복습 ({/review})**\n"
        "어디서 푼 문제든 (매일 문제, {/quiz}, 대회, 복습) 답할 때마다 내 카드가 FSRS로 다시 "
        "계산돼요. 틀린 문제는 오답노트에 저절로 들어가요.\n"
        "{/review} — 개인 대화에서 지금 볼 카드를 한 장씩 내요\n"
        "{/review list} — 오답노트 목록 · {/review add} 12 — 12번 문제 넣기 (번호 대신 문제 메시지에 답장으로 보내도 돼요) · "
        "{/review remove} 3 — 목록의 3번 빼기\n"
        "{/review retention} 0.85 — 목표 기억률 (기본 90%, {low}~{high}%)\n"
        "{/review time} 21:00 — 매일 그 시각에 복습할 카드가 있으면 알림 ({/review time off})\n"
        "\n"
        "**답을 평가하는 방법**\n"
        "틀리면 다시(Again), 맞히면 좋음(Good)이에요. 맞혔어도 같은 문제를 맞힌 다른 사람들 "
        "절반보다 느리면 어려움(Hard), 가장 빠른 4분의 1 안에 들면 쉬움(Easy)이에요. "
        "비교할 사람이 4명보다 적으면 좋음으로 쳐요. 복습은 점수와 순위에 들어가지 않아요."
    ),
    "console_dm": "이제 {name} 님과 봇의 개인 대화예요. 단체방으로 돌아가기: /group",
    "console_group": "단체방으로 돌아왔어요.",
    "daily_need_time": "시각을 함께 적어 주세요. 24시간제 HH:MM으로 적어요. 예: {/daily} {action} {example}",
    "daily_need_zone": "시간대를 함께 적어 주세요. 예: {/daily} tz Asia/Seoul",
    "daily_near_topics": "비슷한 세부 주제: {near}",
    "daily_more_topics": "세부 주제로도 고를 수 있어요 (예: {example})",
    "daily_need_topics": "주제를 함께 적어 주세요. 예: {/daily topics} 가상화, 보안 · 모든 주제로 되돌리려면 {/daily topics} 전체\n고를 수 있는 주제: {known}",
    "daily_close_before_start": "마감 시각({close})이 문제를 내는 시각({start})보다 늦어야 해요. 매일 문제는 낸 날에 마감되니 {start} 뒤의 시각으로 정해 주세요. 설정은 바꾸지 않았어요.",
    "instructor_who_remove": "누구를 강사에서 해제할지 알려 주세요. 그 사람의 메시지에 답장으로 보내거나 @이름을 붙여 주세요.",
    "instructor_remove_admin": "{name} 님은 그룹 관리자라서 따로 지정하지 않아도 강사예요. 관리자인 동안에는 강사에서 해제할 수 없어요.",
    "instructor_unknown": "'{name}' 님을 찾지 못했어요. 이 방에서 한 번이라도 말한 사람만 지정할 수 있어요. 그 사람의 메시지에 답장으로 보내거나, 띄어쓰기까지 이름 전체를 적어 주세요 (예: {/instructor add} \"김 지영\").",
    "instructor_ambiguous": "같은 이름을 쓰는 사람이 여러 명이에요: {name}\n그 사람의 메시지에 답장으로 보내 주세요.",
    # /exam (/모의고사): timed mock exams in a private chat.
    "help_cmd_exam": "{/exam} — 시간을 재는 모의고사 (개인 대화에서, 자세히: {/exam help})",
    "help_cmd_hard": "{/hard} — 모든 방에서 많이 틀린 문제 (과목이나 주제를 붙여도 돼요. 예: {/hard} 운영체제)",
    "help_cmd_stats": "{/stats} — 이 방의 최근 7일 통계와 정답을 확인할 문제 ({/stats month}: 30일, 강사)",
    "exam_private_only": (
        "{name} 님, 모의고사는 저와의 개인 대화에서 봐요. "
        "개인 대화를 열고 이렇게 보내 주세요: {/exam}"
    ),
    "exam_usage": (
        "사용법: {/exam} 과목 문제수 제한시간(분) · 예: {/exam} 정보보호론 20 30 · "
        "자세히: {/exam help}"
    ),
    "exam_help": (
        "**모의고사 ({/exam})**\n"
        "개인 대화에서 한 과목을 시간을 재며 풀어요. 기본은 {count}문제, {minutes}분이고 "
        "한 문제에 5점씩 100점 만점으로 채점해요 ({count}문제가 아니어도 100점 만점으로 환산해요).\n"
        "시작: {/exam} 과목 문제수 제한시간 (예: {/exam} 컴퓨터일반 20 20, {/exam} 정보보호론 10 15분)\n"
        "· 문제 수는 1~{max_count}개, 제한 시간은 {min_minutes}~{max_minutes}분이에요.\n"
        "· 문제는 과목의 주제마다 고르게 나오고 기출문제가 먼저 나와요. 같은 문제는 두 번 나오지 않아요.\n"
        "· 제출하기 전에는 정답을 보여 주지 않아요. 답은 제출 전까지 몇 번이든 바꿀 수 있어요.\n"
        "푸는 중: 번호로 답하기 · 건너뛰기 {/exam skip} · 다음 문제 {/exam next} · "
        "문제로 가기 {/exam} 3 · 답안지 {/exam status} · 제출 {/exam submit}\n"
        "시간이 끝나면 자동으로 제출돼요. 결과에는 점수, 걸린 시간, 주제별 결과, 틀린 문제의 "
        "정답과 해설이 나오고, {mark}점 미만이면 과락으로 표시해요. 틀린 문제는 오답노트에 "
        "들어가요 ({/review}).\n"
        "지난 기록: {/exam history}"
    ),
    "exam_unknown_subject": "'{subject}' 과목은 없어요. 고를 수 있는 과목: {subjects}",
    "exam_bad_count": (
        "문제 수는 {low}개부터 {high}개까지 정할 수 있어요 ({count}개는 안 돼요). "
        "예: {/exam} 20"
    ),
    "exam_bad_minutes": (
        "제한 시간은 {low}분부터 {high}분까지 정할 수 있어요 ({minutes}분은 안 돼요). "
        "예: {/exam} 20 30"
    ),
    "exam_started": "모의고사를 시작해요: {subject} {total}문제, 제한 시간 {minutes}분 ({until}까지)",
    "exam_fewer": "지금 이 과목의 문제가 {count}개뿐이라서 {count}문제로 만들었어요.",
    "exam_rules": (
        "제출하기 전에는 정답을 보여 주지 않아요. 답은 제출 전까지 바꿀 수 있어요.\n"
        "건너뛰기: {/exam skip} · 문제로 가기: {/exam} 3 · 답안지: {/exam status} · "
        "제출: {/exam submit}"
    ),
    "exam_card_header": "모의고사 {slot}/{total} · 남은 시간 {left}",
    "exam_card_answered": "고른 답 {option}",
    "exam_how_to_answer": "답: 번호만 보내 주세요 · 건너뛰기: {/exam skip} · 제출: {/exam submit}",
    "exam_minutes": "{minutes}분",
    "exam_seconds": "{seconds}초",
    "exam_duration": "{minutes}분 {seconds}초",
    "exam_question_gone": (
        "{slot}번 문제는 문제 은행에서 빠져서 보여 드릴 수 없어요. 다음 문제: {/exam next}"
    ),
    "exam_warning": "모의고사 시간이 {left} 남았어요. 아직 답하지 않은 문제: {unanswered}개",
    "exam_none_open": "지금 푸는 모의고사가 없어요. 시작하기: {/exam}",
    "exam_already_open": (
        "이미 푸는 중인 모의고사가 있어서 새로 시작하지 않고 이어서 풀어요: "
        "{subject}, {total}문제 중 {answered}문제 답함, 남은 시간 {left}"
    ),
    "exam_resumed": (
        "모의고사를 이어서 풀어요: {subject}, {total}문제 중 {answered}문제 답함, "
        "남은 시간 {left}"
    ),
    "exam_bad_slot": "문제 번호는 1번부터 {total}번까지 있어요.",
    "exam_nothing_to_skip": (
        "건너뛸 다른 문제가 없어요. 나머지 문제는 모두 답했어요. 제출: {/exam submit}"
    ),
    "exam_status_title": "답안지 · {total}문제 중 {answered}문제 답함 · 남은 시간 {left}",
    "exam_status_hint": "문제로 가기: {/exam} 3 · 제출: {/exam submit}",
    "exam_already_graded": "이 모의고사는 이미 채점했어요. 지난 기록: {/exam history}",
    "exam_time_up": "시간이 끝나서 더는 답을 받지 않아요. 지금까지 쓴 답으로 채점했어요.",
    "exam_no_reveal": (
        "모의고사 중에는 정답을 보여 주지 않아요. "
        "제출하면 결과와 함께 정답과 해설을 보여 드려요: {/exam submit}"
    ),
    "exam_not_yours": "다른 사람의 모의고사예요. 내 모의고사 시작: {/exam}",
    "exam_answered": "{slot}번 답을 적었어요: {option}",
    "exam_answer_changed": "{slot}번 답을 바꿨어요: {option}",
    "exam_answer_same": "{slot}번 답은 그대로예요: {option}",
    "exam_all_answered": (
        "모든 문제에 답했어요. 제출: {/exam submit} · 답 고치기: {/exam} 번호 · "
        "답안지: {/exam status}"
    ),
    "exam_result_title": "모의고사 결과 · {subject}",
    "exam_result_score": "점수: {score}점 ({total}문제 중 {right}문제 정답)",
    "exam_result_time": "걸린 시간: {used} (제한 시간 {minutes}분)",
    "exam_result_time_out": "제한 시간 {minutes}분이 끝나서 자동으로 제출했어요 (걸린 시간: {used}).",
    "exam_result_fail": "⚠️ 과락이에요 ({mark}점 미만).",
    "exam_result_topics": "주제별 결과",
    "exam_result_topic": "· {topic}: 맞힘 {right} · 틀림 {wrong}",
    "exam_result_perfect": "모두 맞혔어요! 🎉",
    "exam_result_deck": "틀린 문제 {count}개를 오답노트에 담았어요 (새로 들어간 문제 {added}개). 복습: {/review}",
    "exam_result_deck_had": "틀린 문제 {count}개는 이미 오답노트에 있어요. 복습: {/review}",
    "exam_wrong_title": "틀린 문제 ({part}/{parts})",
    "exam_wrong_head": "{slot}번 · {topic}",
    "exam_wrong_blank": "내 답: 풀지 않음",
    "exam_wrong_mine": "내 답: {answer}",
    "exam_wrong_answer": "정답: {answer}",
    "exam_history_empty": "아직 본 모의고사가 없어요. 시작하기: {/exam}",
    "exam_history_title": "내 모의고사 기록 ({total}회)",
    "exam_history_row": "#{id} · {when} · {subject} {total}문제 · {score}점 ({right}/{total}) · {used}",
    "exam_history_open": "#{id} · {when} · {subject} {total}문제 · 푸는 중",
    "exam_history_fail": "과락",
    "exam_history_more": "이전 기록이 {more}회 더 있어요.",
    # 정답률 across every chat, /hard, /stats and the pictures (bot/handlers/stats.py)
    "reveal_overall": "전체 정답률 {rate}% ({answered:,}명)",
    "own_topic": "방에서 만든 문제",
    "hard_title": "많이 틀린 문제",
    "hard_title_of": "많이 틀린 문제 · {query}",
    "hard_row": "{n}. 정답률 {rate}% ({answered:,}명) · {topic} — {stem}",
    "hard_footer": "{min}명 이상 푼 문제만 모았어요. 모든 방의 답을 합친 정답률이에요.",
    "hard_empty": "아직 {min}명 이상 푼 문제가 없어요. 문제를 더 풀면 여기에 모여요.",
    "hard_not_found": "'{query}' 과목이나 주제를 찾지 못했어요. 예: {/hard} 컴퓨터일반, {/hard} 프로세스",
    "stats_usage": "사용법: {/stats} (최근 7일) · {/stats week} · {/stats month} (최근 30일)",
    "action_stats": "방 통계를 볼",
    "stats_period_week": "최근 7일",
    "stats_period_month": "최근 30일",
    "stats_empty": "{period} 동안 이 방에서 마감된 문제에 답한 사람이 없어요.",
    "stats_title": "이 방의 통계 · {period}",
    "stats_summary": "참여 {people}명 · 답 {answers}개 · 정답률 {rate}%",
    "stats_weak_topics": "약한 주제: {topics}",
    "stats_missed_head": "많이 틀린 문제:",
    "stats_missed_row": "• {stem} — {answered}명 중 {wrong}명이 틀렸어요",
    "stats_flags_head": "정답을 확인해 주세요 (모든 방에서 {min}명 이상 푼 문제)",
    "stats_flag_low": "• {stem} — 전체 정답률 {rate}% ({answered:,}명). 정답 {answer_key}번이 맞는지 확인해 주세요.",
    "stats_flag_pile": "• {stem} — {answered:,}명 중 {share}%가 오답 {option}번을 골랐어요. 정답 {answer_key}번이 맞는지 확인해 주세요.",
    "me_picture_how": "그림으로 된 학습 현황은 개인 대화로 보내 드려요. 저와의 개인 대화에서 {/me} 명령을 보내 주세요.",
    "me_picture_sent": "학습 현황 그림은 개인 대화로 보냈어요.",
    "pic_me_title": "{name} 님의 학습 현황",
    "pic_me_alt": "최근 30일 점수 {points}점{weakest}, 복습할 카드 {due}장, 매일 문제 연속 정답 {streak}일",
    "pic_me_alt_weakest": ", 가장 약한 주제 {topic} {rate}%",
    "pic_group_title": "이 방의 학습 현황 · {period}",
    "pic_group_alt": "{period} 참여 {people}명, 답 {answers}개: 날마다 참여한 사람, 주제별 정답률, 많이 틀린 문제",
    "pic_points_title": "최근 30일 점수",
    "pic_points_axis": "점수",
    "pic_topics_title": "주제별 정답률 (약한 순)",
    "pic_deck_title": "오답노트",
    "pic_deck_due": "복습할 카드",
    "pic_deck_learning": "익히는 중",
    "pic_deck_learned": "익힌 카드",
    "pic_streak": "연속 정답 {days}일",
    "pic_empty": "아직 기록이 없어요",
    "pic_rate_label": "{rate}% ({n}회)",
    "pic_people_title": "날마다 참여한 사람",
    "pic_people_axis": "명",
    "pic_missed_title": "많이 틀린 문제 (정답률)",
    "console_picture": "[그림] {alt}\n{path}",
    # 오류신고, /reports, /fix and re-scoring (bot/handlers/reports.py, bot/features/rescore.py)
    "help_cmd_report": "{/report} 번호 이유 — 문제의 오류를 신고해요 (문제 카드에 답장해도 돼요)",
    "help_cmd_reports": "{/reports} — 들어온 오류신고 보기 (강사)",
    "help_cmd_fix": "{/fix} 번호 정답 2 — 우리 그룹 문제의 정답·문제·보기·해설을 고치거나 폐기해요 (강사). 정답을 고치면 점수를 다시 계산해요",
    "action_reports": "오류신고를 볼",
    "action_fix": "문제를 고칠",
    "report_usage": "신고할 문제 번호와 이유를 함께 보내 주세요. 예: {/report} 12 정답이 ③이 아니라 ②예요\n문제 카드에 답장으로 보내도 돼요.",
    "report_unknown": "이 방에서 문제 {post:을를} 찾지 못했어요. 문제 카드에 적힌 번호(문제 #12)를 확인해 주세요.",
    "report_reply_unknown": "답장한 메시지는 이 방의 문제 카드가 아니에요. 문제 카드에 답장하거나 번호를 적어 주세요. 예: {/report} 12 이유",
    "report_no_reason": "무엇이 잘못됐는지 이유도 적어 주세요. 예: {/report} {post_id} 보기 ②도 정답이에요",
    "report_too_long": "이유가 너무 길어요. {max}자 이내로 줄여 주세요.",
    "report_twice": "문제 #{post_id:은는} 이미 신고하셨어요. 강사가 확인하고 있어요.",
    "report_saved": "문제 #{post_id}의 오류신고를 받았어요. 강사에게 알렸어요. 고마워요!",
    "report_notice": "오류신고{where}: 문제 #{post_id} · {name}\n이유: {reason}\n확인하기: {/reports}",
    "report_notice_where": " ({group})",
    "reports_empty": "들어온 오류신고가 없어요.",
    "reports_header": "오류신고 {count}건 (문제별로 처음 신고한 사람)",
    "reports_more_people": " 외 {count}명",
    "reports_row": "문제 #{post_id} ({id}) · {name}{more}: {reason}",
    "reports_hint_own": "  고치기: {/fix} {post_id} 정답 2 · 문제 없음: {/fix} {post_id} 확인",
    "reports_hint_bundled": "  기본 문제라 채팅에서는 고칠 수 없어요. content/의 문제를 고치면 다음 시작 때 점수를 다시 계산해요. 문제 없음: {/fix} {post_id} 확인",
    "fix_usage": "이렇게 보내 주세요:\n{/fix} 번호 정답 2 (여러 개는 2,3)\n{/fix} 번호 문제 새 지문\n{/fix} 번호 보기 3 새 보기\n{/fix} 번호 해설 새 해설\n{/fix} 번호 폐기\n{/fix} 번호 확인 (신고만 닫기)\n번호는 문제 카드의 번호(문제 #12)나 chat-7 같은 문제 id예요.",
    "fix_unknown": "{target}에 해당하는 문제를 찾지 못했어요. 문제 카드의 번호나 {/qset} 목록의 id를 확인해 주세요.",
    "fix_dismissed": "{id}의 오류신고 {count}건을 닫았어요.",
    "fix_bundled": "{id:은는} 기본 문제라 채팅에서는 고칠 수 없어요. content/의 문제를 고치고 다시 시작하면 점수를 다시 계산해요.",
    "fix_foreign": "{id:은는} 다른 그룹의 문제예요. 그 그룹에서 고쳐 주세요.",
    "fix_option_usage": "고칠 보기 번호(1–{count})와 새 내용을 함께 보내 주세요. 예: {/fix} 12 보기 3 새 보기",
    "fix_already_retired": "{id:은는} 이미 폐기된 문제예요.",
    "fix_same": "{id}의 정답이 이미 {answer}{ro} 되어 있어요. 바뀐 것이 없어요.",
    "fix_out_of_range": "{id}의 보기는 {count}개예요. 1부터 {count} 사이의 번호로 보내 주세요.",
    "fix_retired": "{id:을를} 폐기했어요. 이제 문제로 나오지 않아요. 지난 점수는 그대로예요.",
    "fix_text_done": "{id:을를} 고쳤어요. 정답은 그대로라 점수는 바뀌지 않아요.",
    "fix_key_done": "{id}의 정답을 {old}에서 {new}{ro} 고쳤어요. 답 {count}개의 점수를 다시 계산했어요.",
    "rescore_notice": "문제 {posts}의 정답이 {old}에서 {new}{ro} 바뀌어 점수를 다시 계산했어요.",
}
