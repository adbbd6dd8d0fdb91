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


ROOT = CORE.parent
PACKAGES = ("bot", "adapters")
# The composition root and the process around it are the only modules that know the Core.
KNOWS_CORE = {"bot.wiring", "bot.app"}


def module_names() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module this one imports, wherever the import stands.

    Imports under TYPE_CHECKING and inside functions count: a type-only or deferred cycle
    still means two modules that know each other.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()

    def add(dotted: str) -> None:
        # `import a.b.c` names a.b.c; keep the deepest part that is one of our modules.
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        if dotted and dotted != name:
            targets.add(dotted)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from pkg import mod` imports the submodule when there is one.
                sub = f"{base}.{alias.name}"
                add(sub if sub in modules else base)
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_relative_type_only_and_deferred_imports() -> None:
    graph = import_graph()
    # adapters/discord/adapter.py: `from . import render` and `from .client import ...`
    assert {"adapters.discord.render", "adapters.discord.client"} <= graph[
        "adapters.discord.adapter"
    ]
    # bot/adapter.py imports Place only under TYPE_CHECKING.
    assert "bot.places" in graph["bot.adapter"]
    # bot/app.py imports the console adapter inside a function.
    assert "adapters.console" in graph["bot.app"]


def test_no_import_cycles_in_bot_or_adapters() -> None:
    assert cycles(import_graph()) == []


def test_only_the_composition_root_imports_the_core() -> None:
    graph = import_graph()
    importers = {name for name, targets in graph.items() if "bot.core" in targets}
    assert importers <= KNOWS_CORE, sorted(importers - KNOWS_CORE)
