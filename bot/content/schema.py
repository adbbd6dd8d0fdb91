"""The chapter format: frozen types and the validation that turns YAML data into them.

A chapter file is a mapping::

    subject: computer-general          # folder name under content/
    subject_name: 컴퓨터일반
    chapter: 3
    title: 가상화
    title_en: Virtualization
    notes: seed/000_65c0c02f7a5e8aaa.txt   # the notes it was written from
    terms:    [Term, ...]
    families: [Family, ...]   # optional: terms the exam asks to tell apart
    sequences: [Sequence, ...]  # optional: things the notes put in an order (layers, steps)
    questions: [Question, ...]

Validation collects every problem instead of stopping at the first, so that
``studybot content check`` can report a whole file at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Telegram quiz-poll limits; the checker enforces them so every question fits a native poll.
POLL_QUESTION_MAX = 300
POLL_OPTION_MAX = 100
POLL_EXPLANATION_MAX = 200
MIN_OPTIONS = 2
MAX_OPTIONS = 10
QUESTION_KINDS = ("choice", "ox")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
OX_OPTIONS = ("O", "X")
DIAGRAM_REF = "diagram:"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    name: str
    definition: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    hanja: str = ""
    facts: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    # Terms this one is a kind of; generated questions never pit a term against its broader
    # or narrower terms, because both would then fit the description.
    broader: tuple[str, ...] = ()
    # Terms a learner could defend as an answer to this one's definition (or the reverse);
    # generated questions never offer them as each other's distractors.
    confusable: tuple[str, ...] = ()
    # Facts that are true but not in the source notes, kept apart so reviewers can see them.
    added_facts: tuple[str, ...] = ()
    # The kinds or products of this term exactly as the notes list them ("KVM", "Xen", ...);
    # classification questions draw on them.
    examples: tuple[str, ...] = ()
    chapter: str = ""

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [self.name]
        if self.name_en:
            names.append(self.name_en)
        if self.hanja:
            names.append(self.hanja)
        names.extend(self.aliases)
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    kind: str
    stem: str
    options: tuple[str, ...]
    answers: tuple[int, ...]  # 1-based option numbers; an exam key may accept several
    explanation: str
    explanation_short: str = ""
    source: str = ""
    past_exam: bool = False
    topics: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    generated: bool = False
    chapter: str = ""
    # The exam form of a generated question (see bot.content.forms); "" for written ones.
    form: str = ""
    # The picture it stands on: "diagram:<name>" (drawn by bot.pictures), a PNG path relative
    # to the chapter file, or "db:<id>" for a chat's question; "" for none.
    image: str = ""

    @property
    def poll_explanation(self) -> str:
        """The 해설 that fits a quiz poll; the full text is shown at the reveal."""
        if len(self.explanation) <= POLL_EXPLANATION_MAX:
            return self.explanation
        return self.explanation_short

    def is_correct(self, option: int) -> bool:
        return option in self.answers


@dataclass(frozen=True, slots=True)
class Family:
    """Terms the notes set side by side (kinds of one broader term, a contrasting pair).

    Generated questions draw distractors from a term's family first, so they test the
    distinction the exam tests (Type-1 against Type-2, 전가상화 against 반가상화).
    """

    id: str
    name: str
    members: tuple[str, ...]
    broader: str = ""


@dataclass(frozen=True, slots=True)
class Sequence:
    """Things the notes put in one order: the layers from the hardware up, a model's steps.

    Order questions ("…을 하드웨어에 가까운 것부터 바르게 나열한 것은?") draw on it; the
    items are in the order ``direction`` names, exactly as the notes give them.
    """

    id: str
    name: str
    direction: str  # how the order reads: "하드웨어에 가까운 것부터"
    items: tuple[str, ...]
    terms: tuple[str, ...] = ()


SEQUENCE_MIN = 3


@dataclass(frozen=True, slots=True)
class Chapter:
    key: str  # "<subject>/<file stem>", unique across the content tree
    subject: str
    subject_name: str
    chapter: int
    title: str
    title_en: str
    notes: str
    terms: tuple[Term, ...]
    questions: tuple[Question, ...]
    path: str = ""
    topics: tuple[str, ...] = field(default=())
    families: tuple[Family, ...] = ()
    sequences: tuple[Sequence, ...] = ()


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, item: str, reason: str) -> None:
        self.problems.append(Problem(self.file, item, reason))


def _text(c: _Collector, item: str, data: Mapping[str, Any], key: str, *, required: bool) -> str:
    value = data.get(key)
    if value is None:
        if required:
            c.add(item, f"'{key}' is missing")
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        c.add(item, f"'{key}' must be text")
        return ""
    text = str(value).strip()
    if required and not text:
        c.add(item, f"'{key}' is empty")
    return text


def _texts(c: _Collector, item: str, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if value is None:
        return ()
    if not isinstance(value, list):
        c.add(item, f"'{key}' must be a list")
        return ()
    out: list[str] = []
    for i, entry in enumerate(value, 1):
        if not isinstance(entry, str | int | float) or isinstance(entry, bool):
            c.add(item, f"'{key}' entry {i} must be text")
            continue
        text = str(entry).strip()
        if not text:
            c.add(item, f"'{key}' entry {i} is empty")
            continue
        out.append(text)
    return tuple(out)


def _parse_term(c: _Collector, raw: Any, index: int, chapter_key: str) -> Term | None:
    if not isinstance(raw, Mapping):
        c.add(f"terms[{index}]", "a term must be a mapping")
        return None
    tid = _text(c, f"terms[{index}]", raw, "id", required=True)
    item = tid or f"terms[{index}]"
    if tid and not ID_RE.match(tid):
        c.add(item, "id must be lowercase letters, digits, '.', '_' or '-'")
    return Term(
        id=tid,
        name=_text(c, item, raw, "name", required=True),
        definition=_text(c, item, raw, "definition", required=True),
        name_en=_text(c, item, raw, "name_en", required=False),
        aliases=_texts(c, item, raw, "aliases"),
        hanja=_text(c, item, raw, "hanja", required=False),
        facts=_texts(c, item, raw, "facts"),
        related=_texts(c, item, raw, "related"),
        broader=_texts(c, item, raw, "broader"),
        confusable=_texts(c, item, raw, "confusable"),
        added_facts=_texts(c, item, raw, "added_facts"),
        examples=_texts(c, item, raw, "examples"),
        chapter=chapter_key,
    )


def _parse_family(c: _Collector, raw: Any, index: int) -> Family | None:
    if not isinstance(raw, Mapping):
        c.add(f"families[{index}]", "a family must be a mapping")
        return None
    fid = _text(c, f"families[{index}]", raw, "id", required=True)
    item = fid or f"families[{index}]"
    if fid and not ID_RE.match(fid):
        c.add(item, "id must be lowercase letters, digits, '.', '_' or '-'")
    members = _texts(c, item, raw, "members")
    if len(members) < 2:
        c.add(item, "a family needs at least two members")
    return Family(
        id=fid,
        name=_text(c, item, raw, "name", required=True),
        members=members,
        broader=_text(c, item, raw, "broader", required=False),
    )


def _parse_sequence(c: _Collector, raw: Any, index: int) -> Sequence | None:
    if not isinstance(raw, Mapping):
        c.add(f"sequences[{index}]", "a sequence must be a mapping")
        return None
    sid = _text(c, f"sequences[{index}]", raw, "id", required=True)
    item = sid or f"sequences[{index}]"
    if sid and not ID_RE.match(sid):
        c.add(item, "id must be lowercase letters, digits, '.', '_' or '-'")
    items = _texts(c, item, raw, "items")
    if len(items) < SEQUENCE_MIN:
        c.add(item, f"a sequence needs at least {SEQUENCE_MIN} items")
    if len(set(items)) != len(items):
        c.add(item, "an item is listed twice")
    return Sequence(
        id=sid,
        name=_text(c, item, raw, "name", required=True),
        direction=_text(c, item, raw, "direction", required=True),
        items=items,
        terms=_texts(c, item, raw, "terms"),
    )


def _parse_answers(c: _Collector, item: str, raw: Any) -> tuple[int, ...]:
    values = raw if isinstance(raw, list) else [raw]
    out: list[int] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            c.add(item, f"answer {value!r} must be an option number")
            continue
        out.append(value)
    if not out:
        c.add(item, "'answer' is missing")
    return tuple(out)


def _parse_question(c: _Collector, raw: Any, index: int, chapter_key: str) -> Question | None:
    if not isinstance(raw, Mapping):
        c.add(f"questions[{index}]", "a question must be a mapping")
        return None
    qid = _text(c, f"questions[{index}]", raw, "id", required=True)
    item = qid or f"questions[{index}]"
    if qid and not ID_RE.match(qid):
        c.add(item, "id must be lowercase letters, digits, '.', '_' or '-'")
    kind = _text(c, item, raw, "kind", required=True)
    if kind and kind not in QUESTION_KINDS:
        c.add(item, f"kind must be one of {', '.join(QUESTION_KINDS)}")
    if kind == "ox":
        truth = raw.get("truth")
        if not isinstance(truth, bool):
            c.add(item, "an ox question needs 'truth: true' or 'truth: false'")
        if "options" in raw or "answer" in raw:
            c.add(item, "an ox question takes 'truth', not 'options' or 'answer'")
        options: tuple[str, ...] = OX_OPTIONS
        answers: tuple[int, ...] = (1,) if truth is True else (2,)
    else:
        options = _texts(c, item, raw, "options")
        answers = _parse_answers(c, item, raw.get("answer"))
    return Question(
        id=qid,
        kind=kind,
        stem=_text(c, item, raw, "stem", required=True),
        options=options,
        answers=answers,
        explanation=_text(c, item, raw, "explanation", required=True),
        explanation_short=_text(c, item, raw, "explanation_short", required=False),
        source=_text(c, item, raw, "source", required=False),
        past_exam=bool(raw.get("past_exam", False)),
        topics=_texts(c, item, raw, "topics"),
        terms=_texts(c, item, raw, "terms"),
        chapter=chapter_key,
        image=_image(c, item, raw),
    )


def _image(c: _Collector, item: str, raw: Mapping[str, Any]) -> str:
    """A bundled question's picture: a known diagram, or a PNG file beside the chapter."""
    ref = _text(c, item, raw, "image", required=False)
    if not ref:
        return ""
    if ref.startswith(DIAGRAM_REF):
        from bot.pictures.diagrams import DIAGRAMS

        if ref[len(DIAGRAM_REF) :] not in DIAGRAMS:
            c.add(item, f"unknown diagram '{ref}' (known: {', '.join(sorted(DIAGRAMS))})")
        return ref
    if not ref.lower().endswith(".png") or ref.startswith(("/", "db:")) or ".." in ref:
        c.add(item, "image must be 'diagram:<name>' or a .png path inside the content folder")
    return ref


def parse_chapter(data: Any, *, file: str, key: str) -> tuple[Chapter | None, list[Problem]]:
    """Build a chapter from loaded YAML; the problems list is empty when it is sound."""
    c = _Collector(file)
    if not isinstance(data, Mapping):
        c.add("chapter", "the file must hold a mapping with subject, chapter, terms, questions")
        return None, c.problems
    subject = _text(c, "chapter", data, "subject", required=True)
    number = data.get("chapter")
    if isinstance(number, bool) or not isinstance(number, int):
        c.add("chapter", "'chapter' must be a number")
        number = 0
    terms_raw = data.get("terms") or []
    questions_raw = data.get("questions") or []
    if not isinstance(terms_raw, list):
        c.add("chapter", "'terms' must be a list")
        terms_raw = []
    if not isinstance(questions_raw, list):
        c.add("chapter", "'questions' must be a list")
        questions_raw = []
    families_raw = data.get("families") or []
    if not isinstance(families_raw, list):
        c.add("chapter", "'families' must be a list")
        families_raw = []
    sequences_raw = data.get("sequences") or []
    if not isinstance(sequences_raw, list):
        c.add("chapter", "'sequences' must be a list")
        sequences_raw = []
    terms = [t for i, r in enumerate(terms_raw) if (t := _parse_term(c, r, i, key))]
    sequences = [s for i, r in enumerate(sequences_raw) if (s := _parse_sequence(c, r, i))]
    families = [f for i, r in enumerate(families_raw) if (f := _parse_family(c, r, i))]
    questions = [q for i, r in enumerate(questions_raw) if (q := _parse_question(c, r, i, key))]
    chapter = Chapter(
        key=key,
        subject=subject,
        subject_name=_text(c, "chapter", data, "subject_name", required=False) or subject,
        chapter=number,
        title=_text(c, "chapter", data, "title", required=True),
        title_en=_text(c, "chapter", data, "title_en", required=False),
        notes=_text(c, "chapter", data, "notes", required=False),
        terms=tuple(terms),
        questions=tuple(questions),
        path=file,
        topics=tuple(dict.fromkeys(t for q in questions for t in q.topics)),
        families=tuple(families),
        sequences=tuple(sequences),
    )
    c.problems.extend(check_chapter(chapter))
    return chapter, c.problems


def check_chapter(chapter: Chapter) -> list[Problem]:
    """Cross-item rules: ids, references, option counts and platform text limits."""
    c = _Collector(chapter.path)
    term_ids: set[str] = set()
    for term in chapter.terms:
        if term.id in term_ids:
            c.add(term.id, "duplicate term id")
        term_ids.add(term.id)
    for term in chapter.terms:
        for ref in (*term.related, *term.broader, *term.confusable):
            if ref not in term_ids:
                c.add(term.id, f"unknown related term '{ref}'")
            if ref == term.id:
                c.add(term.id, "a term cannot relate to itself")
    family_ids: set[str] = set()
    for family in chapter.families:
        if family.id in family_ids:
            c.add(family.id, "duplicate family id")
        family_ids.add(family.id)
        for ref in (*family.members, *([family.broader] if family.broader else [])):
            if ref not in term_ids:
                c.add(family.id, f"unknown term '{ref}'")
        if len(set(family.members)) != len(family.members):
            c.add(family.id, "a term is listed twice")
        if family.broader and family.broader in family.members:
            c.add(family.id, "the broader term cannot also be a member")
    sequence_ids: set[str] = set()
    for seq in chapter.sequences:
        if seq.id in sequence_ids or seq.id in family_ids:
            c.add(seq.id, "duplicate sequence id")
        sequence_ids.add(seq.id)
        for ref in seq.terms:
            if ref not in term_ids:
                c.add(seq.id, f"unknown term '{ref}'")
    for term in chapter.terms:
        if len(set(term.examples)) != len(term.examples):
            c.add(term.id, "an example is listed twice")
    question_ids: set[str] = set()
    for q in chapter.questions:
        if q.id in question_ids:
            c.add(q.id, "duplicate question id")
        question_ids.add(q.id)
        if not MIN_OPTIONS <= len(q.options) <= MAX_OPTIONS:
            c.add(q.id, f"needs {MIN_OPTIONS} to {MAX_OPTIONS} options, has {len(q.options)}")
        if len(set(q.options)) != len(q.options):
            c.add(q.id, "two options have the same text")
        for a in q.answers:
            if not 1 <= a <= len(q.options):
                c.add(q.id, f"accepted option {a} is out of range 1..{len(q.options)}")
        if len(set(q.answers)) != len(q.answers):
            c.add(q.id, "an accepted option is listed twice")
        if len(q.stem) > POLL_QUESTION_MAX:
            c.add(q.id, f"stem has {len(q.stem)} characters, a quiz poll takes {POLL_QUESTION_MAX}")
        for i, option in enumerate(q.options, 1):
            if len(option) > POLL_OPTION_MAX:
                c.add(
                    q.id, f"option {i} has {len(option)} characters, a poll takes {POLL_OPTION_MAX}"
                )
        if len(q.explanation) > POLL_EXPLANATION_MAX and not q.explanation_short:
            c.add(
                q.id,
                f"해설 has {len(q.explanation)} characters; add 'explanation_short' of at most "
                f"{POLL_EXPLANATION_MAX} for the poll (the full 해설 is shown at the reveal)",
            )
        if len(q.explanation_short) > POLL_EXPLANATION_MAX:
            c.add(q.id, f"explanation_short is over {POLL_EXPLANATION_MAX} characters")
        if q.past_exam and not q.source:
            c.add(q.id, "a past exam question (기출) needs its source")
        for ref in q.terms:
            if ref not in term_ids:
                c.add(q.id, f"unknown term '{ref}'")
    overlap = term_ids & question_ids
    for both in sorted(overlap):
        c.add(both, "the same id is used by a term and a question")
    return c.problems
