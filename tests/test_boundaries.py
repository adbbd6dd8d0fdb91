"""House rules that keep the product honest: catalog parity and a platform-free core."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from bot.locales import en, ko

CORE = Path(__file__).resolve().parents[1] / "bot"
PLATFORM_LIBS = {"telegram", "discord"}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert ko.STRINGS.keys() == en.STRINGS.keys()
    for key in ko.STRINGS:
        # Korean alone needs particles chosen by the preceding word (을/를 and the like).
        assert fields(ko.STRINGS[key]) - {"particle"} == fields(en.STRINGS[key]), key


def test_core_imports_no_platform_library() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            if roots & PLATFORM_LIBS:
                offenders.append(f"{path.relative_to(CORE.parent)}:{node.lineno}")
    assert offenders == []
