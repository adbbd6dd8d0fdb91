"""The patterns and word lists the importer reads the notes with."""

from __future__ import annotations

import re

SUBJECT_NAMES = {"computer-general": "컴퓨터일반", "information-security": "정보보호론"}
# Ids carry the subject ("sec2-q-7", "cg3-term-4"): every chapter of every subject has a
# question 1 and terms without an English name.
SUBJECT_PREFIXES = {"computer-general": "cg", "information-security": "sec"}

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
SEPARATOR_RE = re.compile(r"^[-=:|\s]*-[-=:|\s]*$")
BULLET_RE = re.compile(r"^(\s*)(?:[-*+•])\s+(.*)$")
PAREN_TOPIC_RE = re.compile(r"^\(([^()]{1,40})\)$")
CIRCLED_TOPIC_RE = re.compile(rf"^[{CIRCLED}]\s*(.+)$")
NUMBERED_RE = re.compile(r"^(\d{1,3})\s*[.)]\s*(?!\d)(.+)$")
SOURCE_RE = re.compile(r"\s*\[([^\[\]]+)\]\s*$")
OPTION_RE = re.compile(rf"^(?:[-*]\s*)?([{CIRCLED}])\s*(.*)$")
ANSWER_RE = re.compile(r"^정답\s*[:：]?\s*(.*)$")
IMAGE_RE = re.compile(r"^(?:!\[|<img\b)", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]*>")
MARKER_RE = re.compile(rf"^(?:[◆◇■□●○▶▷★☆※·]\s*|[{CIRCLED}]\s*|\d+(?:\.\d+)*[.)]\s+|\(\d+\)\s*)+")
HANJA_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
TRAILING_EN_RE = re.compile(r"^(.*[\uac00-\ud7a3].*?)\s+([A-Za-z][A-Za-z0-9 .'/&+-]*)$")
ABBR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9./+-]{0,9}$")
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*년?")
# Words that make a heading an aspect of a term ("가상화 유형") rather than a term of its own.
ASPECTS = (
    "유형", "종류", "이점", "장점", "단점", "특징", "정의", "구성", "구성요소",
    "분류", "기능", "개념", "목적", "역할", "개요", "원리",
)  # fmt: skip
# Words that make a heading, a "//" line or a row name a topic ("보안 모델 비교"), not a term.
# "정리" is left out: it also means a theorem ("CAP 정리"), which is a term.
TOPIC_WORDS = ("비교", "차이", "차이점", "절차", "과정", "단계", "원칙", "요약", "기준", "요소")
# "RISC와 CISC", "전자서명과 PKI": a heading that sets two things side by side names a topic.
# The particle agrees with the word before it (과 after a final consonant), which keeps
# "결과 보고" and "효과 분석" whole.
PAIR_RE = re.compile(r"^(\S.*?\S)(와|과|및)\s+(\S.*)$")
# "…을 하이퍼바이저라고도 한다.": another name of the term the line is under.
ALSO_CALLED_RE = re.compile(
    r"^(?:(.+?)(?:은|는|을|를)\s+)?(.+?)(?:이)?라고도\s*(?:한다|부른다|불린다|함)\s*\.?$"
)
# "대칭키 암호는 …암호 방식이다." as a definition: the noun phrase, without "X는" and "이다".
DEFINITION_FRAME = r"(?:\s*\([^()]*\))?(?:은|는|이란|란)\s+(.+?)(?:이다|을 말한다|를 말한다)\.?$"
# "(O/X) …" before a stem, "OX" in a source label: the question is an O/X statement.
OX_MARK_RE = re.compile(r"^\(?\s*O\s*/?\s*X\s*\)?\s*[:.]?\s*", re.IGNORECASE)
NAME_MAX = 60
# After a term's name: the notes say what the thing is ("최소 권한의 원칙은 …").
DEFINES = r"(?:\s*\([^()]*\))?(?:은|는|이란|란)\s"
# "보안 모델 비교는 다음과 같다." opens with the name but only points at what follows.
POINTER_RE = re.compile(r"(?:다음|아래)[과와]\s*같")
# After an abbreviation: what it stands for ("SELinux는 Security-Enhanced Linux 약어이다.").
SPELLED_OUT = (
    r"\s*(?:은|는|이란|란)\s*[\"“']?([A-Za-z][A-Za-z0-9 .-]+?)[\"”']?"
    r"\s*의?\s*(?:약어|약자|줄임말)(.*)$"
)
# What may follow "약어" on a line that says nothing else about the term.
SPELLED_OUT_END_RE = re.compile(r"^(?:이다|입니다|다)?\s*\.?$")
# A term name followed by one of these opens a sentence about that term.
PARTICLE = r"(?:\s*\(([^()]*)\))?(?:(?:은|는|이란|란|이|가|의|을|를|도)(?=[\s,.]|$)|\s*:\s)"
SENTENCE_ENDS = ("다", ".", "요", "?", "!")
SHORT_ITEM_MAX = 30
EXCERPT_MAX = 60
