"""Reading the notes in one pass: subjects, the facts claimed for them, loose text, questions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bot.content.importer.names import Name, pair_of, parse_name
from bot.content.importer.patterns import (
    ANSWER_RE,
    BULLET_RE,
    CIRCLED,
    CIRCLED_TOPIC_RE,
    HEADING_RE,
    IMAGE_RE,
    NAME_MAX,
    NUMBERED_RE,
    OPTION_RE,
    PAREN_TOPIC_RE,
    SEPARATOR_RE,
    SOURCE_RE,
)
from bot.content.importer.text import (
    clean,
    excerpt,
    is_ascii_name,
    is_decoration,
    is_sentence,
    is_short_item,
)


def _parse_answers(text: str) -> list[int]:
    circled = [CIRCLED.index(c) + 1 for c in text if c in CIRCLED]
    if circled:
        return circled
    return [int(d) for d in re.findall(r"\d{1,2}", text)]


@dataclass(slots=True)
class Subject:
    """Something facts can belong to: a heading, a topic comment or a term row."""

    name: Name
    line: int
    term_like: bool
    # A section heading ("#### 1. 암호의 기본 개념", "## 6. RISC와 CISC") or a "//" line:
    # it makes a term only if the notes gloss or define it.
    topic: bool = False

    @property
    def label(self) -> str:
        return self.name.name


@dataclass(slots=True)
class Claim:
    subject: Subject
    line: int
    text: str


@dataclass(slots=True)
class Loose:
    """Text that belongs to a term only if it opens with that term's name."""

    line: int
    text: str
    reason: str
    # The author's own asides ("// 스레드는 다음 두 가지로 나뉜다.") are never a term's fact.
    attachable: bool = True


@dataclass(slots=True)
class QuestionDraft:
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
        text = clean("".join(self._buf))
        if text:
            self.items.append((self._kind, text))
        self._buf = []
        self._kind = "text"


def _html_items(cell: str) -> list[tuple[str, str]]:
    parser = _ListParser()
    parser.feed(cell)
    parser.close()
    return parser.items


class Reader:
    """One pass over the lines: subjects, the facts claimed for them, loose text, questions."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.chapter_number: int | None = None
        self.chapter: Subject | None = None
        self.subjects: list[Subject] = []
        self.claims: list[Claim] = []
        self.loose: list[Loose] = []
        self.unplaced: list[tuple[int, str, str]] = []
        self.questions: list[QuestionDraft] = []
        self.current: Subject | None = None
        self._question: QuestionDraft | None = None
        self._run: list[tuple[int, str]] = []
        self._run_subject: Subject | None = None

    # -- bookkeeping

    def _unplace(self, line: int, reason: str, text: str) -> None:
        self.unplaced.append((line, reason, excerpt(text)))

    def _subject(
        self, title: str, line: int, *, term_like: bool = False, topic: bool = False
    ) -> Subject:
        name = parse_name(title)
        if not name.name:
            name.name = clean(title)
        term_like = (
            term_like
            or bool(name.name_en or name.aliases or name.hanja)
            or is_ascii_name(name.name)
        )
        # Two things side by side ("RISC와 CISC") or a list ("식별, 인증, 인가") name a topic.
        topic = topic or pair_of(name.name) is not None or bool(re.search(r"[,·]", name.name))
        subject = Subject(name, line, term_like, topic and not is_ascii_name(name.name))
        self.subjects.append(subject)
        return subject

    def _fact(self, subject: Subject | None, line: int, text: str, reason: str) -> None:
        if not text:
            return
        if subject is None:
            self._flush()
            self.loose.append(Loose(line, text, reason))
            return
        # Only sections gather noun-phrase lists; a term's own items each stay a fact.
        if not subject.term_like and is_short_item(text):
            if self._run_subject is not subject:
                self._flush()
                self._run_subject = subject
            self._run.append((line, text))
            return
        self._flush()
        self.claims.append(Claim(subject, line, text))

    def _flush(self) -> None:
        run, subject = self._run, self._run_subject
        self._run, self._run_subject = [], None
        if not run or subject is None:
            return
        if len(run) == 1:
            self.claims.append(Claim(subject, run[0][0], run[0][1]))
            return
        joined = ", ".join(text for _, text in run)
        self.claims.append(Claim(subject, run[0][0], f"{subject.label}: {joined}"))

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
            if "\t" in line and line.strip() and not SEPARATOR_RE.match(line):
                i = self._table_block(i)
                continue
            self._line(n, line)
            i += 1
        if self._question is not None:
            self._finish_question()
        self._flush()

    def _line(self, n: int, line: str) -> None:
        text = line.strip()
        if not text or SEPARATOR_RE.match(text):
            self._flush()
            return
        if m := HEADING_RE.match(text):
            self._flush()
            self._heading(n, m[2], len(m[1]))
            return
        if self._question_header(n, text):
            return
        self._flush_unless_bullet(line)
        if text.startswith("**") and text.endswith("**") and len(text) > 4:
            inner = clean(text)
            if "기출" in inner or ("문제" in inner and len(inner) <= 20):
                # The 기출 section: bullets after it belong to questions, not to the last term.
                self.current = None
            else:
                self.current = self._subject(inner, n)
        elif text.startswith("//"):
            self._comment(n, text[2:].strip())
        elif IMAGE_RE.match(text):
            self._unplace(n, "image or figure", text)
        elif text.startswith("<"):
            self._html_cell(n, text, self.current, term_row=False)
        elif m := BULLET_RE.match(line):
            self._fact(self.current, n, clean(m[2]).rstrip(","), "bullet under no heading")
        elif m := PAREN_TOPIC_RE.match(text):
            self.current = self._subject(m[1], n)
        elif CIRCLED_TOPIC_RE.match(text):
            self.current = self._subject(text, n)
        else:
            self.loose.append(Loose(n, clean(text), "prose not attached to a term"))

    def _flush_unless_bullet(self, line: str) -> None:
        if not BULLET_RE.match(line):
            self._flush()

    def _heading(self, n: int, raw: str, level: int = 3) -> None:
        text = clean(raw)
        if self.chapter is None and (m := NUMBERED_RE.match(text)):
            self.chapter_number = int(m[1])
            self.chapter = self._subject(m[2], n)
            self.current = self.chapter
            return
        marked = bool(re.match(r"^[◆◇■□●○▶▷★☆]", text))
        # "#### 1. 암호의 기본 개념": a heading below the chapter's level is a section of the
        # notes, not a term, unless the notes gloss or define it.
        section = not marked and level >= 4
        self.current = self._subject(text, n, term_like=marked, topic=section)

    def _comment(self, n: int, text: str) -> None:
        text = clean(text)
        if not text:
            return
        if is_sentence(text) or len(text) > 50:
            self.loose.append(Loose(n, text, "comment not attached to a term", False))
            return
        self.current = self._subject(text, n, topic=True)

    # -- tables

    def _table_block(self, start: int) -> int:
        rows: list[tuple[int, list[str]]] = []
        i = start
        while i < len(self.lines):
            line = self.lines[i].replace("\u00a0", " ").rstrip(" \r\n\f\v")
            if SEPARATOR_RE.match(line) and line.strip():
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
            first_row = " | ".join(c for c in plain[0][1] if c)
            reason = f"diagram table of {len(plain)} rows (lines {first}-{last})"
            self._unplace(first, reason, first_row)
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
        # The name without its gloss: "CSMA/CD (Carrier Sense Multiple Access with Collision
        # Detection)" is a term row, however long the English.
        if not head or "<" in head or len(parse_name(head).name) > NAME_MAX:
            # A layout row (side-by-side boxes): each cell stands on its own.
            for cell in filter(None, cells):
                self._html_cell(n, cell, self.current, term_row=False)
            return
        subject = self._subject(head, n, term_like=True)
        for cell in rest:
            if "<" in cell:
                self._html_cell(n, cell, subject, term_row=True)
                continue
            text = clean(cell)
            if text:
                fact = text if is_sentence(text) else f"{subject.label}: {text}"
                self.claims.append(Claim(subject, n, fact))

    def _html_cell(self, n: int, cell: str, subject: Subject | None, *, term_row: bool) -> None:
        items = _html_items(cell)
        if not items:
            self._unplace(n, "HTML with no list to read", cell)
            return
        for kind, text in items:
            if text.startswith("//"):
                topic = text[2:].strip()
                if topic and not is_sentence(topic):
                    self._flush()
                    subject = self._subject(topic, n, topic=True)
                    term_row = True
                else:
                    self.loose.append(
                        Loose(n, topic, "comment not attached to a term", attachable=False)
                    )
                continue
            if is_decoration(text):
                continue
            if kind == "li" or term_row:
                self._fact(subject, n, text.rstrip(","), "list item with no term name")
            else:
                self.loose.append(Loose(n, text, "prose not attached to a term"))
        self._flush()

    # -- questions

    @staticmethod
    def _header_match(text: str) -> tuple[int, str, str] | None:
        """(number, stem, source) when the line opens a question: "**N. stem [source]**"."""
        if not (text.startswith("**") or text[:1].isdigit()):
            return None
        m = NUMBERED_RE.match(clean(text))
        if not m:
            return None
        body = m[2]
        source_m = SOURCE_RE.search(body)
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
        self._question = QuestionDraft(number, n, [stem], source)
        return True

    def _question_line(self, n: int, line: str) -> bool:
        """Feed one line to the open question; False hands it back to the notes reader."""
        q = self._question
        assert q is not None
        text = line.strip()
        if not text:
            return True
        if HEADING_RE.match(text) or self._header_match(text):
            return False
        bare = text.replace("**", "").strip()
        if q.phase in ("answered", "late_explain"):
            if bare.startswith("☞"):
                q.phase = "late_explain"
                q.topic = q.topic or clean(bare[1:])
                return True
            if q.phase == "late_explain" and (
                BULLET_RE.match(line) or bare.startswith("→") or bare in ("-", "*")
            ):
                self._explain(q, line)
                return True
            return False
        if m := ANSWER_RE.match(bare):
            q.answers = _parse_answers(m[1])
            q.phase = "answered"
            return True
        if bare.startswith("☞"):
            q.phase = "explain"
            q.topic = clean(bare[1:])
            return True
        if q.phase in ("stem", "options") and (m := OPTION_RE.match(bare)):
            q.options.append(clean(m[2]))
            q.phase = "options"
            return True
        if q.phase == "stem":
            # Lines between the stem and ① are part of the stem (a <보기> box).
            extra = clean(bare)
            if extra:
                q.stem.append(extra)
            return True
        q.phase = "explain"
        self._explain(q, line)
        return True

    @staticmethod
    def _explain(q: QuestionDraft, line: str) -> None:
        stripped = line.strip()
        if stripped in ("-", "*", "•"):
            return
        if stripped.startswith("→"):
            text = clean(stripped[1:])
            if text:
                q.explanation.append(f"→ {text}")
            return
        m = BULLET_RE.match(line)
        text = clean(m[2] if m else stripped)
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
