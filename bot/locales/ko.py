"""Korean catalog (the default voice: friendly, concise 해요체)."""

STRINGS: dict[str, str] = {
    "start": (
        "안녕하세요! 공무원 컴퓨터일반·정보보호론 공부를 돕는 스터디봇이에요.\n"
        "/quiz 로 문제를 풀고, /term 하이퍼바이저 처럼 용어를 찾아보세요.\n"
        "전체 명령은 /help 에서 볼 수 있어요."
    ),
    "help": (
        "**스터디봇 명령어**\n"
        "/quiz — 지금 문제 하나를 내요 (/quiz 하이퍼바이저 처럼 용어를 붙이면 그 용어 문제)\n"
        "/answer 3 — 열린 문제에 답해요 (숫자만 보내도 돼요)\n"
        "/reveal — 문제를 마감하고 정답과 해설을 보여 줘요 (문제를 낸 사람이나 관리자)\n"
        "/term 검색어 — 용어를 찾아요 (한글, 영어, 약어, 초성 모두 돼요)\n"
        "/top — 이 방의 순위표\n"
        "/me — 내 점수, 정답률, 순위\n"
        "/lang en — Switch to English (/lang ko 로 돌아와요)\n"
        "\n"
        "**점수 규칙**\n"
        "정답 하나에 {points}점, 오답은 0점이에요. 한 문제에는 한 번만 답할 수 있고 "
        "첫 답만 기록돼요. 점수가 같으면 같은 순위예요."
    ),
    "unknown_command": "모르는 명령이에요: /{name}\n전체 명령은 /help 에서 볼 수 있어요.",
    "unknown_command_hint": (
        "모르는 명령이에요: /{name}\n혹시 /{suggestion} 명령을 쓰려고 하셨나요?"
    ),
    "too_long": "입력이 너무 길어요. {max}자 이내로 보내 주세요.",
    "term_usage": "찾을 용어를 함께 적어 주세요. 예: /term 하이퍼바이저",
    "term_not_found": "'{query}'에 맞는 용어를 찾지 못했어요. 철자나 띄어쓰기를 바꿔 보세요.",
    "term_suggest_one": "'{query}'에 딱 맞는 용어는 없어요. 혹시 '{name}'{particle} 찾으셨나요?",
    "term_suggest_many": "'{query}'에 딱 맞는 용어는 없어요. 혹시 이 중에 찾는 용어가 있나요?",
    "term_aliases": "다른 이름: {aliases}",
    "term_related": "관련 용어: {related}",
    "term_added": "(덧붙인 사실, 원본 노트에는 없어요)",
    "term_quiz": "이 용어 문제 풀기: /quiz {name}",
    "quiz_header": "문제 #{post_id}",
    "quiz_header_past": "문제 #{post_id} · 기출 {source}",
    "quiz_how_to_answer": "답: 번호만 보내거나 /answer 번호 · 마감 {time}",
    "quiz_open_exists": (
        "아직 마감되지 않은 문제(#{post_id})가 있어요. 먼저 답하거나 /reveal 로 마감해 주세요."
    ),
    "quiz_not_found": (
        "'{query}'에 맞는 문제를 찾지 못했어요. /term {query} 로 용어를 먼저 찾아보세요."
    ),
    "quiz_empty": "낼 문제가 없어요. 학습 자료가 비어 있는지 관리자에게 확인해 달라고 해 주세요.",
    "answer_usage": "답할 번호를 적어 주세요. 예: /answer 3",
    "answer_received": "{name} 님의 답을 받았어요.",
    "answer_correct": "정답이에요! +{points}점",
    "answer_wrong": "아쉽지만 오답이에요. 정답은 {correct}번이에요.",
    "answer_explanation": "해설: {explanation}",
    "answer_duplicate": "{name} 님은 이미 이 문제에 {option}번으로 답했어요. 첫 답만 인정돼요.",
    "answer_closed": "이 문제는 이미 마감됐어요. /quiz 로 새 문제를 받아 보세요.",
    "answer_foreign": "다른 방의 문제라서 여기서는 답할 수 없어요.",
    "answer_out_of_range": "보기는 1번부터 {count}번까지 있어요. 그 안에서 골라 주세요.",
    "answer_unknown": "찾을 수 없는 문제예요. 오래되었거나 잘못된 버튼일 수 있어요.",
    "answer_no_open": "지금 열린 문제가 없어요. /quiz 로 문제를 받아 보세요.",
    "reveal_title": "마감! 문제 #{post_id}",
    "reveal_answer": "정답: {answer}",
    "reveal_stats": "참여 {answered}명 · 정답률 {rate}%",
    "reveal_first": "가장 먼저 맞힌 사람: {names}",
    "reveal_nobody_right": "맞힌 사람이 없어요.",
    "reveal_nobody": "아무도 답하지 않았어요.",
    "reveal_none": "마감할 열린 문제가 없어요.",
    "reveal_not_allowed": (
        "문제를 낸 사람이나 방 관리자만 마감할 수 있어요. {time}에 자동으로 정답이 공개돼요."
    ),
    "top_title": "순위표",
    "top_row": "{rank}위 {name} — {points}점",
    "top_caller": "내 순위: {rank}위 {name} — {points}점",
    "top_empty": "아직 점수가 없어요. /quiz 로 첫 문제를 풀어 보세요!",
    "me_title": "{name} 님의 기록",
    "me_body": (
        "점수 {points}점 · {rank}위 / {players}명\n"
        "푼 문제 {answered}개 · 맞힌 문제 {correct}개 · 정답률 {rate}%"
    ),
    "me_none": "{name} 님은 아직 이 방에서 푼 문제가 없어요. /quiz 로 시작해 보세요!",
    "lang_set": "이제 이 방에서는 한국어로 말할게요.",
    "lang_usage": "사용법: /lang ko 또는 /lang en",
    "error": "처리하는 중에 문제가 생겼어요. 잠시 후 다시 시도해 주세요.",
    "console_welcome": (
        "스터디봇 콘솔이에요. /help 로 명령을 보고, /as 이름 으로 다른 사람이 되어 말할 수 있어요. "
        "끝내려면 /quit 또는 Ctrl+D를 누르세요."
    ),
    "console_as": "이제 {name} 님으로 말해요.",
    "console_as_usage": "사용법: /as 이름 (예: /as 민수)",
}
