"""Term lookup over the glossary, built on the Korean-aware search index."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.loader import Library
from bot.content.schema import Term
from bot.search.index import SearchEntry, TermIndex

MAX_QUERY = 100


@dataclass(frozen=True, slots=True)
class LookupResult:
    term: Term | None
    suggestions: tuple[Term, ...]


class TermLookup:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.index = TermIndex(SearchEntry(t.id, t.all_names) for t in library.terms.values())

    def find(self, query: str, suggestions: int = 5) -> LookupResult:
        best = self.index.best(query)
        if best is not None:
            return LookupResult(self.library.terms[best.key], ())
        hits = self.index.search(query, limit=suggestions)
        return LookupResult(None, tuple(self.library.terms[h.key] for h in hits))

    def complete(self, query: str, limit: int = 25) -> list[Term]:
        """Ranked terms for autocomplete and inline lookup."""
        return [self.library.terms[h.key] for h in self.index.search(query, limit=limit)]
