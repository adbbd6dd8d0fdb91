"""Writing a draft chapter as YAML, with what a reviewer must look at in its header."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A draft chapter mapping plus what a reviewer has to look at.

    ``unplaced`` lists note lines that made it into no term or question; ``review`` lists
    things that did go in but need a human rewrite. Both read "line N: reason: excerpt".
    """

    chapter: dict[str, Any]
    unplaced: list[str]
    review: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        """The draft file, with the review and unplaced lists in its header comment."""
        notes = [f"review: {r}" for r in self.review]
        notes += [f"not placed: {u}" for u in self.unplaced]
        return dump_yaml(self.chapter, notes=notes)


class _DraftDumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line 해설 as literal blocks, which reviewers can edit."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DraftDumper.add_representer(str, _represent_str)


def dump_yaml(chapter: dict[str, Any], *, notes: Iterable[str] = ()) -> str:
    """Serialize a draft chapter; ``notes`` become comment lines under the draft header."""
    source = chapter.get("notes") or "study notes"
    header = [
        f"# DRAFT imported from {source} by `studybot content import`.",
        "# Not reviewed: an instructor must check every term and question before publishing.",
    ]
    header += ["# - " + " ".join(line.split()) for line in notes]
    body = yaml.dump(
        chapter,
        Dumper=_DraftDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
    return "\n".join(header) + "\n" + body
