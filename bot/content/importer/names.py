"""Term names as the notes write them: Korean name, English name, hanja and aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.content.importer.patterns import HANJA_RE, MARKER_RE, TRAILING_EN_RE
from bot.content.importer.text import clean, is_abbr, is_ascii_name


@dataclass(slots=True)
class Name:
    name: str
    name_en: str = ""
    aliases: list[str] = field(default_factory=list)
    hanja: str = ""

    def add_part(self, part: str) -> None:
        part = part.strip()
        if not part:
            return
        if HANJA_RE.match(part):
            self.hanja = self.hanja or part
        elif is_ascii_name(part) and not is_abbr(part) and not self.name_en:
            self.name_en = part
        elif part not in self.aliases and part != self.name:
            self.aliases.append(part)


def parse_name(raw: str) -> Name:
    """Split "하이퍼바이저(hypervisor) - VMM" into name, English name, hanja and aliases."""
    text = MARKER_RE.sub("", clean(raw)).strip().rstrip(",;").strip()
    # "Type-1 : native(bare metal) 하이퍼바이저": the left side names it, the right describes it.
    text = re.split(r"\s*:\s+", text, maxsplit=1)[0].strip()
    suffix = ""
    if m := re.match(r"^(.*?\S)\s+[-–—]\s+(\S.*)$", text):
        text, suffix = m[1], m[2].strip()
    if m := re.match(r"^\((.+)\)$", text):
        text = m[1].strip()
    out = Name(text)
    if m := re.match(r"^([^()]*?)\s*\(([^()]*)\)\s*(.*)$", text):
        before, inner, after = m[1].strip(), m[2], m[3].strip()
        if before and after:
            # "호스트(hosted) 하이퍼바이저": the parenthesis glosses one word, not the whole name.
            out.name = f"{before} {after}"
        elif before:
            out.name = before
            for part in re.split(r"[,;]", inner):
                out.add_part(part)
    elif m := TRAILING_EN_RE.match(text):
        out.name = m[1].strip()
        out.add_part(m[2])
    if suffix and is_abbr(suffix):
        out.add_part(suffix)
    if out.name.startswith("용어 "):
        out.name = out.name[3:].strip()
    return out
