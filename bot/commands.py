"""Every command's names, in one place: English, the Korean name and the Korean words people
type after it. The dispatcher's aliases, the Telegram menu, the Discord command names and
/help all read this table, so a Korean name is the same on every platform.

How a reply names a command follows the client (bot.i18n): a catalog string writes
``{/instructor add}`` and reads "/강사 추가" for a client that spells commands in Korean
(a Korean Discord client, or a Korean chat on Telegram and the console, where both names can
be typed) and "/instructor add" otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STYLES = ("ko", "en")


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # the English name, the core's key (bot/handlers COMMANDS)
    ko: str  # the Korean name: the one shown, typed and registered on Discord
    menu_ko: str  # a short label for pickers (the Telegram menu)
    menu_en: str
    # Other Korean spellings the text platforms accept (older names, synonyms).
    also: tuple[str, ...] = ()
    # English subcommand → the Korean word shown for it (the handler accepts both).
    words: dict[str, str] = field(default_factory=dict)
    discord: bool = True  # registered as a Discord slash command
    instructors: bool = False  # listed under "for instructors" in /help


TABLE: tuple[Command, ...] = (
    Command("start", "시작", "스터디봇 소개", "About studybot"),
    Command(
        "help",
        "도움말",
        "명령어와 점수 규칙 보기",
        "Commands and scoring",
        words={"review": "복습"},
    ),
    Command("quiz", "문제", "지금 문제 하나 풀기", "A question now", also=("퀴즈",)),
    # '/정답 3' reads as "my answer is 3"; closing a question has its own name (정답공개).
    Command(
        "answer",
        "정답",
        "열린 문제에 답하기",
        "Answer the open question",
        also=("답",),
        discord=False,  # Discord answers with the buttons under the question
    ),
    Command("reveal", "정답공개", "문제 마감하고 정답·해설 보기", "Close it, show the answer"),
    Command("term", "용어", "용어 찾기", "Look a term up"),
    Command(
        "top",
        "순위",
        "순위표 보기",
        "Leaderboard",
        words={"today": "오늘", "week": "이번주", "month": "이번달", "all": "전체"},
    ),
    Command(
        "me", "내기록", "내 점수·정답률·순위", "Your points, accuracy and rank", also=("내정보",)
    ),
    Command(
        "review",
        "복습",
        "오답노트 복습 (개인 대화)",
        "Review your deck (private chat)",
        also=("오답노트",),
        words={
            "list": "목록",
            "add": "추가",
            "remove": "빼기",
            "retention": "기억률",
            "time": "알림",
            "off": "끄기",
            "help": "도움말",
        },
    ),
    Command(
        "exam",
        "모의고사",
        "시간 재는 모의고사 (개인 대화)",
        "Timed mock exam (private chat)",
        words={
            "skip": "건너뛰기",
            "next": "다음",
            "submit": "제출",
            "history": "기록",
            "status": "답안지",
            "help": "도움말",
        },
    ),
    Command(
        "hard",
        "많이틀린문제",
        "많은 사람이 틀린 문제 (전체 정답률)",
        "Questions most people get wrong",
    ),
    Command("lang", "언어", "언어 바꾸기", "Switch language"),
    Command(
        "daily",
        "매일문제",
        "매일 문제 설정 (강사)",
        "Daily question settings (instructors)",
        words={
            "on": "켜기",
            "off": "끄기",
            "time": "시간",
            "close": "마감",
            "topics": "주제",
            "all": "전체",
        },
        instructors=True,
    ),
    Command(
        "contest",
        "대회",
        "문제 풀이 대회 열기",
        "Run a contest",
        words={"stop": "중지"},
    ),
    Command(
        "announce",
        "공지",
        "공지 보내기·예약 (강사)",
        "Send or schedule an announcement",
        words={"list": "목록", "cancel": "취소", "all": "전체"},
        instructors=True,
    ),
    Command(
        "instructor",
        "강사",
        "강사 지정·해제 (관리자)",
        "Add or remove instructors (admins)",
        words={"add": "추가", "remove": "해제", "list": "목록"},
        instructors=True,
    ),
    Command(
        "stats",
        "통계",
        "방 통계와 확인할 문제 (강사)",
        "Chat statistics and keys to check (instructors)",
        words={"week": "주간", "month": "월간"},
        instructors=True,
    ),
    Command(
        "addq",
        "문제추가",
        "문제 추가하기 (강사)",
        "Add a question (instructors)",
        instructors=True,
    ),
    Command("suggest", "문제제안", "문제 제안하기", "Suggest a question"),
    Command(
        "queue",
        "제안검토",
        "제안 검토하기 (강사)",
        "Review suggestions (instructors)",
        words={"approve": "승인", "edit": "수정", "reject": "거절"},
        instructors=True,
    ),
    Command(
        "qset",
        "문제집",
        "우리 그룹 문제·공유 (강사)",
        "This group's questions, sharing",
        words={
            "share": "공유",
            "list": "목록",
            "drafts": "초안",
            "publish": "공개",
            "drop": "버리기",
            "export": "내보내기",
            "image": "그림",
        },
        instructors=True,
    ),
    Command(
        "report",
        "신고",
        "문제 오류 신고하기",
        "Report a mistake in a question",
        also=("오류신고",),
    ),
    Command(
        "reports",
        "신고목록",
        "오류신고 보기 (강사)",
        "Open reports (instructors)",
        instructors=True,
    ),
    Command(
        "fix",
        "문제수정",
        "문제 고치기·다시 채점 (강사)",
        "Fix a question, re-score (instructors)",
        words={
            "answer": "정답",
            "stem": "문제",
            "option": "보기",
            "explanation": "해설",
            "retire": "폐기",
            "dismiss": "확인",
        },
        instructors=True,
    ),
)

BY_NAME: dict[str, Command] = {c.name: c for c in TABLE}

# Every Korean spelling a text platform accepts, to the command it means.
ALIASES: dict[str, str] = {spelling: c.name for c in TABLE for spelling in (c.ko, *c.also)}


def style_for(locale: str | None) -> str:
    """How a chat in this language spells commands when the client does not say."""
    return "ko" if locale == "ko" else "en"


def spell(command: str, style: str) -> str:
    """'/instructor add' as the client shows it: '/강사 추가' in the Korean style.

    ``command`` is the English name, optionally followed by subcommand words; words the
    table does not translate are kept as they are.
    """
    name, *rest = command.split()
    entry = BY_NAME.get(name)
    if entry is None or style != "ko":  # a name not in the table is shown as written
        return "/" + " ".join((name, *rest))
    words = [entry.words.get(word, word) for word in rest]
    return "/" + " ".join((entry.ko, *words))
