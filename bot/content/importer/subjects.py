"""Which subject notes belong to, from the words they use (정보보호론 or 컴퓨터일반).

The two subjects share much (네트워크, 운영체제, 데이터베이스), so only words that lean one way
count, each once per line. The importer files a chapter under a subject only when one side
clearly leads; otherwise the author names it with ``--subject``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECURITY_WORDS = (
    "보안", "암호", "복호", "인증", "인가", "접근통제", "기밀성", "무결성", "가용성",
    "부인방지", "공격", "위협", "취약점", "악성코드", "바이러스", "웜", "방화벽", "침입",
    "해시", "전자서명", "공개키", "대칭키", "개인키", "인증서", "PKI", "스푸핑", "스니핑",
    "개인정보", "위험 관리", "ISMS", "IPsec", "VPN", "IDS", "IPS", "XSS", "SQL 인젝션",
)  # fmt: skip
COMPUTER_WORDS = (
    "CPU", "레지스터", "캐시", "주기억장치", "명령어", "파이프라인", "인터럽트", "프로세스",
    "스레드", "스케줄링", "페이지", "세그먼트", "교착상태", "자료구조", "스택", "큐",
    "트리", "그래프", "정렬", "알고리즘", "시간 복잡도", "릴레이션", "정규화", "트랜잭션",
    "SQL", "튜플", "OSI", "라우팅", "서브넷", "소프트웨어 공학", "테스트", "결합도",
    "응집도", "UML", "가상화", "하이퍼바이저", "가상머신", "운영체제", "컴파일러",
)  # fmt: skip
# One side must have at least this many lines and this many times the other's.
LEAD_MIN = 5
LEAD_RATIO = 2.0


@dataclass(frozen=True, slots=True)
class SubjectGuess:
    subject: str | None  # None when the notes do not clearly lean one way
    security: int
    computer: int


def _count(lines: list[str], words: tuple[str, ...]) -> int:
    patterns = [
        re.compile(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" if w.isascii() else re.escape(w))
        for w in words
    ]
    return sum(1 for line in lines if any(p.search(line) for p in patterns))


def guess_subject(text: str) -> SubjectGuess:
    lines = [line for line in text.splitlines() if line.strip()]
    security, computer = _count(lines, SECURITY_WORDS), _count(lines, COMPUTER_WORDS)
    subject: str | None = None
    if security >= LEAD_MIN and security >= LEAD_RATIO * computer:
        subject = "information-security"
    elif computer >= LEAD_MIN and computer >= LEAD_RATIO * security:
        subject = "computer-general"
    return SubjectGuess(subject, security, computer)


def unclear_message(guess: SubjectGuess) -> str:
    """What the author is told when the notes lean neither way (Korean, like the notes)."""
    return (
        "노트만으로는 과목을 정할 수 없어요 "
        f"(정보보호론 낱말이 있는 줄 {guess.security}개, 컴퓨터일반 낱말이 있는 줄 "
        f"{guess.computer}개). --subject computer-general(컴퓨터일반) 또는 "
        "--subject information-security(정보보호론)를 붙여 다시 실행해 주세요."
    )
