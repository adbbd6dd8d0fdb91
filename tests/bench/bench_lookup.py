"""Latency of TermIndex lookups over a synthetic 10,000-term glossary.

Run from the repository root:  python tests/bench/bench_lookup.py [--terms N] [--queries N]

Prints the index build time and p50/p99 per query kind (exact, 초성, typo), plus how often
the intended term came back, so a speed-up that breaks ranking shows up here too.
Target: p99 <= 1 ms for every kind on the project's 2-core machines.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.search import SearchEntry, TermIndex, chosung
from bot.search.hangul import SYLLABLE_FIRST

SEED = 20240601
TARGET_P99_MS = 1.0

_INITIALS, _MEDIALS, _FINALS = 19, 21, 28


def _syllable(initial: int, medial: int, final: int) -> str:
    return chr(SYLLABLE_FIRST + (initial * _MEDIALS + medial) * _FINALS + final)


def _parts(ch: str) -> tuple[int, int, int]:
    index = ord(ch) - SYLLABLE_FIRST
    return index // (_MEDIALS * _FINALS), index // _FINALS % _MEDIALS, index % _FINALS


def _english_word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghklmnprstvwxz", "aeiou"
    return "".join(
        rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 5))
    ) + rng.choice(["", "", "r", "n", "t", "x"])


def build_glossary(rng: random.Random, terms: int) -> list[SearchEntry]:
    # Real terms reuse a small set of syllables (가, 상, 화, 데, 이, 터 ...), which makes names
    # resemble each other far more than uniform random syllables would: a harder index.
    pool = [
        _syllable(
            rng.randrange(_INITIALS), rng.randrange(_MEDIALS), rng.choice([0] * 5 + [4, 8, 16, 21])
        )
        for _ in range(1200)
    ]
    entries: list[SearchEntry] = []
    seen: set[str] = set()
    while len(entries) < terms:
        korean = "".join(rng.choice(pool) for _ in range(rng.randint(2, 7)))
        if korean in seen:
            continue
        seen.add(korean)
        names = [korean]
        if rng.random() < 0.7:
            names.append(" ".join(_english_word(rng) for _ in range(rng.randint(1, 3))))
        if rng.random() < 0.3:
            names.append(
                "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 5)))
            )
        if rng.random() < 0.3 and len(korean) >= 4:
            cut = rng.randint(2, len(korean) - 2)
            names.append(f"{korean[:cut]} {korean[cut:]}")
        entries.append(SearchEntry(f"term-{len(entries)}", tuple(names)))
    return entries


def typo(rng: random.Random, name: str) -> str:
    """The name with one jamo (or one letter) replaced by another."""
    spots = [i for i, ch in enumerate(name) if ch.isalpha()]
    i = rng.choice(spots)
    ch = name[i]
    if 0xAC00 <= ord(ch) <= 0xD7A3:
        parts = list(_parts(ch))
        which = rng.randrange(3)
        sizes = (_INITIALS, _MEDIALS, _FINALS)
        parts[which] = (parts[which] + rng.randrange(1, sizes[which])) % sizes[which]
        new = _syllable(*parts)
    else:
        new = rng.choice([c for c in string.ascii_lowercase if c != ch.lower()])
    return name[:i] + new + name[i + 1 :]


def percentile(sorted_ns: list[int], p: float) -> float:
    index = min(len(sorted_ns) - 1, round(p / 100 * (len(sorted_ns) - 1)))
    return sorted_ns[index] / 1e6


def run(
    label: str, index: TermIndex, queries: list[tuple[str, str]], call: Callable[[str], object]
) -> float:
    for query, _ in queries[:200]:  # warm caches and the allocator
        call(query)
    timings: list[int] = []
    for query, _ in queries:
        start = time.perf_counter_ns()
        call(query)
        timings.append(time.perf_counter_ns() - start)
    timings.sort()
    found = sum(1 for q, key in queries if any(m.key == key for m in index.search(q)))
    confident = sum(1 for q, key in queries if (b := index.best(q)) is not None and b.key == key)
    p99 = percentile(timings, 99)
    print(
        f"{label:<14} n={len(queries):<5} p50={percentile(timings, 50):.3f} ms  "
        f"p99={p99:.3f} ms  max={timings[-1] / 1e6:.3f} ms  "
        f"in top5={found / len(queries):.1%}  best()={confident / len(queries):.1%}"
    )
    return p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    args = parser.parse_args()

    rng = random.Random(SEED)
    entries = build_glossary(rng, args.terms)
    names = sum(len(e.names) for e in entries)

    start = time.perf_counter_ns()
    index = TermIndex(entries)
    build_ms = (time.perf_counter_ns() - start) / 1e6
    print(f"glossary: {len(entries)} terms, {names} names; index build {build_ms:.0f} ms")

    exact: list[tuple[str, str]] = []
    initials: list[tuple[str, str]] = []
    typos: list[tuple[str, str]] = []
    while len(exact) < args.queries:
        entry = rng.choice(entries)
        name = rng.choice(entry.names)
        exact.append((name.upper() if rng.random() < 0.2 else name, entry.key))
    while len(initials) < args.queries:
        entry = rng.choice(entries)
        initials.append((chosung(entry.names[0]), entry.key))
    while len(typos) < args.queries:
        entry = rng.choice(entries)
        name = rng.choice(entry.names)
        if sum(ch.isalpha() for ch in name) >= 3:
            typos.append((typo(rng, name), entry.key))

    worst = 0.0
    for label, queries in (("exact", exact), ("chosung", initials), ("typo", typos)):
        worst = max(worst, run(f"search {label}", index, queries, index.search))
    for label, queries in (("exact", exact), ("chosung", initials), ("typo", typos)):
        worst = max(worst, run(f"best {label}", index, queries, index.best))
    verdict = "OK" if worst <= TARGET_P99_MS else "OVER TARGET"
    print(f"worst p99 {worst:.3f} ms (target {TARGET_P99_MS:.1f} ms): {verdict}")
    return 0 if worst <= TARGET_P99_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
