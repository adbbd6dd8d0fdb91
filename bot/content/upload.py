"""Files people send the bot: what they are (by their bytes, not their names), how big they
may be, and question sets read from CSV, TSV or notes.

A question-set table (CSV, or TSV as Excel's "텍스트(탭으로 분리)" saves it) has the columns
``stem, options, answer, 해설, topic, source`` in that order, or in any order under a header
row naming them (Korean names too: 문제, 보기, 정답, 해설, 주제, 출처). The options share one
cell, separated by ``|`` (``Type-1 | Type-2 | 둘 다``) or by line breaks inside the quoted
cell, since a comma is common in an option's own text. Text is UTF-8 with or without a BOM,
UTF-16 with its BOM (Excel's "유니코드 텍스트"), or cp949 as older Korean Excel saves CSV;
cp949 is taken only when the bytes are not UTF-8 and decode to Korean text without control
characters, so a binary file never passes for text. Notes (``.md``) go through the notes
importer, and the questions it finds become drafts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content.draft import Draft, Issue, check, from_fields
from bot.content.schema import Term

FILE_MAX = 512 * 1024  # a question set of a few hundred rows is well under 100 KB
IMAGE_MAX = 1024 * 1024  # Telegram's largest photo size of a phone picture is ~300 KB
FETCH_MAX = max(FILE_MAX, IMAGE_MAX)  # adapters do not download anything larger
ROWS_MAX = 200  # a week's set is tens of questions; a bigger file is more likely a mistake
OPTION_SEPARATOR = "|"

TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
NOTES_SUFFIXES = (".md", ".markdown")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")

COLUMNS = ("stem", "options", "answer", "explanation", "topic", "source")
_HEADER_NAMES: dict[str, str] = {
    "stem": "stem", "question": "stem", "문제": "stem", "문항": "stem", "질문": "stem",
    "options": "options", "choices": "options", "보기": "options", "선택지": "options",
    "answer": "answer", "정답": "answer", "답": "answer",
    "explanation": "explanation", "해설": "explanation", "설명": "explanation",
    "topic": "topic", "topics": "topic", "주제": "topic",
    "source": "source", "출처": "source",
}  # fmt: skip
_HANGUL = re.compile(r"[가-힣]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def image_type(data: bytes) -> str | None:
    """The picture's media type from its first bytes (PNG, JPEG, GIF, WebP), else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def decode_text(data: bytes) -> str | None:
    """The file as text, or None when it is not text in an encoding we read safely."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp949")
            except UnicodeDecodeError:
                return None
            # Many byte strings decode as cp949; Korean text has Hangul and no control bytes.
            if not _HANGUL.search(text):
                return None
    if "\x00" in text or _CONTROL.search(text):
        return None
    return text


@dataclass(frozen=True, slots=True)
class Row:
    """One question of a file: its row (or the notes' question number) and its draft."""

    number: int
    draft: Draft
    source: str = ""
    issues: tuple[Issue, ...] = ()


@dataclass(slots=True)
class ReadSet:
    """What a file gave: good rows, broken rows (with their problems), and file-wide ones."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)  # the file as a whole
    skipped: int = 0  # notes: terms and lines that are not questions

    @property
    def good(self) -> list[Row]:
        return [r for r in self.rows if not r.issues]

    @property
    def broken(self) -> list[Row]:
        return [r for r in self.rows if r.issues]


def _issue(code: str, **values: object) -> Issue:
    return Issue(code, tuple(values.items()))


def _split_options(cell: str) -> list[str]:
    parts = cell.split(OPTION_SEPARATOR) if OPTION_SEPARATOR in cell else cell.splitlines()
    return [p.strip() for p in parts if p.strip()]


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column positions when the first row names the columns, else None."""
    names = [_HEADER_NAMES.get(c.strip().lower()) for c in cells]
    if sum(n is not None for n in names) < 2:
        return None
    return {n: i for i, n in enumerate(names) if n is not None}


def read_table(text: str, terms: Mapping[str, Term] | None = None, *, tabs: bool) -> ReadSet:
    out = ReadSet()
    try:
        lines = list(csv.reader(io.StringIO(text), delimiter="\t" if tabs else ","))
    except csv.Error as exc:
        out.problems.append(_issue("file_csv_broken", reason=str(exc)[:60]))
        return out
    numbered = [(n, cells) for n, cells in enumerate(lines, 1) if any(c.strip() for c in cells)]
    if not numbered:
        out.problems.append(_issue("file_empty"))
        return out
    positions = _header(numbered[0][1])
    if positions is not None:
        numbered = numbered[1:]
        missing = [c for c in ("stem", "options", "answer") if c not in positions]
        if missing:
            out.problems.append(_issue("file_columns_missing", columns=", ".join(missing)))
            return out
    else:
        positions = {name: i for i, name in enumerate(COLUMNS)}
    if len(numbered) > ROWS_MAX:
        out.problems.append(_issue("file_rows_many", rows=len(numbered), max=ROWS_MAX))
        return out
    for number, cells in numbered:
        if len(cells) < 3 and positions == {name: i for i, name in enumerate(COLUMNS)}:
            row = Row(number, Draft(stem=cells[0].strip() if cells else ""))
            out.rows.append(replace_issues(row, [_issue("file_row_columns", count=len(cells))]))
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = positions.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        draft = from_fields(
            cell("stem"), _split_options(cell("options")), cell("answer"),
            cell("explanation"), cell("topic"),
        )  # fmt: skip
        out.rows.append(Row(number, draft, cell("source")[:120], tuple(check(draft, terms))))
    return out


def replace_issues(row: Row, issues: list[Issue]) -> Row:
    return Row(row.number, row.draft, row.source, tuple(issues))


def _notes_draft(raw: Mapping[str, Any]) -> Draft:
    if raw.get("kind") == "ox":
        options: tuple[str, ...] = ("O", "X")
        answers: tuple[int, ...] = (1,) if raw.get("truth") is True else (2,)
    else:
        options = tuple(str(o) for o in raw.get("options", []))
        answer = raw.get("answer")
        answers = tuple(answer) if isinstance(answer, list) else (int(answer or 0),)
    explanation = str(raw.get("explanation", "")).strip()
    short = str(raw.get("explanation_short", "")).strip()
    return Draft(
        stem=str(raw.get("stem", "")).strip(),
        options=options,
        answers=answers,
        # A chat's question keeps one 해설 that fits a poll: the notes' short one when long.
        explanation=short if short and len(explanation) > len(short) else explanation,
        topics=tuple(str(t) for t in raw.get("topics", []))[:3],
    )


def read_notes(text: str, name: str, terms: Mapping[str, Term] | None = None) -> ReadSet:
    from bot.content.importer import import_notes

    out = ReadSet()
    result = import_notes(text, notes_name=name)
    questions = result.chapter.get("questions", [])
    out.skipped = len(result.chapter.get("terms", [])) + len(result.unplaced)
    if not questions:
        out.problems.append(_issue("file_notes_none"))
        return out
    if len(questions) > ROWS_MAX:
        out.problems.append(_issue("file_rows_many", rows=len(questions), max=ROWS_MAX))
        return out
    for number, raw in enumerate(questions, 1):
        draft = _notes_draft(raw)
        # A 기출 keeps its source; a chat's question is never labelled 기출 by us.
        source = str(raw.get("source", ""))[:120]
        out.rows.append(Row(number, draft, source, tuple(check(draft, terms))))
    return out


def suffix_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def read_set(name: str, data: bytes, terms: Mapping[str, Term] | None = None) -> ReadSet:
    """A question set from a file's bytes; problems say why when it cannot be read."""
    out = ReadSet()
    suffix = suffix_of(name)
    if suffix not in TABLE_SUFFIXES + NOTES_SUFFIXES:
        out.problems.append(_issue("file_kind", name=name[-40:]))
        return out
    if len(data) > FILE_MAX:
        out.problems.append(_issue("file_big", size=len(data) // 1024, max=FILE_MAX // 1024))
        return out
    if image_type(data) is not None:
        out.problems.append(_issue("file_forged_image", name=name[-40:]))
        return out
    text = decode_text(data)
    if text is None:
        out.problems.append(_issue("file_encoding", name=name[-40:]))
        return out
    if suffix in NOTES_SUFFIXES:
        return read_notes(text, name, terms)
    tabs = suffix == ".tsv" or (suffix == ".txt" and "\t" in text.split("\n", 1)[0])
    return read_table(text, terms, tabs=tabs)
