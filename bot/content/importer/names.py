"""Term names as the notes write them: Korean name, English name, hanja and aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.content.importer.patterns import HANJA_RE, MARKER_RE, PAIR_RE, TRAILING_EN_RE
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


def _final_consonant(ch: str) -> bool | None:
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28 != 0
    return None  # Latin letters and digits: either particle may follow, as read aloud


def pair_of(text: str) -> tuple[str, str] | None:
    """("RISC", "CISC") for "RISC와 CISC", ("전자서명", "PKI") for "전자서명과 PKI": a name
    that sets two things side by side, the particle agreeing with the word before it."""
    m = PAIR_RE.match(text)
    if not m or "(" in m[1]:
        return None
    left, particle, right = m[1].strip(), m[2], m[3].strip()
    if len(left.replace(" ", "")) < 2 or not right:
        return None
    final = _final_consonant(left[-1])
    if (particle == "과" and final is False) or (particle == "와" and final is True):
        return None  # "효과 분석", "결과 보고": one word that ends in 과
    return left, right


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
    if "(" not in text and pair_of(text):
        return out  # "RISC와 CISC" names both, not RISC with the alias CISC
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
