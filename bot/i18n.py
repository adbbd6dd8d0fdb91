"""Look strings up in the locale catalogs."""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.commands import STYLES, spell, style_for
from bot.locales import en, ko
from bot.search.hangul import eul_reul, eun_neun, i_ga, ro_euro

CATALOGS: dict[str, dict[str, str]] = {"ko": ko.STRINGS, "en": en.STRINGS}
DEFAULT_LOCALE = "ko"

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


# "{id:은는}" is the value with the particle its last sound takes (공지 #3을, #99는).
PARTICLES: dict[str, Callable[[str], str]] = {
    "은는": eun_neun,
    "을를": eul_reul,
    "이가": i_ga,
    "으로": ro_euro,
}


class _Formatter(string.Formatter):
    """str.format, plus particles ("{id:을를}"), counted nouns ("{chats:#chat}") and commands
    ("{/instructor add}": the command as the client spells it, see bot/commands.py)."""

    def __init__(self, style: str) -> None:
        super().__init__()
        self.style = style

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key.startswith("/"):
            return spell(key[1:], self.style)
        return super().get_value(key, args, kwargs)

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec in PARTICLES:
            text = str(value)
            return text + PARTICLES[format_spec](text)
        if format_spec.startswith("#") and isinstance(value, int):
            noun = format_spec[1:]
            return f"{value} {noun}" if value == 1 else f"{value} {noun}s"
        return str(super().format_field(value, format_spec))


_FORMATTERS = {style: _Formatter(style) for style in STYLES}


def t(locale: str, key: str, *, style: str | None = None, **values: object) -> str:
    """The catalog string, commands named in ``style`` ("ko" or "en"; the chat's language
    when the client did not say)."""
    catalog = CATALOGS.get(locale, CATALOGS[DEFAULT_LOCALE])
    formatter = _FORMATTERS.get(style or style_for(locale), _FORMATTERS["en"])
    return formatter.format(catalog[key], **values)


def circled(n: int) -> str:
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"
