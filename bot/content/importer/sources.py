"""Question sources: the exam a 기출 came from, as the bot shows it."""

from __future__ import annotations

import re

from bot.content.importer.patterns import YEAR_RE
from bot.content.importer.text import clean

_EXAM_BODIES = {
    "국가직": "국가직", "국가": "국가직",
    "지방직": "지방직", "지방": "지방직",
    "서울시": "서울시", "서울": "서울시",
    "국회직": "국회직", "국회": "국회직",
    "군무원": "군무원", "계리직": "계리직",
}  # fmt: skip
_EXAM_SUBJECTS = {
    "컴일": "컴퓨터일반", "컴퓨터일반": "컴퓨터일반",
    "정보보호론": "정보보호론", "정보보호": "정보보호론",
}  # fmt: skip


def normalize_source(raw: str) -> tuple[str, bool]:
    """Return the source as the bot shows it and whether it names a real exam (기출).

    "2018년 컴일 국가 9급" becomes ("2018 국가직 9급 컴퓨터일반", True); a label that names no
    year and exam body ("예시 문제") is kept as written and is not a 기출.
    """
    text = clean(raw)
    year_m = YEAR_RE.search(text)
    year = year_m[1] if year_m else ""
    rest = YEAR_RE.sub(" ", text, count=1) if year_m else text
    body = grade = subject = ""
    leftover: list[str] = []
    for token in re.split(r"[\s,/]+", rest):
        if not token:
            continue
        if token in _EXAM_BODIES and not body:
            body = _EXAM_BODIES[token]
        elif re.fullmatch(r"\d급", token) and not grade:
            grade = token
        elif (m := re.fullmatch(r"(국가|지방|서울|국회)(직|시)?(\d급)", token)) and not body:
            body, grade = _EXAM_BODIES[m[1]], m[3]
        elif token in _EXAM_SUBJECTS and not subject:
            subject = _EXAM_SUBJECTS[token]
        else:
            leftover.append(token)
    # A reworked or mock question keeps its label but is not presented as a 기출.
    sample = any(w in text for w in ("예시", "예상", "변형", "모의"))
    if year and (body or grade) and not sample:
        return " ".join(p for p in (year, body, grade, subject, *leftover) if p), True
    return re.sub(r"((?:19|20)\d{2})\s*년", r"\1", text).strip(), False
