"""An in-memory term index for /term, Discord autocomplete and Telegram inline lookup.

Ranking, best first (every comparison ignores case, spaces and punctuation):

1. exact   - the query equals one of a term's names.                       score 100
2. prefix  - the query's jamo start a name's jamo (하이퍼 -> 하이퍼바이저, and a half-typed
             하이퍼방 too); names with fewer jamo left to type rank first.  80 < score <= 95
3. chosung - an all-consonant query equals or starts a name's 초성 (ㅎㅇㅍ -> 하이퍼바이저).
                                                                           63 < score <= 78
4. fuzzy   - a few jamo-level edits away (하이퍼바이져, 가상머싱, hypervsor).  40 < score <= 78
   contains - the query, two syllables or three letters at least, occurs inside a name
             (바이저 -> 하이퍼바이저).                                        45 < score < 65
   Fuzzy and contains hits interleave by quality, so a one-typo hit outranks a substring.
   Typos are allowed by query length in jamo: none below 3, then 1, 2 from 6, 3 from 12.

A query that is all consonants is only looked up as 초성. Once the stronger tiers have filled
the requested number of terms the weaker ones are skipped, and an exact hit skips the fuzzy
pass: near-misses of a correctly spelt name are noise.

best() returns the top hit only when it is confident: an exact hit; a prefix or 초성 hit whose
query is at least two characters, covers at least 40% of the name and is the only term with
the shortest such name ("가상" -> 가상화 rather than 가상머신 or 가상화폐); or a fuzzy hit that
is at least 75% similar and the only term at its edit distance.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.search.hangul import chosung, is_chosung_query, normalize, to_jamo

# to_jamo() output for Hangul is compatibility jamo, ㄱ..ㅣ.
JAMO_FIRST, JAMO_LAST = 0x3131, 0x3163

EXACT_SCORE = 100.0
PREFIX_BASE, PREFIX_SPAN = 80.0, 15.0
CHOSUNG_BASE, CHOSUNG_SPAN = 63.0, 15.0
FUZZY_BASE, FUZZY_SPAN = 40.0, 38.0
CONTAINS_BASE, CONTAINS_SPAN = 45.0, 20.0

CONFIDENT_COVERAGE = 0.4
CONFIDENT_SIMILARITY = 0.75
# Inline queries can be 256 characters; nothing that long is a term, and capping it bounds
# the fuzzy pass.
MAX_QUERY_CHARS = 64
MIN_CONTAINS_JAMO = 3
# A common short substring occurs in hundreds of names; stop scanning after this many.
MAX_CONTAINS_HITS = 256


@dataclass(frozen=True, slots=True)
class SearchEntry:
    key: str  # e.g. term id
    names: tuple[str, ...]  # display name first, then English name, hanja, aliases


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    name: str  # which of the entry's names matched best
    score: float  # 0..100
    how: str  # "exact" | "prefix" | "chosung" | "fuzzy" | "contains"


@dataclass(frozen=True, slots=True)
class _Name:
    key: str
    name: str
    order: tuple[int, int]  # (entry position, name position): earlier wins ties


@dataclass(slots=True)
class _Hit:
    name: _Name
    score: float
    how: str
    confident: bool


def _typo_budget(jamo_len: int) -> int:
    """How many jamo edits a query of this length may carry and still be a typo.

    Short queries get none, or every two-letter abbreviation would match every other one.
    """
    if jamo_len < 3:
        return 0
    if jamo_len < 6:
        return 1
    if jamo_len < 12:
        return 2
    return 3


def _group(pairs: Iterable[tuple[str, int]]) -> dict[str, tuple[int, ...]]:
    grouped: dict[str, list[int]] = {}
    for text, name_id in pairs:
        ids = grouped.setdefault(text, [])
        if name_id not in ids:
            ids.append(name_id)
    return {text: tuple(ids) for text, ids in grouped.items()}


class _PrefixTable:
    """Strings grouped by length, each group sorted, so prefix hits come out shortest first.

    That order is the ranking order, which lets a caller stop after the first few groups
    instead of walking every name that starts with "ㄱ".
    """

    __slots__ = ("_groups", "_ids")

    def __init__(self, ids: dict[str, tuple[int, ...]]) -> None:
        by_len: dict[int, list[str]] = {}
        for text in ids:
            by_len.setdefault(len(text), []).append(text)
        self._groups = [(n, sorted(by_len[n])) for n in sorted(by_len)]
        self._ids = ids

    def get(self, text: str) -> tuple[int, ...]:
        return self._ids.get(text, ())

    def groups(self, prefix: str) -> Iterator[list[tuple[str, tuple[int, ...]]]]:
        """Yield, per name length and shortest first, the strings that start with prefix."""
        for length, texts in self._groups:
            if length < len(prefix):
                continue
            i = bisect_left(texts, prefix)
            group: list[tuple[str, tuple[int, ...]]] = []
            while i < len(texts) and texts[i].startswith(prefix):
                group.append((texts[i], self._ids[texts[i]]))
                i += 1
            if group:
                yield group


def _has_jamo(text: str) -> bool:
    return any(JAMO_FIRST <= ord(ch) <= JAMO_LAST for ch in text)


def _only_jamo(text: str) -> bool:
    return all(JAMO_FIRST <= ord(ch) <= JAMO_LAST for ch in text)


class _FuzzyPool:
    """Jamo strings sorted by length, so the candidates within a typo budget are one slice."""

    __slots__ = ("_starts", "ids", "texts")

    def __init__(self, ids: dict[str, tuple[int, ...]]) -> None:
        self.texts = sorted(ids, key=len)
        self.ids = [ids[text] for text in self.texts]
        longest = len(self.texts[-1]) if self.texts else 0
        # _starts[n] is the position of the first string at least n long.
        self._starts = [0] * (longest + 2)
        i = 0
        for length in range(longest + 2):
            while i < len(self.texts) and len(self.texts[i]) < length:
                i += 1
            self._starts[length] = i

    def window(self, shortest: int, longest: int) -> tuple[int, int]:
        top = len(self._starts) - 1
        return self._starts[min(max(shortest, 0), top)], self._starts[min(longest + 1, top)]


class TermIndex:
    """Looks terms up by any of their names; build once, query many times (read-only)."""

    def __init__(self, entries: Iterable[SearchEntry]) -> None:
        self._names: list[_Name] = []
        norm_pairs: list[tuple[str, int]] = []
        jamo_pairs: list[tuple[str, int]] = []
        cho_pairs: list[tuple[str, int]] = []
        for entry_pos, entry in enumerate(entries):
            for name_pos, name in enumerate(entry.names):
                norm = normalize(name)
                if not norm:
                    continue
                name_id = len(self._names)
                self._names.append(_Name(entry.key, name, (entry_pos, name_pos)))
                norm_pairs.append((norm, name_id))
                jamo_pairs.append((to_jamo(norm), name_id))
                # Only all-Hangul names get a 초성 form: a consonant-only query can never
                # equal the 초성 of "Type-1 하이퍼바이저", which keeps its Latin letters.
                cho = chosung(norm)
                if is_chosung_query(cho) and cho != norm:
                    cho_pairs.append((cho, name_id))

        self._exact = _group(norm_pairs)
        jamo_ids = _group(jamo_pairs)
        self._jamo = _PrefixTable(jamo_ids)
        self._chosung = _PrefixTable(_group(cho_pairs))

        # Substring search runs str.find over one joined string, which is far faster than a
        # Python loop over every name. Whitespace never survives normalize(), so "\n" cannot
        # be part of a query and no match can straddle two names.
        norms = list(self._exact)
        self._norms = norms
        self._norm_starts: list[int] = []
        offset = 0
        for norm in norms:
            self._norm_starts.append(offset)
            offset += len(norm) + 1
        self._haystack = "\n".join(norms)

        # A pure-Hangul query is at least its own length away from a name with no Hangul in
        # it (and likewise for Latin), which is beyond any typo budget; so each script gets
        # its own pool and the fuzzy pass skips the other one without losing a hit.
        hangul = {t: ids for t, ids in jamo_ids.items() if _has_jamo(t)}
        other = {t: ids for t, ids in jamo_ids.items() if not _only_jamo(t)}
        self._fuzzy_hangul = _FuzzyPool(hangul)
        self._fuzzy_other = _FuzzyPool(other)
        self._fuzzy_all = _FuzzyPool(jamo_ids)

    def __len__(self) -> int:
        return len({name.key for name in self._names})

    def search(self, query: str, limit: int = 5) -> list[Match]:
        """Up to limit terms, best first, one Match per term key."""
        if limit <= 0:
            return []
        return [
            Match(hit.name.key, hit.name.name, round(hit.score, 2), hit.how)
            for hit in self._hits(query, limit)
        ]

    def best(self, query: str) -> Match | None:
        """The top hit if it is confident (see the module docstring), else None."""
        hits = self._hits(query, 1)
        if not hits or not hits[0].confident:
            return None
        hit = hits[0]
        return Match(hit.name.key, hit.name.name, round(hit.score, 2), hit.how)

    # --- tiers ---------------------------------------------------------------------------

    def _hits(self, query: str, limit: int) -> list[_Hit]:
        q = normalize(query[: 4 * MAX_QUERY_CHARS])[:MAX_QUERY_CHARS]
        if not q:
            return []
        found: dict[str, _Hit] = {}
        for name_id in self._exact.get(q, ()):
            self._offer(found, name_id, EXACT_SCORE, "exact", confident=True)
        exact = bool(found)

        if is_chosung_query(q):
            self._prefix_tier(found, q, self._chosung, "chosung", limit)
        else:
            qj = to_jamo(q)
            self._prefix_tier(found, qj, self._jamo, "prefix", limit, min_chars=len(q))
            if len(found) < limit:
                # Two Latin letters occur inside hundreds of names and mean nothing there;
                # two syllables (가상 in 전가상화) do.
                if len(q) >= 2 and len(qj) >= MIN_CONTAINS_JAMO:
                    self._contains_tier(found, q)
                if not exact:
                    self._fuzzy_tier(found, qj, limit)

        hits = sorted(found.values(), key=lambda h: (-h.score, h.name.order))
        return hits[:limit]

    def _offer(
        self, found: dict[str, _Hit], name_id: int, score: float, how: str, *, confident: bool
    ) -> None:
        name = self._names[name_id]
        old = found.get(name.key)
        if old is None or score > old.score or (score == old.score and name.order < old.name.order):
            found[name.key] = _Hit(name, score, how, confident)

    def _prefix_tier(
        self,
        found: dict[str, _Hit],
        prefix: str,
        table: _PrefixTable,
        how: str,
        limit: int,
        min_chars: int | None = None,
    ) -> None:
        base, span = (PREFIX_BASE, PREFIX_SPAN) if how == "prefix" else (CHOSUNG_BASE, CHOSUNG_SPAN)
        chars = len(prefix) if min_chars is None else min_chars
        first = True
        for group in table.groups(prefix):
            coverage = len(prefix) / len(group[0][0])
            keys = {self._names[i].key for _, ids in group for i in ids}
            # Only the shortest names can be the one meant, and only if no other term ties.
            confident = first and len(keys) == 1 and chars >= 2 and coverage >= CONFIDENT_COVERAGE
            for _, ids in group:
                for name_id in ids:
                    self._offer(found, name_id, base + span * coverage, how, confident=confident)
            first = False
            if len(found) >= limit:
                return

    def _contains_tier(self, found: dict[str, _Hit], q: str) -> None:
        haystack, starts, norms = self._haystack, self._norm_starts, self._norms
        pos = haystack.find(q)
        hits = 0
        while pos >= 0 and hits < MAX_CONTAINS_HITS:
            hits += 1
            index = bisect_left(starts, pos + 1) - 1
            start = starts[index]
            norm = norms[index]
            if pos > start:  # pos == start is a prefix hit, already ranked higher
                score = CONTAINS_BASE + CONTAINS_SPAN * len(q) / len(norm)
                for name_id in self._exact[norm]:
                    self._offer(found, name_id, score, "contains", confident=False)
            # One hit per name is enough: resume at the next name.
            pos = haystack.find(q, start + len(norm) + 1)

    def _fuzzy_tier(self, found: dict[str, _Hit], qj: str, limit: int) -> None:
        budget = _typo_budget(len(qj))
        if budget == 0:
            return
        if _only_jamo(qj):
            pool = self._fuzzy_hangul
        elif _has_jamo(qj):
            pool = self._fuzzy_all
        else:
            pool = self._fuzzy_other
        lo, hi = pool.window(len(qj) - budget, len(qj) + budget)
        if lo >= hi:
            return
        # Room for several names of one term plus a runner-up, so ties at the best distance
        # are seen.
        wanted = max(3 * limit, 8)
        results = process.extract(
            qj,
            pool.texts[lo:hi],
            scorer=Levenshtein.distance,
            processor=None,
            score_cutoff=budget,
            limit=wanted,
        )
        if not results:
            return
        best_distance = results[0][1]
        best_keys = {
            self._names[i].key
            for _, distance, pos in results
            if distance == best_distance
            for i in pool.ids[lo + pos]
        }
        for text, distance, pos in results:
            similarity = 1.0 - distance / max(len(qj), len(text))
            confident = (
                distance == best_distance
                and len(best_keys) == 1
                and similarity >= CONFIDENT_SIMILARITY
            )
            score = FUZZY_BASE + FUZZY_SPAN * similarity
            for name_id in pool.ids[lo + pos]:
                self._offer(found, name_id, score, "fuzzy", confident=confident)
