"""Turn study notes written in the seed's format into a DRAFT chapter for an instructor.

The notes are loose markdown exported from a blog editor. What the importer understands:

- the chapter heading, the first numbered heading: ``### 3. 가상화(virtualization)``;
- term rows, ``name<TAB><ul><li>…</li></ul>`` or ``name<TAB>plain text``, where the name may
  carry an English name (``호스트 host``, ``엔드포인트 장치 (endpoint)``) and the list items
  bullet marks and ``<b>`` tags; dashed separator lines between rows are skipped;
- subjects that own the ``- …`` bullets below them: headings, ``// 가상머신(Virtual machine,
  VM)`` comments, whole-line ``(데스크탑 가상화)`` and ``② Type-2 : …`` lines. A subject named
  like ``가상화 유형`` or ``용어 가상화`` is filed under the term it is about (가상화);
- prose that opens with a known term and a particle (``KVM은 …``, ``가상(假想)의 …``);
- 기출 blocks: ``**N. stem [source]**``, ``- ① …`` options, ``☞ topic`` and its 해설, ``정답 : ③``.

Everything else (commentary prose, diagram tables, questions that cannot be completed) is
reported as "unplaced" rather than guessed at; terms whose definition gives their own name away,
or that have no English name to make an id from (``ch3-term-4``), are listed for review. The
draft on its own always passes ``parse_chapter``: whatever would fail is left out and reported.
Ids may still clash with other chapters of the content tree; ``studybot content check`` names
those. Questions are 기출 (``past_exam``) only when the source names a year and an exam.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from bot.content.schema import ID_RE, POLL_EXPLANATION_MAX, parse_chapter

SUBJECT_NAMES = {"computer-general": "컴퓨터일반", "information-security": "정보보호론"}

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_SEPARATOR_RE = re.compile(r"^[-=:|\s]*-[-=:|\s]*$")
_BULLET_RE = re.compile(r"^(\s*)(?:[-*+•])\s+(.*)$")
_PAREN_TOPIC_RE = re.compile(r"^\(([^()]{1,40})\)$")
_CIRCLED_TOPIC_RE = re.compile(rf"^[{_CIRCLED}]\s*(.+)$")
_NUMBERED_RE = re.compile(r"^(\d{1,3})\s*[.)]\s*(?!\d)(.+)$")
_SOURCE_RE = re.compile(r"\s*\[([^\[\]]+)\]\s*$")
_OPTION_RE = re.compile(rf"^(?:[-*]\s*)?([{_CIRCLED}])\s*(.*)$")
_ANSWER_RE = re.compile(r"^정답\s*[:：]?\s*(.*)$")
_IMAGE_RE = re.compile(r"^(?:!\[|<img\b)", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_MARKER_RE = re.compile(rf"^(?:[◆◇■□●○▶▷★☆※·]\s*|[{_CIRCLED}]\s*|\d+(?:\.\d+)*[.)]\s+|\(\d+\)\s*)+")
_HANJA_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
_TRAILING_EN_RE = re.compile(r"^(.*[\uac00-\ud7a3].*?)\s+([A-Za-z][A-Za-z0-9 .'/&+-]*)$")
_ABBR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9./+-]{0,9}$")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*년?")
# Words that make a heading an aspect of a term ("가상화 유형") rather than a term of its own.
_ASPECTS = (
    "유형", "종류", "이점", "장점", "단점", "특징", "정의", "구성", "구성요소",
    "분류", "기능", "개념", "목적", "역할", "개요", "원리",
)  # fmt: skip
# A term name followed by one of these opens a sentence about that term.
_PARTICLE = r"(?:\s*\(([^()]*)\))?(?:(?:은|는|이란|란|이|가|의|을|를|도)(?=[\s,.]|$)|\s*:\s)"
_SENTENCE_ENDS = ("다", ".", "요", "?", "!")
_SHORT_ITEM_MAX = 30
_EXCERPT_MAX = 60

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


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A draft chapter mapping plus what a reviewer has to look at.

    ``unplaced`` lists note lines that made it into no term or question; ``review`` lists
    things that did go in but need a human rewrite. Both read "line N: reason: excerpt".
    """

    chapter: dict[str, Any]
    unplaced: list[str]
    review: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        """The draft file, with the review and unplaced lists in its header comment."""
        notes = [f"review: {r}" for r in self.review]
        notes += [f"not placed: {u}" for u in self.unplaced]
        return dump_yaml(self.chapter, notes=notes)


class _DraftDumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line 해설 as literal blocks, which reviewers can edit."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DraftDumper.add_representer(str, _represent_str)


def dump_yaml(chapter: dict[str, Any], *, notes: Iterable[str] = ()) -> str:
    """Serialize a draft chapter; ``notes`` become comment lines under the draft header."""
    source = chapter.get("notes") or "study notes"
    header = [
        f"# DRAFT imported from {source} by `studybot content import`.",
        "# Not reviewed: an instructor must check every term and question before publishing.",
    ]
    header += ["# - " + " ".join(line.split()) for line in notes]
    body = yaml.dump(
        chapter,
        Dumper=_DraftDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
    return "\n".join(header) + "\n" + body


def import_file(path: Path, subject: str = "computer-general") -> ImportResult:
    # utf-8-sig: notes saved by Windows editors start with a BOM that would hide the heading.
    text = path.read_text(encoding="utf-8-sig")
    return import_notes(text, notes_name=path.name, subject=subject)


def import_notes(text: str, *, notes_name: str, subject: str = "computer-general") -> ImportResult:
    reader = _Reader(text.splitlines())
    reader.read()
    return _Assembler(reader, notes_name=notes_name, subject=subject).build()


# --- text helpers -------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = _TAG_RE.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ").replace("**", "")
    text = re.sub(r"\s+", " ", text).strip()
    # Items are written "• …" inside <li> and "- • …" in places; the marks are layout only.
    return re.sub(r"^(?:[-*•]\s+|•\s*)+", "", text).strip()


def _excerpt(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _EXCERPT_MAX else text[: _EXCERPT_MAX - 1] + "…"


def _norm(name: str) -> str:
    # Notes spell the same term "데이터 센터" and "데이터센터"; match on what they share.
    return re.sub(r"\s+", "", name).casefold()


def _is_ascii_name(text: str) -> bool:
    return bool(text) and not _HANGUL_RE.search(text) and text.isascii()


def _is_abbr(text: str) -> bool:
    return bool(_ABBR_RE.match(text)) and sum(c.isupper() for c in text) >= 2


def _is_sentence(text: str) -> bool:
    return text.endswith(_SENTENCE_ENDS)


def _is_short_item(text: str) -> bool:
    """A bare noun phrase ("운영비 절감"); a run of these reads best as one listed fact."""
    return (
        len(text) <= _SHORT_ITEM_MAX
        and not text.endswith((*_SENTENCE_ENDS, "함", "음", "됨"))
        and ":" not in text
    )


def _is_decoration(text: str) -> bool:
    return not re.search(r"[\w\uac00-\ud7a3]", text)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if len(slug) > 64:
        slug = slug[:64].rsplit("-", 1)[0]
    return slug


@dataclass(slots=True)
class _Name:
    name: str
    name_en: str = ""
    aliases: list[str] = field(default_factory=list)
    hanja: str = ""

    def add_part(self, part: str) -> None:
        part = part.strip()
        if not part:
            return
        if _HANJA_RE.match(part):
            self.hanja = self.hanja or part
        elif _is_ascii_name(part) and not _is_abbr(part) and not self.name_en:
            self.name_en = part
        elif part not in self.aliases and part != self.name:
            self.aliases.append(part)


def _parse_name(raw: str) -> _Name:
    """Split "하이퍼바이저(hypervisor) - VMM" into name, English name, hanja and aliases."""
    text = _MARKER_RE.sub("", _clean(raw)).strip().rstrip(",;").strip()
    # "Type-1 : native(bare metal) 하이퍼바이저": the left side names it, the right describes it.
    text = re.split(r"\s*:\s+", text, maxsplit=1)[0].strip()
    suffix = ""
    if m := re.match(r"^(.*?\S)\s+[-–—]\s+(\S.*)$", text):
        text, suffix = m[1], m[2].strip()
    if m := re.match(r"^\((.+)\)$", text):
        text = m[1].strip()
    out = _Name(text)
    if m := re.match(r"^([^()]*?)\s*\(([^()]*)\)\s*(.*)$", text):
        before, inner, after = m[1].strip(), m[2], m[3].strip()
        if before and after:
            # "호스트(hosted) 하이퍼바이저": the parenthesis glosses one word, not the whole name.
            out.name = f"{before} {after}"
        elif before:
            out.name = before
            for part in re.split(r"[,;]", inner):
                out.add_part(part)
    elif m := _TRAILING_EN_RE.match(text):
        out.name = m[1].strip()
        out.add_part(m[2])
    if suffix and _is_abbr(suffix):
        out.add_part(suffix)
    if out.name.startswith("용어 "):
        out.name = out.name[3:].strip()
    return out


def _parse_answers(text: str) -> list[int]:
    circled = [_CIRCLED.index(c) + 1 for c in text if c in _CIRCLED]
    if circled:
        return circled
    return [int(d) for d in re.findall(r"\d{1,2}", text)]


def normalize_source(raw: str) -> tuple[str, bool]:
    """Return the source as the bot shows it and whether it names a real exam (기출).

    "2018년 컴일 국가 9급" becomes ("2018 국가직 9급 컴퓨터일반", True); a label that names no
    year and exam body ("예시 문제") is kept as written and is not a 기출.
    """
    text = _clean(raw)
    year_m = _YEAR_RE.search(text)
    year = year_m[1] if year_m else ""
    rest = _YEAR_RE.sub(" ", text, count=1) if year_m else text
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


def _explanation_short(text: str) -> str:
    """Cut the 해설 at the last sentence or line end that fits a quiz poll."""
    limit = POLL_EXPLANATION_MAX
    cuts = [i for i, c in enumerate(text[:limit]) if c == "\n"]
    for m in re.finditer(r"[.?!](?:\((?:x|o|X|O)\))?(?=\s|$)", text):
        if m.end() <= limit:
            cuts.append(m.end())
    if cuts:
        short = text[: max(cuts)].strip()
        if short:
            return short
    head = text[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip() + "…"


# --- reading the notes --------------------------------------------------------------------


@dataclass(slots=True)
class _Subject:
    """Something facts can belong to: a heading, a topic comment or a term row."""

    name: _Name
    line: int
    term_like: bool

    @property
    def label(self) -> str:
        return self.name.name


@dataclass(slots=True)
class _Claim:
    subject: _Subject
    line: int
    text: str


@dataclass(slots=True)
class _Loose:
    """Text that belongs to a term only if it opens with that term's name."""

    line: int
    text: str
    reason: str
    # The author's own asides ("// 스레드는 다음 두 가지로 나뉜다.") are never a term's fact.
    attachable: bool = True


@dataclass(slots=True)
class _QuestionDraft:
    number: int
    line: int
    stem: list[str]
    source: str
    options: list[str] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    topic: str = ""
    explanation: list[str] = field(default_factory=list)
    phase: str = "stem"  # stem -> options -> explain -> answered (-> late_explain)


class _ListParser(HTMLParser):
    """Collects the <li> and <p> texts of a table cell, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self._kind = "text"
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("li", "p"):
            self._flush()
            self._kind = tag
        elif tag == "br":
            self._buf.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("li", "p", "ul", "ol"):
            self._flush()

    def handle_data(self, data: str) -> None:
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = _clean("".join(self._buf))
        if text:
            self.items.append((self._kind, text))
        self._buf = []
        self._kind = "text"


def _html_items(cell: str) -> list[tuple[str, str]]:
    parser = _ListParser()
    parser.feed(cell)
    parser.close()
    return parser.items


class _Reader:
    """One pass over the lines: subjects, the facts claimed for them, loose text, questions."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.chapter_number: int | None = None
        self.chapter: _Subject | None = None
        self.subjects: list[_Subject] = []
        self.claims: list[_Claim] = []
        self.loose: list[_Loose] = []
        self.unplaced: list[tuple[int, str, str]] = []
        self.questions: list[_QuestionDraft] = []
        self.current: _Subject | None = None
        self._question: _QuestionDraft | None = None
        self._run: list[tuple[int, str]] = []
        self._run_subject: _Subject | None = None

    # -- bookkeeping

    def _unplace(self, line: int, reason: str, text: str) -> None:
        self.unplaced.append((line, reason, _excerpt(text)))

    def _subject(self, title: str, line: int, *, term_like: bool = False) -> _Subject:
        name = _parse_name(title)
        if not name.name:
            name.name = _clean(title)
        term_like = (
            term_like
            or bool(name.name_en or name.aliases or name.hanja)
            or _is_ascii_name(name.name)
        )
        subject = _Subject(name, line, term_like)
        self.subjects.append(subject)
        return subject

    def _fact(self, subject: _Subject | None, line: int, text: str, reason: str) -> None:
        if not text:
            return
        if subject is None:
            self._flush()
            self.loose.append(_Loose(line, text, reason))
            return
        # Only sections gather noun-phrase lists; a term's own items each stay a fact.
        if not subject.term_like and _is_short_item(text):
            if self._run_subject is not subject:
                self._flush()
                self._run_subject = subject
            self._run.append((line, text))
            return
        self._flush()
        self.claims.append(_Claim(subject, line, text))

    def _flush(self) -> None:
        run, subject = self._run, self._run_subject
        self._run, self._run_subject = [], None
        if not run or subject is None:
            return
        if len(run) == 1:
            self.claims.append(_Claim(subject, run[0][0], run[0][1]))
            return
        joined = ", ".join(text for _, text in run)
        self.claims.append(_Claim(subject, run[0][0], f"{subject.label}: {joined}"))

    # -- the main loop

    def read(self) -> None:
        i = 0
        while i < len(self.lines):
            n = i + 1
            # Tabs are kept: trailing empty cells are what mark a diagram row.
            line = self.lines[i].replace("\u00a0", " ").rstrip(" \r\n\f\v")
            if self._question is not None:
                if self._question_line(n, line):
                    i += 1
                    continue
                self._finish_question()
            if "\t" in line and line.strip() and not _SEPARATOR_RE.match(line):
                i = self._table_block(i)
                continue
            self._line(n, line)
            i += 1
        if self._question is not None:
            self._finish_question()
        self._flush()

    def _line(self, n: int, line: str) -> None:
        text = line.strip()
        if not text or _SEPARATOR_RE.match(text):
            self._flush()
            return
        if m := _HEADING_RE.match(text):
            self._flush()
            self._heading(n, m[2])
            return
        if self._question_header(n, text):
            return
        self._flush_unless_bullet(line)
        if text.startswith("**") and text.endswith("**") and len(text) > 4:
            inner = _clean(text)
            if "기출" in inner or ("문제" in inner and len(inner) <= 20):
                # The 기출 section: bullets after it belong to questions, not to the last term.
                self.current = None
            else:
                self.current = self._subject(inner, n)
        elif text.startswith("//"):
            self._comment(n, text[2:].strip())
        elif _IMAGE_RE.match(text):
            self._unplace(n, "image or figure", text)
        elif text.startswith("<"):
            self._html_cell(n, text, self.current, term_row=False)
        elif m := _BULLET_RE.match(line):
            self._fact(self.current, n, _clean(m[2]).rstrip(","), "bullet under no heading")
        elif m := _PAREN_TOPIC_RE.match(text):
            self.current = self._subject(m[1], n)
        elif _CIRCLED_TOPIC_RE.match(text):
            self.current = self._subject(text, n)
        else:
            self.loose.append(_Loose(n, _clean(text), "prose not attached to a term"))

    def _flush_unless_bullet(self, line: str) -> None:
        if not _BULLET_RE.match(line):
            self._flush()

    def _heading(self, n: int, raw: str) -> None:
        text = _clean(raw)
        if self.chapter is None and (m := _NUMBERED_RE.match(text)):
            self.chapter_number = int(m[1])
            self.chapter = self._subject(m[2], n)
            self.current = self.chapter
            return
        marked = bool(re.match(r"^[◆◇■□●○▶▷★☆]", text))
        self.current = self._subject(text, n, term_like=marked)

    def _comment(self, n: int, text: str) -> None:
        text = _clean(text)
        if not text:
            return
        if _is_sentence(text) or len(text) > 50:
            self.loose.append(_Loose(n, text, "comment not attached to a term", False))
            return
        self.current = self._subject(text, n)

    # -- tables

    def _table_block(self, start: int) -> int:
        rows: list[tuple[int, list[str]]] = []
        i = start
        while i < len(self.lines):
            line = self.lines[i].replace("\u00a0", " ").rstrip(" \r\n\f\v")
            if _SEPARATOR_RE.match(line) and line.strip():
                i += 1
                continue
            if "\t" not in line or not line.strip():
                break
            rows.append((i + 1, [cell.strip() for cell in line.split("\t")]))
            i += 1
        self._flush()
        diagram = any(
            "<" not in "".join(cells) and (len(cells) >= 3 or not cells[0]) for _, cells in rows
        )
        plain = [(n, cells) for n, cells in rows if "<" not in "".join(cells)]
        if diagram and plain:
            first, last = plain[0][0], plain[-1][0]
            excerpt = " | ".join(c for c in plain[0][1] if c)
            reason = f"diagram table of {len(plain)} rows (lines {first}-{last})"
            self._unplace(first, reason, excerpt)
        for n, cells in rows:
            if diagram and "<" not in "".join(cells):
                continue
            self._table_row(n, cells)
        return i

    def _table_row(self, n: int, cells: list[str]) -> None:
        while cells and not cells[-1]:
            cells = cells[:-1]
        if len(cells) < 2:
            self._unplace(n, "table row with nothing after the name", " ".join(cells))
            return
        head, rest = cells[0], cells[1:]
        if not head or "<" in head or len(head) > 60:
            # A layout row (side-by-side boxes): each cell stands on its own.
            for cell in filter(None, cells):
                self._html_cell(n, cell, self.current, term_row=False)
            return
        subject = self._subject(head, n, term_like=True)
        for cell in rest:
            if "<" in cell:
                self._html_cell(n, cell, subject, term_row=True)
                continue
            text = _clean(cell)
            if text:
                fact = text if _is_sentence(text) else f"{subject.label}: {text}"
                self.claims.append(_Claim(subject, n, fact))

    def _html_cell(self, n: int, cell: str, subject: _Subject | None, *, term_row: bool) -> None:
        items = _html_items(cell)
        if not items:
            self._unplace(n, "HTML with no list to read", cell)
            return
        for kind, text in items:
            if text.startswith("//"):
                topic = text[2:].strip()
                if topic and not _is_sentence(topic):
                    self._flush()
                    subject = self._subject(topic, n)
                    term_row = True
                else:
                    self.loose.append(
                        _Loose(n, topic, "comment not attached to a term", attachable=False)
                    )
                continue
            if _is_decoration(text):
                continue
            if kind == "li" or term_row:
                self._fact(subject, n, text.rstrip(","), "list item with no term name")
            else:
                self.loose.append(_Loose(n, text, "prose not attached to a term"))
        self._flush()

    # -- questions

    @staticmethod
    def _header_match(text: str) -> tuple[int, str, str] | None:
        """(number, stem, source) when the line opens a question: "**N. stem [source]**"."""
        if not (text.startswith("**") or text[:1].isdigit()):
            return None
        m = _NUMBERED_RE.match(_clean(text))
        if not m:
            return None
        body = m[2]
        source_m = _SOURCE_RE.search(body)
        if source_m:
            return int(m[1]), body[: source_m.start()].strip(), source_m[1].strip()
        if text.startswith("**") and body.endswith("?"):
            return int(m[1]), body, ""
        return None

    def _question_header(self, n: int, text: str) -> bool:
        header = self._header_match(text)
        if header is None:
            return False
        self._flush()
        self.current = None
        number, stem, source = header
        self._question = _QuestionDraft(number, n, [stem], source)
        return True

    def _question_line(self, n: int, line: str) -> bool:
        """Feed one line to the open question; False hands it back to the notes reader."""
        q = self._question
        assert q is not None
        text = line.strip()
        if not text:
            return True
        if _HEADING_RE.match(text) or self._header_match(text):
            return False
        bare = text.replace("**", "").strip()
        if q.phase in ("answered", "late_explain"):
            if bare.startswith("☞"):
                q.phase = "late_explain"
                q.topic = q.topic or _clean(bare[1:])
                return True
            if q.phase == "late_explain" and (
                _BULLET_RE.match(line) or bare.startswith("→") or bare in ("-", "*")
            ):
                self._explain(q, line)
                return True
            return False
        if m := _ANSWER_RE.match(bare):
            q.answers = _parse_answers(m[1])
            q.phase = "answered"
            return True
        if bare.startswith("☞"):
            q.phase = "explain"
            q.topic = _clean(bare[1:])
            return True
        if q.phase in ("stem", "options") and (m := _OPTION_RE.match(bare)):
            q.options.append(_clean(m[2]))
            q.phase = "options"
            return True
        if q.phase == "stem":
            # Lines between the stem and ① are part of the stem (a <보기> box).
            extra = _clean(bare)
            if extra:
                q.stem.append(extra)
            return True
        q.phase = "explain"
        self._explain(q, line)
        return True

    @staticmethod
    def _explain(q: _QuestionDraft, line: str) -> None:
        stripped = line.strip()
        if stripped in ("-", "*", "•"):
            return
        if stripped.startswith("→"):
            text = _clean(stripped[1:])
            if text:
                q.explanation.append(f"→ {text}")
            return
        m = _BULLET_RE.match(line)
        text = _clean(m[2] if m else stripped)
        if not text:
            return
        nested = m is not None and len(m[1].expandtabs(4)) >= 2
        q.explanation.append(f"· {text}" if nested else text)

    def _finish_question(self) -> None:
        q = self._question
        self._question = None
        if q is None:
            return
        label = f"question {q.number}"
        stem = q.stem[0] if q.stem else ""
        if len(q.options) < 2:
            count = f"{len(q.options)} option" + ("" if len(q.options) == 1 else "s")
            self._unplace(q.line, f"{label} has {count}, needs at least 2; not written", stem)
        elif not q.answers:
            self._unplace(q.line, f"{label} has no 정답 line; not written", stem)
        elif any(not 1 <= a <= len(q.options) for a in q.answers):
            reason = f"{label}: 정답 {q.answers} is not among its {len(q.options)} options"
            self._unplace(q.line, f"{reason}; not written", stem)
        elif not q.explanation:
            self._unplace(q.line, f"{label} has no 해설 (☞ …) to show; not written", stem)
        else:
            self.questions.append(q)


def _report(line: int, reason: str, excerpt: str) -> str:
    where = f"line {line}" if line else "draft"
    return f"{where}: {reason}: {excerpt}" if excerpt else f"{where}: {reason}"


# --- assembling the chapter ---------------------------------------------------------------


@dataclass(slots=True)
class _TermDraft:
    name: str
    line: int
    term_like: bool
    name_en: str = ""
    aliases: list[str] = field(default_factory=list)
    hanja: str = ""
    facts: list[tuple[int, int, str]] = field(default_factory=list)

    def names(self) -> list[str]:
        return [n for n in (self.name, self.name_en, self.hanja, *self.aliases) if n]

    def merge(self, name: _Name) -> None:
        self.name_en = self.name_en or name.name_en
        self.hanja = self.hanja or name.hanja
        for alias in name.aliases:
            if alias not in self.aliases and _norm(alias) != _norm(self.name):
                self.aliases.append(alias)


class _Assembler:
    def __init__(self, reader: _Reader, *, notes_name: str, subject: str) -> None:
        self.r = reader
        self.notes_name = notes_name
        self.subject = subject
        self.unplaced = list(reader.unplaced)
        self.review: list[tuple[int, str, str]] = []
        self.drafts: list[_TermDraft] = []
        self._by_name: dict[str, _TermDraft] = {}
        self._seq = 0

    def build(self) -> ImportResult:
        chapter_name = self.r.chapter.name if self.r.chapter else None
        if chapter_name is None:
            self.unplaced.append(
                (1, "no chapter heading like '### 3. 제목(english)'", "title taken from file name")
            )
        by_subject = self._resolve_subjects()
        for claim in self.r.claims:
            self._add_fact(by_subject[id(claim.subject)], claim.line, claim.text)
        self._attach_loose()
        terms, term_ids = self._terms()
        questions = self._questions(term_ids, {t["id"] for t in terms})
        title = chapter_name.name if chapter_name else Path(self.notes_name).stem
        title_en = chapter_name.name_en if chapter_name else ""
        chapter: dict[str, Any] = {
            "subject": self.subject,
            "subject_name": SUBJECT_NAMES.get(self.subject, self.subject),
            "chapter": self.r.chapter_number or 0,
            "title": title,
            "title_en": title_en[:1].upper() + title_en[1:],
            "notes": self.notes_name,
            "terms": terms,
            "questions": questions,
        }
        self._drop_invalid(chapter)
        return ImportResult(
            chapter=chapter,
            unplaced=[_report(*entry) for entry in sorted(self.unplaced)],
            review=[_report(*entry) for entry in sorted(self.review)],
        )

    # -- terms

    def _lookup(self, name: str) -> _TermDraft | None:
        return self._by_name.get(_norm(name))

    def _register(self, draft: _TermDraft) -> None:
        for name in draft.names():
            self._by_name.setdefault(_norm(name), draft)

    def _resolve_subjects(self) -> dict[int, _TermDraft]:
        known = {_norm(s.name.name) for s in self.r.subjects}
        out: dict[int, _TermDraft] = {}
        for s in self.r.subjects:
            draft = self._lookup(s.name.name)
            if draft is None and (base := self._aspect_base(s.name.name, known)):
                draft = self._lookup(base)
                if draft is None:
                    draft = _TermDraft(base, s.line, term_like=False)
                    self.drafts.append(draft)
                    self._register(draft)
            elif draft is None:
                draft = _TermDraft(s.name.name, s.line, term_like=s.term_like)
                self.drafts.append(draft)
            if _norm(draft.name) == _norm(s.name.name):
                draft.merge(s.name)
                draft.term_like = draft.term_like or s.term_like
            self._register(draft)
            out[id(s)] = draft
        return out

    @staticmethod
    def _aspect_base(name: str, known: set[str]) -> str | None:
        for aspect in _ASPECTS:
            if name.endswith(aspect) and len(name) > len(aspect):
                base = name[: -len(aspect)].strip()
                base = base.removesuffix("의").strip() if base.endswith("의") else base
                if base and _norm(base) in known:
                    return base
        return None

    def _add_fact(self, draft: _TermDraft, line: int, text: str) -> None:
        self._seq += 1
        draft.facts.append((line, self._seq, text))

    def _attach_loose(self) -> None:
        chapter = self._lookup(self.r.chapter.name.name) if self.r.chapter else None
        # A title like "프로세스와 스레드" is no term unless the notes give it facts of its own;
        # otherwise the chapter's opening remarks would become its definition.
        candidates = [d for d in self.drafts if d is not chapter or d.facts]
        matchers: list[tuple[str, _TermDraft]] = sorted(
            ((name, d) for d in candidates for name in d.names()),
            key=lambda pair: -len(pair[0]),
        )
        for loose in self.r.loose:
            for name, draft in matchers if loose.attachable else []:
                flags = re.IGNORECASE if name.isascii() else 0
                m = re.match(re.escape(name) + _PARTICLE, loose.text, flags)
                if m:
                    if m[1] and _HANJA_RE.match(m[1].strip()):
                        draft.hanja = draft.hanja or m[1].strip()
                    self._add_fact(draft, loose.line, loose.text)
                    break
            else:
                self.unplaced.append((loose.line, loose.reason, _excerpt(loose.text)))

    def _terms(self) -> tuple[list[dict[str, Any]], dict[int, str]]:
        chapter_draft = self._lookup(self.r.chapter.name.name) if self.r.chapter else None
        out: list[dict[str, Any]] = []
        ids: dict[int, str] = {}
        used: set[str] = set()
        drafts = sorted(self.drafts, key=lambda d: d.line)
        for draft in drafts:
            if not draft.facts:
                if draft.term_like and draft is not chapter_draft:
                    self.unplaced.append(
                        (draft.line, "heading with nothing under it; no term made", draft.name)
                    )
                continue
            facts = list(dict.fromkeys(text for _, _, text in sorted(draft.facts)))
            self._english_from_facts(draft, facts)
            definition, rest = facts[0], facts[1:]
            term_id = self._term_id(draft, len(out) + 1, used, self._prefix)
            used.add(term_id)
            if not (_is_ascii_name(draft.name) or draft.name_en):
                self.review.append(
                    (draft.line, f"term {draft.name} ({term_id}): no English name; name the id", "")
                )
            ids[id(draft)] = term_id
            term: dict[str, Any] = {"id": term_id, "name": draft.name}
            if draft.name_en:
                term["name_en"] = draft.name_en
            if draft.aliases:
                term["aliases"] = list(draft.aliases)
            if draft.hanja:
                term["hanja"] = draft.hanja
            term["definition"] = definition
            if rest:
                term["facts"] = rest
            out.append(term)
            lowered = definition.casefold()
            if any(n.casefold() in lowered for n in draft.names()):
                line = min(n for n, _, t in draft.facts if t == definition)
                self.review.append(
                    (
                        line,
                        f"term {draft.name} ({term_id}): the definition names the term; "
                        "rewrite it so it does not give the answer away",
                        definition,
                    )
                )
        return out, ids

    @staticmethod
    def _english_from_facts(draft: _TermDraft, facts: list[str]) -> None:
        # "SELinux는 Security-Enhanced Linux 약어이다." spells out what an abbreviation stands for.
        if draft.name_en or not _is_ascii_name(draft.name):
            return
        pattern = (
            re.escape(draft.name)
            + r"\s*(?:은|는)\s*[\"“']?([A-Za-z][A-Za-z0-9 .-]+?)[\"”']?"
            + r"\s*의?\s*(?:약어|약자|줄임말)"
        )
        for fact in facts:
            if m := re.match(pattern, fact):
                draft.name_en = m[1].strip()
                return

    @property
    def _prefix(self) -> str:
        # Ids are unique across the whole content tree, and every chapter has a question 1.
        number = self.r.chapter_number
        return f"ch{number}-" if number is not None else ""

    @staticmethod
    def _term_id(draft: _TermDraft, position: int, used: set[str], prefix: str) -> str:
        base = ""
        if _is_ascii_name(draft.name):
            base = _slug(draft.name)
        if not base and draft.name_en:
            base = _slug(draft.name_en)
        if not base or not ID_RE.match(base):
            # No romanization: a reviewer renames it; position keeps it stable between imports.
            base = f"{prefix}term-{position}"
        candidate, k = base, 2
        while candidate in used:
            candidate = f"{base}-{k}"
            k += 1
        return candidate

    # -- questions

    def _questions(self, term_ids: dict[int, str], taken: set[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        used = set(taken)
        for q in self.r.questions:
            source, past = normalize_source(q.source) if q.source else ("", False)
            year = _YEAR_RE.search(q.source)
            base = f"past-{year[1]}-{q.number}" if past and year else f"{self._prefix}q-{q.number}"
            qid, k = base, 2
            while qid in used:
                qid = f"{base}-{k}"
                k += 1
            used.add(qid)
            explanation = "\n".join(q.explanation)
            item: dict[str, Any] = {
                "id": qid,
                "kind": "choice",
                "stem": "\n".join(q.stem),
                "options": q.options,
                "answer": q.answers[0] if len(q.answers) == 1 else q.answers,
                "explanation": explanation,
            }
            if len(explanation) > POLL_EXPLANATION_MAX:
                item["explanation_short"] = _explanation_short(explanation)
            if source:
                item["source"] = source
            item["past_exam"] = past
            # "☞ 해설" only announces the explanation; it names no topic.
            if q.topic and q.topic not in ("해설", "풀이", "해답"):
                topic = _parse_name(q.topic)
                item["topics"] = [topic.name]
                draft = self._lookup(topic.name)
                if draft is not None and id(draft) in term_ids:
                    item["terms"] = [term_ids[id(draft)]]
            item["_line"] = q.line
            out.append(item)
        return out

    # -- the safety net

    def _drop_invalid(self, chapter: dict[str, Any]) -> None:
        """Leave out whatever ``parse_chapter`` rejects, so the draft always checks clean."""
        lines = {q["id"]: q.pop("_line") for q in chapter["questions"]}
        lines.update({t["id"]: self._term_line(t) for t in chapter["terms"]})
        while True:
            data = yaml.safe_load(dump_yaml(chapter))
            _, problems = parse_chapter(data, file=self.notes_name, key="draft")
            items = {t["id"] for t in chapter["terms"]} | {q["id"] for q in chapter["questions"]}
            removable = [p for p in problems if p.item in items]
            if not removable:
                # Chapter-level faults cannot be cut out; the reviewer has to fix them.
                for p in problems:
                    self.unplaced.append((0, f"{p.item}: {p.reason}", "fix the draft by hand"))
                return
            bad = {p.item for p in removable}
            for p in removable:
                self.unplaced.append((lines.get(p.item, 0), f"{p.item} left out", p.reason))
            chapter["terms"] = [t for t in chapter["terms"] if t["id"] not in bad]
            chapter["questions"] = [q for q in chapter["questions"] if q["id"] not in bad]
            kept = {t["id"] for t in chapter["terms"]}
            for q in chapter["questions"]:
                if "terms" in q:
                    q["terms"] = [t for t in q["terms"] if t in kept]
                    if not q["terms"]:
                        del q["terms"]

    def _term_line(self, term: dict[str, Any]) -> int:
        draft = self._lookup(term["name"])
        return draft.line if draft else 0
