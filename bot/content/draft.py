"""A question typed in a chat: the text form, the form fields, and the checks every path shares.

The text form (``/addq``, ``/suggest``, one message)::

    가상머신을 직접 하드웨어 위에서 실행하는 하이퍼바이저는?
    ① Type-1
    ② Type-2
    정답: ①
    해설: Type-1(베어메탈)은 하드웨어 위에서 바로 실행돼요.
    주제: 가상화

Options are ①–⑩ or numbered lines ("1." / "1)"); 정답 takes ③, 3, 3번 or several ("2,3").
The checks are those ``studybot content check`` applies to a chapter (bot.content.schema's
option counts, duplicates and poll limits, an empty 해설) plus the soundness gate; each
problem is an :class:`Issue` the handlers word in the chat's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.content import soundness
from bot.content.schema import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    POLL_EXPLANATION_MAX,
    POLL_OPTION_MAX,
    POLL_QUESTION_MAX,
    Question,
    Term,
)
from bot.i18n import CIRCLED, circled

IMAGE_REF = "db:"  # Question.image for a picture stored in the database
TOPIC_MAX = 40
TOPICS_MAX = 3
# A whole message: more than any sound question needs (the limits above), less than a flood.
TEXT_MAX = 3000

_OPTION = re.compile(r"^\s*(?:([①-⑩])|\(?(\d{1,2})\s*[.)]|(\d{1,2})번\s*[.):]?)\s*(.*)$")
_LABEL = re.compile(
    r"^\s*(정답|답|answer|해설|explanation|설명|주제|topics?)\s*[:：]\s*(.*)$", re.I
)
_LABELS = {
    "정답": "answer", "답": "answer", "answer": "answer",
    "해설": "explanation", "explanation": "explanation", "설명": "explanation",
    "주제": "topic", "topic": "topic", "topics": "topic",
}  # fmt: skip
_ANSWER_PART = re.compile(r"^\s*(?:([①-⑩])|(\d{1,2})\s*번?)\s*$")


@dataclass(frozen=True, slots=True)
class Draft:
    stem: str = ""
    options: tuple[str, ...] = ()
    answers: tuple[int, ...] = ()
    explanation: str = ""
    topics: tuple[str, ...] = ()
    # What was typed after 정답: when it did not read as option numbers ("" when it did).
    answer_text: str = ""
    unread: tuple[str, ...] = ()  # lines that fit nowhere
    image_id: int | None = None  # the stored picture it carries (question_images)
    source: str = ""  # where an imported question says it is from (never a 기출 label)

    def question(self, qid: str, chapter: str = "") -> Question:
        return Question(
            image=f"{IMAGE_REF}{self.image_id}" if self.image_id is not None else "",
            source=self.source,
            id=qid,
            kind="choice",
            stem=self.stem,
            options=self.options,
            answers=self.answers,
            explanation=self.explanation,
            topics=self.topics,
            chapter=chapter,
        )

    def text_form(self) -> str:
        """The draft as the text form again, to copy, correct and send back."""
        lines = [self.stem] if self.stem else []
        lines += [f"{circled(i)} {o}" for i, o in enumerate(self.options, 1)]
        if self.answers:
            lines.append("정답: " + ", ".join(circled(a) for a in self.answers))
        elif self.answer_text:
            lines.append(f"정답: {self.answer_text}")
        lines.append(f"해설: {self.explanation}")
        if self.topics:
            lines.append("주제: " + ", ".join(self.topics))
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, as a catalog key (``draft_<code>``) and its values."""

    code: str
    values: tuple[tuple[str, object], ...] = ()

    @property
    def key(self) -> str:
        return f"draft_{self.code}"

    def fields(self) -> dict[str, object]:
        return dict(self.values)


def parse_answers(raw: str) -> tuple[int, ...] | None:
    """'③', '3', '3번', '2,3', '②, ③': the option numbers; None when it is not that."""
    parts = [p for p in re.split(r"[,/·\s]+|및|와|과", raw.strip()) if p]
    if not parts:
        return None
    out: list[int] = []
    for part in parts:
        match = _ANSWER_PART.match(part)
        if match is None:
            return None
        mark, digits = match.groups()
        out.append(CIRCLED.index(mark) + 1 if mark else int(digits))
    return tuple(out)


def parse_topics(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in re.split(r"[,，]", raw) if t.strip()))


def from_fields(
    stem: str, options: list[str] | tuple[str, ...], answer: str, explanation: str, topic: str
) -> Draft:
    """A draft from a form's fields (a Discord modal, a Telegram quiz poll)."""
    cleaned = []
    for line in options:
        match = _OPTION.match(line)
        text = (match.group(4) if match else line).strip()
        if text:
            cleaned.append(text)
    answers = parse_answers(answer) if answer.strip() else ()
    return Draft(
        stem=stem.strip(),
        options=tuple(cleaned),
        answers=answers or (),
        explanation=explanation.strip(),
        topics=parse_topics(topic),
        answer_text="" if answers is not None else answer.strip(),
    )


def parse_text(text: str) -> Draft:
    """The text form: the stem first, then the options, then labelled lines in any order."""
    stem: list[str] = []
    options: list[str] = []
    fields: dict[str, list[str]] = {}
    current: str | None = None  # the labelled field a following line continues
    unread: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        label = _LABEL.match(line)
        if label is not None:
            current = _LABELS[label.group(1).lower()]
            fields.setdefault(current, []).append(label.group(2).strip())
            continue
        option = _OPTION.match(line)
        if option is not None and current is None and (option.group(4) or "").strip():
            options.append(option.group(4).strip())
            continue
        if current == "explanation":
            fields[current].append(line)
        elif not options and current is None:
            stem.append(line)
        else:
            unread.append(line)
    answer_raw = " ".join(fields.get("answer", [])).strip()
    answers = parse_answers(answer_raw) if answer_raw else ()
    return Draft(
        stem="\n".join(stem),
        options=tuple(options),
        answers=answers or (),
        explanation="\n".join(x for x in fields.get("explanation", []) if x),
        topics=parse_topics(", ".join(fields.get("topic", []))),
        answer_text="" if answers is not None else answer_raw,
        unread=tuple(unread),
    )


def _issue(code: str, **values: object) -> Issue:
    return Issue(code, tuple(values.items()))


def _subject(draft: Draft, terms: Mapping[str, Term]) -> list[str]:
    """The terms a written question is about: those the accepted options name."""
    right = [draft.options[a - 1] for a in draft.answers if 1 <= a <= len(draft.options)]
    found: list[str] = []
    for option in right:
        flat = soundness.norm(option)
        for term in terms.values():
            if any(soundness.norm(n) == flat for n in term.all_names):
                found.append(term.id)
    return found


def check(draft: Draft, terms: Mapping[str, Term] | None = None) -> list[Issue]:
    """Every problem, in the order a person would fix them; empty when it can be saved."""
    found: list[Issue] = []
    for line in draft.unread:
        found.append(_issue("unread", line=line[:60]))
    if not draft.stem:
        found.append(_issue("no_stem"))
    elif len(draft.stem) > POLL_QUESTION_MAX:
        found.append(_issue("stem_long", length=len(draft.stem), max=POLL_QUESTION_MAX))
    count = len(draft.options)
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        found.append(_issue("option_count", count=count, min=MIN_OPTIONS, max=MAX_OPTIONS))
    for i, option in enumerate(draft.options, 1):
        if len(option) > POLL_OPTION_MAX:
            found.append(_issue("option_long", number=i, length=len(option), max=POLL_OPTION_MAX))
    seen: set[str] = set()
    for option in draft.options:
        if option in seen:
            found.append(_issue("option_twice", option=option[:40]))
        seen.add(option)
    if draft.answer_text:
        found.append(_issue("answer_unread", answer=draft.answer_text[:40]))
    elif not draft.answers:
        found.append(_issue("no_answer"))
    for a in draft.answers:
        if count and not 1 <= a <= count:
            found.append(_issue("answer_range", answer=a, count=count))
    if len(set(draft.answers)) != len(draft.answers):
        found.append(_issue("answer_twice"))
    if not draft.explanation:
        found.append(_issue("no_explanation"))
    elif len(draft.explanation) > POLL_EXPLANATION_MAX:
        found.append(
            _issue("explanation_long", length=len(draft.explanation), max=POLL_EXPLANATION_MAX)
        )
    if len(draft.topics) > TOPICS_MAX:
        found.append(_issue("topics_many", max=TOPICS_MAX))
    for topic in draft.topics:
        if len(topic) > TOPIC_MAX:
            found.append(_issue("topic_long", topic=topic[:20], max=TOPIC_MAX))
    if not found and terms is not None:
        question = draft.question("draft")
        for flaw in soundness.flaws(question, terms, subject=_subject(draft, terms)):
            found.append(_issue(f"flaw_{flaw.rule.replace('-', '_')}"))
    return found
