"""Term lookup over the glossary, built on the Korean-aware search index."""

from __future__ import annotations

from collections import Counter
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
        self.most_used = most_used(library)

    def find(self, query: str, suggestions: int = 5) -> LookupResult:
        best = self.index.best(query)
        if best is not None:
            return LookupResult(self.library.terms[best.key], ())
        hits = self.index.search(query, limit=suggestions)
        return LookupResult(None, tuple(self.library.terms[h.key] for h in hits))

    def complete(self, query: str, limit: int = 25) -> list[Term]:
        """Ranked terms for autocomplete and inline lookup.

        An empty query (Discord sends one as soon as the option is focused) offers the terms
        the most questions ask about, so the list is useful before anything is typed.
        """
        if not query.strip():
            return self.most_used[: max(limit, 0)]
        return [self.library.terms[h.key] for h in self.index.search(query, limit=limit)]


def most_used(library: Library) -> list[Term]:
    """Every term, the ones more questions ask about first; ties keep the chapters' order."""
    counts: Counter[str] = Counter(t for q in library.questions.values() for t in set(q.terms))
    order = {term_id: n for n, term_id in enumerate(library.terms)}
    ranked = sorted(library.terms, key=lambda term_id: (-counts[term_id], order[term_id]))
    return [library.terms[term_id] for term_id in ranked]
