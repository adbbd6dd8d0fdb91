"""The core's tiny text markup: **bold** spans, with user text escaped so it stays literal."""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def esc(text: str) -> str:
    """Make user-provided text safe to embed in a markup body."""
    return text.replace("\\", "\\\\").replace("*", "\\*")


def bold(text: str) -> str:
    return f"**{text}**"


def _split(body: str) -> list[tuple[str, bool]]:
    """Cut a body into (text, is_bold) runs, honouring escapes."""
    runs: list[tuple[str, bool]] = []
    buf: list[str] = []
    bold_on = False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            buf.append(body[i + 1])
            i += 2
            continue
        if body.startswith("**", i):
            if buf:
                runs.append(("".join(buf), bold_on))
                buf = []
            bold_on = not bold_on
            i += 2
            continue
        buf.append(ch)
        i += 1
    if buf:
        runs.append(("".join(buf), bold_on))
    return runs


def to_plain(body: str) -> str:
    return "".join(text for text, _ in _split(body))


def to_html(body: str) -> str:
    """Telegram-style HTML: only <b>, everything else escaped."""
    out = []
    for text, is_bold in _split(body):
        safe = html.escape(text, quote=False)
        out.append(f"<b>{safe}</b>" if is_bold else safe)
    return "".join(out)


def split_text(text: str, limit: int) -> list[str]:
    """Split on line breaks where possible so every part fits the platform's limit."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts
