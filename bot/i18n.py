"""Look strings up in the locale catalogs."""

from __future__ import annotations

from bot.locales import en, ko

CATALOGS: dict[str, dict[str, str]] = {"ko": ko.STRINGS, "en": en.STRINGS}
DEFAULT_LOCALE = "ko"

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def t(locale: str, key: str, **values: object) -> str:
    catalog = CATALOGS.get(locale, CATALOGS[DEFAULT_LOCALE])
    return catalog[key].format(**values)


def circled(n: int) -> str:
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"
