"""Small text helpers shared by the reader and the assembler: cleaning, matching, ids."""

from __future__ import annotations

import html
import re

from bot.content.importer.patterns import (
    ABBR_RE,
    EXCERPT_MAX,
    HANGUL_RE,
    SENTENCE_ENDS,
    SHORT_ITEM_MAX,
    TAG_RE,
)


def clean(text: str) -> str:
    text = TAG_RE.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ").replace("**", "")
    text = re.sub(r"\s+", " ", text).strip()
    # Items are written "• …" inside <li> and "- • …" in places; the marks are layout only.
    return re.sub(r"^(?:[-*•]\s+|•\s*)+", "", text).strip()


def excerpt(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= EXCERPT_MAX else text[: EXCERPT_MAX - 1] + "…"


def norm(name: str) -> str:
    # Notes spell the same term "데이터 센터" and "데이터센터"; match on what they share.
    return re.sub(r"\s+", "", name).casefold()


def is_ascii_name(text: str) -> bool:
    return bool(text) and not HANGUL_RE.search(text) and text.isascii()


def is_abbr(text: str) -> bool:
    return bool(ABBR_RE.match(text)) and sum(c.isupper() for c in text) >= 2


def is_sentence(text: str) -> bool:
    return text.endswith(SENTENCE_ENDS)


def is_short_item(text: str) -> bool:
    """A bare noun phrase ("운영비 절감"); a run of these reads best as one listed fact."""
    return (
        len(text) <= SHORT_ITEM_MAX
        and not text.endswith((*SENTENCE_ENDS, "함", "음", "됨"))
        and ":" not in text
    )


def is_decoration(text: str) -> bool:
    return not re.search(r"[\w\uac00-\ud7a3]", text)


def slug(text: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if len(out) > 64:
        out = out[:64].rsplit("-", 1)[0]
    return out
