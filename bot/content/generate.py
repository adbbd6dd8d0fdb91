"""Questions generated from a chapter's glossary: definition → term and term → definition.

A generated question must have exactly one defensible answer, so distractors exclude the
answer's aliases, any term sharing its definition, and its broader or narrower terms.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from bot.content.schema import (
    POLL_EXPLANATION_MAX,
    POLL_OPTION_MAX,
    POLL_QUESTION_MAX,
    Chapter,
    Question,
    Term,
)

DISTRACTORS = 3
DEF_TO_TERM_STEM = "다음 설명에 해당하는 용어는?"


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_.()/]", "", text).casefold()


def _kin(chapter: Chapter) -> dict[str, set[str]]:
    """For each term, every term above or below it in the 'broader' hierarchy."""
    up: dict[str, set[str]] = {t.id: set(t.broader) for t in chapter.terms}
    changed = True
    while changed:
        changed = False
        for tid, parents in up.items():
            extra = set().union(*(up.get(p, set()) for p in parents)) - parents - {tid}
            if extra:
                parents |= extra
                changed = True
    kin = {tid: set(parents) for tid, parents in up.items()}
    for tid, parents in up.items():
        for p in parents:
            kin.setdefault(p, set()).add(tid)
    return kin


def _names(term: Term) -> set[str]:
    return {_norm(n) for n in term.all_names}


def _mentions(text: str, term: Term) -> bool:
    flat = _norm(text)
    return any(name and name in flat for name in _names(term) if len(name) >= 2)


def _nested(a: Term, b: Term) -> bool:
    """'반가상화' holds '가상화': a name inside another usually marks a kind of it."""
    x, y = _norm(a.name), _norm(b.name)
    return x in y or y in x


def eligible_distractors(chapter: Chapter, answer: Term) -> list[Term]:
    kin = _kin(chapter).get(answer.id, set())
    names = _names(answer)
    definition = _norm(answer.definition)
    return [
        t
        for t in chapter.terms
        if t.id != answer.id
        and t.id not in kin
        and t.id not in answer.confusable
        and answer.id not in t.confusable
        and not _nested(t, answer)
        and not (_names(t) & names)
        and _norm(t.definition) != definition
    ]


def _explain(term: Term) -> str:
    text = f"{term.name}: {term.definition}"
    opening = _norm(term.definition)[:15]
    for fact in term.facts:
        if opening in _norm(fact):
            continue  # it only restates the definition
        longer = f"{text}\n{fact}"
        if len(longer) > POLL_EXPLANATION_MAX:
            break
        text = longer
    return text[:POLL_EXPLANATION_MAX]


def _build(
    qid: str,
    stem: str,
    right: str,
    wrong: list[str],
    rng: random.Random,
    term: Term,
    chapter: Chapter,
) -> Question:
    options = [right, *wrong]
    rng.shuffle(options)
    return Question(
        id=qid,
        kind="choice",
        stem=stem,
        options=tuple(options),
        answers=(options.index(right) + 1,),
        explanation=_explain(term),
        topics=(chapter.title, "용어"),
        terms=(term.id,),
        generated=True,
        chapter=chapter.key,
    )


def generate_questions(chapter: Chapter, *, seed: int = 0) -> Iterator[Question]:
    """Yield the sound generated questions of a chapter, the same ones for the same seed."""
    for term in chapter.terms:
        pool = eligible_distractors(chapter, term)
        if len(pool) < DISTRACTORS:
            continue
        rng = random.Random(f"{seed}:{term.id}:def")
        picks = rng.sample(pool, DISTRACTORS)
        definition_gives_away = _mentions(term.definition, term)
        if not definition_gives_away and len(term.definition) <= POLL_QUESTION_MAX - 40:
            stem = f"{DEF_TO_TERM_STEM}\n\n{term.definition}"
            names = [t.name for t in picks]
            if all(len(n) <= POLL_OPTION_MAX for n in [term.name, *names]):
                yield _build(f"gen-def-{term.id}", stem, term.name, names, rng, term, chapter)
        # A wrong option that names the answer term would read as a statement about it.
        reverse_pool = [t for t in pool if not _mentions(t.definition, term)]
        if len(reverse_pool) < DISTRACTORS:
            continue
        rng = random.Random(f"{seed}:{term.id}:term")
        definitions = [t.definition for t in rng.sample(reverse_pool, DISTRACTORS)]
        if all(len(d) <= POLL_OPTION_MAX for d in [term.definition, *definitions]):
            stem = f"'{term.name}'에 대한 설명으로 옳은 것은?"
            yield _build(
                f"gen-term-{term.id}", stem, term.definition, definitions, rng, term, chapter
            )
