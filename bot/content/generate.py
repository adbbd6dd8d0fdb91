"""Questions generated from a chapter, in the exam's own forms.

From the glossary: definition → term and term → definition (``definition``, ``term``), and
짝짓기 of two definitions in a family (``match``). From the facts and the written O/X
statements: 옳지 않은 것은 (``wrong``: three facts of the notes and one statement a written
O/X question turns around), 옳은 것은 (``right``), 옳은 것만을 모두 고르면 (``choose``, ㄱ–ㄹ),
빈칸 (``blank``: one or two key words that are terms of a family). From the kinds the notes
list (``examples``): classification (``classify``, "다음 중 Type-1 하이퍼바이저에 해당하지 않는
것은?").

Every statement is a fact of the notes or a written O/X stem; nothing is invented. Wrong
options come from the answer's family first (siblings under the same broader term), never
from its broader or narrower terms or its ``confusable`` ones. Each candidate passes the
soundness gate (bot.content.soundness) or is dropped. Ids do not depend on the seed; the
choices do, deterministically.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from bot.content.schema import (
    POLL_EXPLANATION_MAX,
    POLL_OPTION_MAX,
    POLL_QUESTION_MAX,
    SEQUENCE_MIN,
    Chapter,
    Question,
    Term,
)
from bot.content.soundness import SAME_FACT, Flaw, flaws, head_words, mentions, similarity

DISTRACTORS = 3
DEF_TO_TERM_STEM = "다음 설명에 해당하는 용어는?"
BLANK_STEM = "다음 설명의 ㉠에 들어갈 용어로 옳은 것은?"
BLANK2_STEM = "다음 설명의 ㉠, ㉡에 들어갈 용어를 바르게 짝지은 것은?"
MATCH_STEM = "다음 ㉠, ㉡에 해당하는 용어를 바르게 짝지은 것은?"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
LETTERS = "ㄱㄴㄷㄹ"
FORMS = (
    "definition",
    "term",
    "match",
    "wrong",
    "right",
    "choose",
    "blank",
    "classify",
    "number",
    "order",
)
# The plain glossary forms; the rest are the exam's own. Glossary questions are thinned so
# that the exam forms make up at least EXAM_SHARE of a chapter's generated questions.
GLOSSARY_FORMS = ("definition", "term")
EXAM_SHARE = (5, 8)  # 62.5 %: clearly more than half
PAIRS_STEM = "다음 용어와 설명의 연결로 옳지 않은 것은?"
NUMBER_STEM = "다음 설명의 ㉠에 들어갈 수치로 옳은 것은?"
ORDER_MARKS = "㉠㉡㉢㉣"
STATEMENT_MAX = 70  # a ㄱ–ㄹ statement; four of them and the stem fit a poll question
BLANKS_PER_TERM = 2
_TOPIC = re.compile(r"^(.+?)(?:은|는|에는|에서는)\s")
CLASSIFY_NOT = 2
CLASSIFY_IS = 1


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_.()/]", "", text).casefold()


def _kin(chapter: Chapter) -> dict[str, set[str]]:
    """For each term, every term above or below it in the 'broader' hierarchy."""
    up = _ancestors(chapter)
    kin = {tid: set(parents) for tid, parents in up.items()}
    for tid, parents in up.items():
        for p in parents:
            kin.setdefault(p, set()).add(tid)
    return kin


def _ancestors(chapter: Chapter) -> dict[str, set[str]]:
    up: dict[str, set[str]] = {t.id: set(t.broader) for t in chapter.terms}
    changed = True
    while changed:
        changed = False
        for tid, parents in up.items():
            extra = set().union(*(up.get(p, set()) for p in parents)) - parents - {tid}
            if extra:
                parents |= extra
                changed = True
    return up


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


def _tier(chapter: Chapter, answer: Term, other: Term) -> int:
    """0: the same family or the same broader term; 1: a family next to one of the answer's
    (sharing a member or a broader term); 2: the rest of the chapter."""
    mine = [f for f in chapter.families if answer.id in f.members]
    if any(other.id in f.members for f in mine) or set(answer.broader) & set(other.broader):
        return 0
    near = {f.broader for f in mine if f.broader} | set(answer.broader)
    for f in chapter.families:
        if other.id in f.members and (f.broader in near or set(f.members) & set(answer.related)):
            return 1
    if other.id in answer.related or answer.id in other.related:
        return 1
    return 2


def ranked_distractors(
    chapter: Chapter, answer: Term, rng: random.Random, cues: Sequence[str] = ()
) -> list[Term]:
    """Eligible distractors, the answer's family first; among them those that carry the
    head words the question shows (cues), so the head word does not point at the answer."""
    pool = eligible_distractors(chapter, answer)
    rng.shuffle(pool)

    return sorted(pool, key=lambda t: (not _carries(t, cues), _tier(chapter, answer, t)))


def _explain(term: Term) -> str:
    text = f"{term.name}: {term.definition}"
    for fact in term.facts:
        if _restates(fact, term):
            continue
        longer = f"{text}\n{fact}"
        if len(longer) > POLL_EXPLANATION_MAX:
            break
        text = longer
    return text[:POLL_EXPLANATION_MAX]


def _restates(fact: str, term: Term) -> bool:
    """A fact that only says the definition again."""
    opening = _norm(term.definition)[:15]
    return opening in _norm(fact) or similarity(fact, term.definition) >= SAME_FACT


@dataclass(frozen=True, slots=True)
class Rejected:
    question: Question
    flaws: tuple[Flaw, ...]


@dataclass(slots=True)
class Generated:
    questions: list[Question] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    # Sound glossary questions left out so that the exam forms stay the larger share.
    thinned: list[Question] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    term: str
    true: bool
    why: str = ""  # the 해설 of a false statement (its O/X question's)
    origin: str = ""


class _Maker:
    def __init__(self, chapter: Chapter, seed: int) -> None:
        self.chapter = chapter
        self.seed = seed
        self.terms = {t.id: t for t in chapter.terms}
        self.up = _ancestors(chapter)
        self.out = Generated()
        self._seen: set[str] = set()
        # Names and definitions: what the chapter calls things ("호스트 하이퍼바이저",
        # "…오픈소스 호스팅 하이퍼바이저"), not every phrase its facts use.
        said = " ".join(x for t in chapter.terms for x in (*t.all_names, t.definition))
        # "호스트(hosted) 하이퍼바이저" says "호스트 하이퍼바이저" too.
        self.corpus = _norm(said) + " " + _norm(re.sub(r"\([^()]*\)", "", said))

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}")

    def offer(self, q: Question, subject: Sequence[str]) -> None:
        if q.id in self._seen:
            return
        found = tuple(flaws(q, self.terms, subject=subject))
        if self._too_long(q):
            found += (Flaw("length", "does not fit a quiz poll"),)
        if found:
            self.out.rejected.append(Rejected(q, found))
            return
        self._seen.add(q.id)
        self.out.questions.append(q)

    @staticmethod
    def _too_long(q: Question) -> bool:
        return len(q.stem) > POLL_QUESTION_MAX or any(len(o) > POLL_OPTION_MAX for o in q.options)

    def question(
        self,
        qid: str,
        form: str,
        stem: str,
        options: list[str],
        right: Sequence[str],
        explanation: str,
        terms: Sequence[str],
        topic: str = "",
    ) -> Question:
        answers = tuple(sorted(options.index(r) + 1 for r in right))
        short = ""
        if len(explanation) > POLL_EXPLANATION_MAX:
            short = _cut(explanation, POLL_EXPLANATION_MAX)
        return Question(
            id=qid,
            kind="choice",
            stem=stem,
            options=tuple(options),
            answers=answers,
            explanation=explanation,
            explanation_short=short,
            topics=tuple(dict.fromkeys(x for x in (self.chapter.title, topic or "용어") if x)),
            terms=tuple(dict.fromkeys(terms)),
            generated=True,
            chapter=self.chapter.key,
            form=form,
        )


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    kept = ""
    for line in lines:
        longer = f"{kept}\n{line}" if kept else line
        if len(longer) > limit:
            break
        kept = longer
    return kept or text[: limit - 1] + "…"


# --- definitions: definition → term, term → definition, 짝짓기 -----------------------------


def _carries(t: Term, cues: Sequence[str]) -> bool:
    return all(any(mentions(n, c, loose=True) for n in t.all_names) for c in cues)


def _headless(definition: str, heads: Sequence[str]) -> str:
    """The definition with its closing head noun said as '것' (the thing it defines)."""
    for head in sorted(heads, key=len, reverse=True):
        cut = re.sub(rf"\s+{re.escape(head)}(\s+유형)?$", " 것", definition)
        if cut != definition:
            return cut
    return definition


def _glossary(m: _Maker) -> None:
    chapter = m.chapter
    for term in chapter.terms:
        rng = m.rng(f"{term.id}:def")
        shown = term.definition
        heads = [h for h in head_words(term, chapter.terms) if mentions(shown, h, loose=True)]
        pool = ranked_distractors(chapter, term, rng, heads)
        if heads and sum(_carries(t, heads) for t in pool) < DISTRACTORS:
            # "…실행되는 하이퍼바이저" with one other hypervisor to offer: say "…실행되는 것".
            shown = _headless(shown, heads)
            pool = ranked_distractors(chapter, term, m.rng(f"{term.id}:def"))
        if len(pool) >= DISTRACTORS and not _mentions(term.definition, term):
            picks = [t.name for t in pool[:DISTRACTORS]]
            options = [term.name, *picks]
            rng.shuffle(options)
            m.offer(
                m.question(
                    f"gen-def-{term.id}",
                    "definition",
                    f"{DEF_TO_TERM_STEM}\n\n{shown}",
                    options,
                    [term.name],
                    _explain(term),
                    [term.id],
                ),
                [term.id],
            )
        # A wrong option that names the answer term would read as a statement about it.
        rng = m.rng(f"{term.id}:term")
        cues = list(head_words(term, chapter.terms))
        reverse = [
            t
            for t in ranked_distractors(chapter, term, rng, cues)
            if not _mentions(t.definition, term)
        ]
        if len(reverse) < DISTRACTORS:
            continue
        options = [term.definition, *(t.definition for t in reverse[:DISTRACTORS])]
        rng.shuffle(options)
        m.offer(
            m.question(
                f"gen-term-{term.id}",
                "term",
                f"'{term.name}'에 대한 설명으로 옳은 것은?",
                options,
                [term.definition],
                _explain(term),
                [term.id],
            ),
            [term.id],
        )


def _matching(m: _Maker) -> None:
    for family in m.chapter.families:
        members = [m.terms[i] for i in family.members if i in m.terms]
        for n, (a, b) in enumerate(itertools.pairwise(members), 1):
            if any(_mentions(x.definition, y) for x in (a, b) for y in (a, b)):
                continue  # a definition that names the other term gives the pair away
            rng = m.rng(f"{family.id}:match:{n}")
            common = [
                t
                for t in ranked_distractors(m.chapter, a, rng)
                if t.id != b.id and t in eligible_distractors(m.chapter, b)
            ]
            if not common:
                continue
            c = common[0]

            def pair(x: Term, y: Term) -> str:
                return f"㉠ {x.name}, ㉡ {y.name}"

            right = pair(a, b)
            options = [right, pair(b, a), pair(a, c), pair(c, b)]
            rng.shuffle(options)
            stem = f"{MATCH_STEM}\n\n㉠ {a.definition}\n㉡ {b.definition}"
            explanation = f"㉠ {a.name}: {a.definition}\n㉡ {b.name}: {b.definition}"
            m.offer(
                m.question(
                    f"gen-match-{family.id}" + (f"-{n}" if n > 1 else ""),
                    "match",
                    stem,
                    options,
                    [right],
                    explanation,
                    [a.id, b.id],
                    family.name,
                ),
                [a.id, b.id],
            )


# --- statements: 옳지 않은 것은, 옳은 것은, 모두 고르면 --------------------------------------


def _statements(m: _Maker) -> dict[str, list[Statement]]:
    """Per term: the facts that name it (so they stand alone) and the written O/X stems."""
    by_term: dict[str, list[Statement]] = {t.id: [] for t in m.chapter.terms}
    for term in m.chapter.terms:
        for i, fact in enumerate(term.facts):
            if len(fact) > POLL_OPTION_MAX or not fact.endswith("다."):
                continue
            topic = _TOPIC.match(fact)
            if _CONNECTIVE.match(fact) or not topic:
                continue  # "베어 메탈 가상화라고도 한다": true only under its heading
            if not any(mentions(topic.group(1), n) for n in term.all_names):
                continue
            by_term[term.id].append(Statement(fact, term.id, True, origin=f"{term.id}#{i}"))
    for q in m.chapter.questions:
        if q.kind != "ox" or not q.terms or q.terms[0] not in by_term or q.past_exam:
            continue
        if len(q.stem) > POLL_OPTION_MAX:
            continue
        truth = q.answers == (1,)
        if truth and flaws(q, m.terms):
            continue
        by_term[q.terms[0]].append(Statement(q.stem, q.terms[0], truth, q.explanation, q.id))
    return by_term


def _apart(chosen: Sequence[Statement], candidate: Statement) -> bool:
    return not any(_twins(c, candidate) for c in chosen)


def _distinct(pool: Iterable[Statement]) -> list[Statement]:
    out: list[Statement] = []
    for s in pool:
        if _apart(out, s):
            out.append(s)
    return out


def _scopes(m: _Maker) -> list[Term]:
    """Terms a statement question can be about: itself and everything under it."""
    return list(m.chapter.terms)


def _within(m: _Maker, scope: Term) -> set[str]:
    return {scope.id} | {tid for tid, parents in m.up.items() if scope.id in parents}


def _about(m: _Maker, scope: Term, by_term: dict[str, list[Statement]]) -> list[Statement]:
    """Statements of the scope's term, then those of its kinds that name it ("KVM은 Type-1
    하이퍼바이저로 분류된다" is about 하이퍼바이저; "VDI는 …" is not about 논리적 망분리)."""
    own = list(by_term[scope.id])
    names = [*scope.all_names]
    for tid in sorted(_within(m, scope) - {scope.id}):
        own += [s for s in by_term[tid] if any(mentions(s.text, n, loose=True) for n in names)]
    return own


def _twins(s: Statement, other: Statement) -> bool:
    """One fact and its turned-around form: alike in words, or one in the other's 해설."""
    if similarity(s.text, other.text) >= SAME_FACT:
        return True
    for why in (s.why, other.why):
        for sentence in re.split(r"(?<=다\.)\s*", why):
            if sentence and (
                similarity(sentence, s.text) >= SAME_FACT
                and similarity(sentence, other.text) >= SAME_FACT
            ):
                return True
            if sentence and why is s.why and similarity(sentence, other.text) >= SAME_FACT:
                return True
            if sentence and why is other.why and similarity(sentence, s.text) >= SAME_FACT:
                return True
    return False


def _pick(rng: random.Random, pool: Sequence[Statement], n: int, chosen: list[Statement]) -> bool:
    """Add n statements of pool to chosen, none of them a twin of one already there."""
    candidates = list(pool)
    rng.shuffle(candidates)
    added = 0
    for s in candidates:
        if added == n:
            break
        if s not in chosen and _apart(chosen, s):
            chosen.append(s)
            added += 1
    return added == n


def _wrong_and_right(m: _Maker, by_term: dict[str, list[Statement]]) -> None:
    for stmts in by_term.values():
        for false in (s for s in stmts if not s.true):
            owner = m.terms[false.term]
            # The narrowest scope that has three facts to set beside the false one.
            scopes = [
                owner,
                *sorted((m.terms[p] for p in m.up[owner.id]), key=lambda t: len(_within(m, t))),
            ]
            for scope in scopes:
                about = _about(m, scope, by_term)
                if false not in about:
                    continue
                own = _distinct(s for s in by_term[scope.id] if s.true)
                rest = _distinct(s for s in about if s.true and s not in own)
                rng = m.rng(f"{false.origin}:wrong")
                chosen = [false]
                # The scope's own facts first, then those of its kinds that name it.
                _pick(rng, own, min(3, len(own)), chosen)
                if len(chosen) < 4 and not _pick(rng, rest, 4 - len(chosen), chosen):
                    continue
                if len(chosen) < 4:
                    continue
                options = [s.text for s in chosen]
                rng.shuffle(options)
                n = options.index(false.text) + 1
                explanation = f"{CIRCLED[n - 1]} {false.why}\n나머지는 옳은 설명이다."
                m.offer(
                    m.question(
                        f"gen-wrong-{false.origin.removeprefix('ox-')}",
                        "wrong",
                        f"{scope.name}에 대한 설명으로 옳지 않은 것은?",
                        options,
                        [false.text],
                        explanation,
                        [scope.id, *(s.term for s in chosen)],
                        scope.name,
                    ),
                    [scope.id],
                )
                break
    for scope in _scopes(m):
        inside = _about(m, scope, by_term)
        falses = [s for s in inside if not s.true]
        trues = _distinct(s for s in inside if s.true)
        if len(falses) < 3 or not trues:
            continue
        for k in range(1, 3 if len(falses) >= 6 else 2):
            rng = m.rng(f"{scope.id}:right:{k}")
            true = rng.choice(trues)
            chosen = [true]
            if not _pick(rng, falses, 3, chosen):
                continue
            options = [s.text for s in chosen]
            rng.shuffle(options)
            n = options.index(true.text) + 1
            lines = [f"{CIRCLED[n - 1]} 옳은 설명이다."]
            for s in chosen[1:]:
                lines.append(f"{CIRCLED[options.index(s.text)]} {s.why}")
            m.offer(
                m.question(
                    f"gen-right-{scope.id}-{k}",
                    "right",
                    f"{scope.name}에 대한 설명으로 옳은 것은?",
                    options,
                    [true.text],
                    "\n".join(lines),
                    [scope.id, *(s.term for s in chosen)],
                    scope.name,
                ),
                [scope.id],
            )


def _combos(n: int) -> list[tuple[int, ...]]:
    return [c for size in (2, 3) for c in itertools.combinations(range(n), size)]


def _choose(m: _Maker, by_term: dict[str, list[Statement]]) -> None:
    for scope in _scopes(m):
        inside = [s for s in _about(m, scope, by_term) if len(s.text) <= STATEMENT_MAX]
        falses = [s for s in inside if not s.true]
        trues = _distinct(s for s in inside if s.true)
        if not falses or len(trues) < 2:
            continue
        rng = m.rng(f"{scope.id}:choose")
        n_true = (
            rng.choice([2, 3])
            if len(falses) >= 2 and len(trues) >= 3
            else (3 if len(trues) >= 3 else 2)
        )
        chosen: list[Statement] = []
        if not _pick(rng, trues, n_true, chosen) or not _pick(rng, falses, 4 - n_true, chosen):
            continue
        rng.shuffle(chosen)
        right = tuple(i for i, s in enumerate(chosen) if s.true)
        others = [c for c in _combos(4) if c != right]
        rng.shuffle(others)
        picked = sorted([right, *others[:3]], key=lambda c: (len(c), c))

        def label(c: tuple[int, ...]) -> str:
            return ", ".join(LETTERS[i] for i in c)

        options = [label(c) for c in picked]
        body = "\n".join(f"{LETTERS[i]}. {s.text}" for i, s in enumerate(chosen))
        lines = [f"옳은 것은 {label(right)}이다."]
        lines += [f"{LETTERS[i]}. {s.why}" for i, s in enumerate(chosen) if not s.true]
        m.offer(
            m.question(
                f"gen-choose-{scope.id}",
                "choose",
                f"{scope.name}에 대한 설명으로 옳은 것만을 모두 고르면?\n\n{body}",
                options,
                [label(right)],
                "\n".join(lines),
                [scope.id, *(s.term for s in chosen)],
                scope.name,
            ),
            [scope.id],
        )


# --- 빈칸 -----------------------------------------------------------------------------------


_CONNECTIVE = re.compile(r"^(즉|그래서|또한|따라서|그러나|하지만|이처럼|예를 들어)[,\s]")
_NEGATIVE = re.compile(r"(없다|없고|않|아니|못|불가)")
_PARTICLE_START = set("은는이가을를의에와과로으도만처하한")


def _named(text: str, term: Term) -> list[tuple[int, int]]:
    """The one place text says the term's own name, as a word of its own (a particle or a
    comma after it, not "데이터센터 가상화" or "호스트 머신"), and the only mention of it."""
    spans = _spans(text, term)
    if len(spans) != 1:
        return []
    a, b = spans[0]
    after = re.sub(r"^\([^)]*\)", "", text[b:])
    if text[a:b].casefold() != term.name.casefold():
        return []
    if after[:1] and not (after[0] in _PARTICLE_START or not after[0].isalnum()):
        return []  # "호스트형", "데이터센터 가상화", "호스트 머신": part of a longer word
    if after[:1] in ("/", "-") or text[a - 1 : a] in ("/", "-"):
        return []  # "TCP/IP": part of a longer name
    if after[:1] in ("하", "한"):
        return []  # "위협하는", "호스팅하며": a verb only one option can make
    return spans


def _spans(text: str, term: Term) -> list[tuple[int, int]]:
    """Where the term's names stand in text, longest names first, not overlapping."""
    taken: list[tuple[int, int]] = []
    for name in sorted(term.all_names, key=len, reverse=True):
        if len(_norm(name)) < 2:
            continue
        pattern = re.escape(name)
        if re.fullmatch(r"[A-Za-z0-9 .\-/+]+", name):
            pattern = r"(?<![A-Za-z0-9])" + pattern + r"(?![A-Za-z0-9])"
        for hit in re.finditer(pattern, text, re.I):
            span = hit.span()
            if all(span[1] <= a or span[0] >= b for a, b in taken):
                taken.append(span)
    return sorted(taken)


def _blank(text: str, spans: list[tuple[int, int]], mark: str) -> str:
    for a, b in sorted(spans, reverse=True):
        text = f"{text[:a]}( {mark} ){text[b:]}"
    return text


def _blanks(m: _Maker) -> None:
    chapter = m.chapter
    in_family = {i for f in chapter.families for i in f.members}
    used: dict[str, int] = {}
    seen: set[str] = set()
    facts = [(t, i, f) for t in chapter.terms for i, f in enumerate(t.facts)]
    for owner, i, fact in facts:
        if (
            any(similarity(fact, f) >= SAME_FACT for f in seen)
            or len(fact) > POLL_QUESTION_MAX - 60
        ):
            continue
        if _CONNECTIVE.match(fact) or _NEGATIVE.search(fact):
            continue  # "즉, …" leans on the line before; "…가 없다" holds for any wrong term too
        if _POINTER.match(fact):
            continue  # "세 목표는 …", "이 방식은 …": true only under its heading
        label = _LABEL.match(fact)
        if label and not _mentions(label.group(1), owner):
            continue  # "용도 : …", "대표 프로토콜 : …": whose uses, whose protocols?
        seen.add(fact)
        found = [(t, s) for t in chapter.terms if t.id in in_family and (s := _named(fact, t))]
        # Nested names ("SELinux" in a fact about KVM and Linux): keep spans that do not overlap.
        found = [
            (t, s)
            for t, s in found
            if not any(
                o.id != t.id
                and any(a <= x and y <= b and (a, b) != (x, y) for a, b in os_ for x, y in s)
                for o, os_ in found
            )
        ]
        # A fact that names neither its own term nor has it as a blank leans on its heading
        # ("구하는 알고리즘으로 ( ㉠ )과 프림 알고리즘이 있다").
        found = [(t, sp) for t, sp in found if t.id == owner.id or _mentions(fact, owner)]
        found.sort(key=lambda ts: (ts[0].id == owner.id, ts[1][0]))
        rng = m.rng(f"{owner.id}#{i}:blank")
        if len(found) >= 2:
            (a, sa), (b, sb) = sorted(found[:2], key=lambda ts: ts[1][0])
            between = fact[sa[-1][1] : sb[0][0]]
            symmetric = (
                len(re.sub(r"\(.*?\)", "", between).strip(" ,")) <= 2  # "A와 B"
                or re.search(r"거나|또는|혹은|이나\s", between) is not None  # "A를 줄이거나 B를"
            )
            if (
                not symmetric
                and len(sa) == 1
                and len(sb) == 1
                and a.id not in _kin(chapter).get(b.id, set())
            ):
                text = _blank(_blank(fact, sb, "㉡"), sa, "㉠")
                da = [
                    t
                    for t in ranked_distractors(chapter, a, rng)
                    if t.id != b.id
                    and not _visible(text, t)
                    and not _under_shown(m, text, t)
                    and not _compound(m, text, "㉠", t)
                ]
                db = [
                    t
                    for t in ranked_distractors(chapter, b, rng)
                    if t.id != a.id
                    and not _visible(text, t)
                    and not _under_shown(m, text, t)
                    and not _compound(m, text, "㉡", t)
                ]
                da = [t for t in da if _tier(chapter, a, t) == 0]
                db = [t for t in db if _tier(chapter, b, t) == 0]
                if da and db:
                    right = f"㉠ {a.name}, ㉡ {b.name}"
                    options = list(
                        dict.fromkeys(
                            [
                                right,
                                f"㉠ {b.name}, ㉡ {a.name}",
                                f"㉠ {a.name}, ㉡ {db[0].name}",
                                f"㉠ {da[0].name}, ㉡ {b.name}",
                            ]
                        )
                    )
                    if len(options) == 4 and not _left(text, (a, b)) and not _in_list(text, fact):
                        rng.shuffle(options)
                        m.offer(
                            m.question(
                                f"gen-blank-{owner.id}-{i + 1}",
                                "blank",
                                f"{BLANK2_STEM}\n\n{text}",
                                options,
                                [right],
                                f"{fact}\n㉠ {a.name}, ㉡ {b.name}",
                                [a.id, b.id],
                            ),
                            [a.id, b.id],
                        )
                        continue
        for term, spans in found:
            if used.get(term.id, 0) >= BLANKS_PER_TERM or _restates(fact, term):
                continue  # the definition → term question asks that already
            rest = _blank(fact, spans, "")
            if not (re.search(r"[0-9A-Za-z]", rest) or any(_spans(rest, t) for t in chapter.terms)):
                continue  # "( ㉠ )는 많은 조직과 기업에서 사용한다": nothing sets it apart
            text = _blank(fact, spans, "㉠")
            if _left(text, (term,)) or _in_list(text, fact):
                continue
            cues = [h for h in head_words(term, chapter.terms) if mentions(text, h, loose=True)]
            near = [
                t
                for t in ranked_distractors(chapter, term, rng, cues)
                if not _visible(text, t)
                and _tier(chapter, term, t) <= 1
                and not _under_shown(m, text, t)
            ]
            if any(_compound(m, text, "㉠", t) for t in near):
                # "QEMU는 오픈소스 ( ㉠ ) 하이퍼바이저이다": 호스트 fits as well as 호스팅, and
                # without it the blank has nothing left to tell apart.
                continue
            pool = near
            if len(pool) < DISTRACTORS or min(_tier(chapter, term, t) for t in pool) > 0:
                continue  # without a sibling to set against it, the blank tests nothing
            options = [term.name, *(t.name for t in pool[:DISTRACTORS])]
            rng.shuffle(options)
            q = m.question(
                f"gen-blank-{owner.id}-{i + 1}",
                "blank",
                f"{BLANK_STEM}\n\n{text}",
                options,
                [term.name],
                f"{fact}\n{term.name}: {term.definition}",
                [term.id],
            )
            before = len(m.out.questions)
            m.offer(q, [term.id])
            if len(m.out.questions) > before:
                used[term.id] = used.get(term.id, 0) + 1
            break


_POINTER = re.compile(r"^(이|그|저|이런|그런|세|두|네|위|앞의?)\s")
_LABEL = re.compile(r"^([^:：]{1,20}?)\s*[:：]")
_LISTED = re.compile(r"[,·]\s*\( [㉠㉡] \)|\( [㉠㉡] \)\s*[,·]")


def _in_list(text: str, fact: str) -> bool:
    """A blank in a list ("CBC, CFB, ( ㉠ )에서 사용한다"): a sibling left out of the notes'
    list may belong to it as well, so only the kinds the notes list in full ("종류") are asked."""
    return _LISTED.search(text) is not None and "종류" not in fact


def _compound(m: _Maker, text: str, mark: str, term: Term) -> bool:
    """Whether term in the blank makes a name the chapter uses for something else:
    "( ㉠ ) 하이퍼바이저" with 호스팅 reads "호스팅 하이퍼바이저", which the notes call QEMU."""
    after = re.match(rf".*?\( {mark} \)\s*([^\s,.()]+)", text)
    if after is None:
        return False
    word = after.group(1)
    # The noun without what follows it ("하이퍼바이저이다", "하이퍼바이저에서"): try it whole
    # and with up to three closing letters cut.
    heads = [word[: len(word) - k] for k in range(4) if len(word) - k >= 2]
    return any(
        _norm(f"{n}{head}") in m.corpus
        for n in term.all_names
        if len(_norm(n)) >= 2
        for head in heads
    )


def _under_shown(m: _Maker, text: str, term: Term) -> bool:
    """Whether term is a kind of a term the text names: "( ㉠ )도 개인정보에 속한다" is true
    of 민감정보 as well, so it cannot be a wrong option there."""
    return any(_mentions(text, m.terms[p]) for p in m.up.get(term.id, ()) if p in m.terms)


def _visible(text: str, term: Term) -> bool:
    """Whether text already shows a term (one-letter names such as 큐 and 덱 as well), so it
    cannot be offered as a wrong option for a blank."""
    return bool(_spans(text, term)) or any(n in text for n in term.all_names if len(n) < 2)


def _left(text: str, terms: Sequence[Term]) -> bool:
    """Whether a blanked text still names an answer (in a parenthesis, say, or inside a
    longer word: "HTTPS는 ( ㉠ )에 TLS를 더한 것")."""
    flat = _norm(text)
    return any(
        _spans(text, t) or any(len(n) >= 2 and _norm(n) in flat for n in t.all_names) for t in terms
    )


# --- classification -------------------------------------------------------------------------


def _classify(m: _Maker) -> None:
    for family in m.chapter.families:
        members = [m.terms[i] for i in family.members if i in m.terms and m.terms[i].examples]
        if len(members) < 2:
            continue
        for kind in members:
            others = [
                x
                for o in members
                if o.id != kind.id
                for x in o.examples
                if _norm(x) not in {_norm(e) for e in kind.examples}
            ]
            own = list(kind.examples)
            if len(own) < DISTRACTORS or not others:
                continue
            where = {x: o for o in members for x in o.examples}
            explanation = "\n".join(f"{o.name}의 종류: {', '.join(o.examples)}" for o in members)
            rng = m.rng(f"{kind.id}:classify")
            odd_ones = list(others)
            rng.shuffle(odd_ones)
            for n, odd in enumerate(odd_ones[:CLASSIFY_NOT], 1):
                options = [odd, *rng.sample(own, DISTRACTORS)]
                rng.shuffle(options)
                m.offer(
                    m.question(
                        f"gen-classify-{kind.id}-not-{n}",
                        "classify",
                        f"다음 중 {kind.name}에 해당하지 않는 것은?",
                        options,
                        [odd],
                        f"{odd}: {where[odd].name}\n{explanation}",
                        [kind.id, where[odd].id],
                        family.name,
                    ),
                    [kind.id],
                )
            if len(others) >= DISTRACTORS:
                for n in range(1, CLASSIFY_IS + 1):
                    pick = rng.choice(own)
                    options = [pick, *rng.sample(others, DISTRACTORS)]
                    rng.shuffle(options)
                    m.offer(
                        m.question(
                            f"gen-classify-{kind.id}-is-{n}",
                            "classify",
                            f"다음 중 {kind.name}에 해당하는 것은?",
                            options,
                            [pick],
                            explanation,
                            [kind.id, *(where[o].id for o in options if o != pick)],
                            family.name,
                        ),
                        [kind.id],
                    )


# --- 연결: which pairing of term and description is wrong ----------------------------------


def _pair_text(name: str, definition: str) -> str:
    return f"{name}: {definition}"


def _ending(definition: str) -> str:
    """The closing head noun of a definition ("…소프트웨어 계층" → "계층")."""
    words = re.findall(r"[^\s,.()]+", definition)
    return words[-1].casefold() if words else ""


def _signed(chapter: Chapter, owner: Term, shown_with: Term) -> bool:
    """Whether owner's definition carries a word of owner's own name that shown_with's name
    and definition do not ("논리적 망분리: 화폐가 종이나 금속으로…" is wrong by 화폐 alone)."""
    words = {*head_words(owner, chapter.terms), *(w for w in owner.name.split() if len(w) >= 2)}
    for word in words:
        if not mentions(owner.definition, word, loose=True):
            continue
        if any(mentions(n, word, loose=True) for n in shown_with.all_names):
            continue
        if not mentions(shown_with.definition, word, loose=True):
            return True
    return False


def _pairs(m: _Maker) -> None:
    """ "다음 용어와 설명의 연결로 옳지 않은 것은?": three terms with their own definitions and
    one with the definition of another term, a sibling first, so the wrong pairing tests the
    distinction the exam tests."""
    chapter = m.chapter
    for term in chapter.terms:
        rng = m.rng(f"{term.id}:pairs")
        ranked = ranked_distractors(chapter, term, rng)
        impostors = [
            z
            for z in ranked
            if not _mentions(z.definition, term)
            # "엔드포인트 장치: …가상화 유형" is wrong by its last word alone: the misplaced
            # definition must name the same kind of thing as the term's own.
            and _ending(z.definition) == _ending(term.definition)
            and similarity(z.definition, term.definition) < SAME_FACT
            and len(_pair_text(term.name, z.definition)) <= POLL_OPTION_MAX
            and not _signed(chapter, z, term)
        ]
        if not impostors:
            continue
        impostor = impostors[0]
        shown = {_norm(term.definition), _norm(impostor.definition)}
        companions: list[Term] = []
        for t in ranked:
            if len(companions) == DISTRACTORS:
                break
            if t.id == impostor.id or _norm(t.definition) in shown:
                continue
            if len(_pair_text(t.name, t.definition)) > POLL_OPTION_MAX:
                continue
            if _mentions(impostor.definition, t) or _mentions(t.definition, term):
                continue  # the shown names would point at the misplaced definition
            companions.append(t)
            shown.add(_norm(t.definition))
        if len(companions) < DISTRACTORS:
            continue
        wrong = _pair_text(term.name, impostor.definition)
        options = [wrong, *(_pair_text(t.name, t.definition) for t in companions)]
        rng.shuffle(options)
        n = options.index(wrong) + 1
        explanation = (
            f"{CIRCLED[n - 1]} {term.name}: {term.definition}\n"
            f"①~④ 중 {CIRCLED[n - 1]}의 설명은 {impostor.name}에 대한 것이다."
        )
        m.offer(
            m.question(
                f"gen-pairs-{term.id}",
                "match",
                PAIRS_STEM,
                options,
                [wrong],
                explanation,
                [term.id, impostor.id, *(t.id for t in companions)],
            ),
            [term.id],
        )


# --- 수치: the figures the notes state ------------------------------------------------------


_FIGURE = re.compile(
    r"(?<![0-9A-Za-z.\-/])(\d+(?:\.\d+)?)(?:\s*~\s*(\d+(?:\.\d+)?))?\s*(%|배|비트|바이트|번째|계층)"
)
# "70% 이상", "최대 3개", "약 2배": a bound or a rough figure makes a smaller (or larger) one
# true as well, so it cannot be asked with one defensible answer.
_BOUND_AFTER = re.compile(r"^\s*(이상|이하|미만|초과|까지|넘|정도|내외|안팎|가량)")
_BOUND_BEFORE = re.compile(r"(약|최대|최소|대략|거의)\s*$")
_OTHER_NUMBER = re.compile(r"(?<![0-9A-Za-z.\-/])\d+(?![0-9A-Za-z\-])")
_PERCENT_RANGES = ((1, 5), (10, 15), (30, 40), (50, 60), (80, 90))
_PERCENTS = (5, 10, 30, 50, 70, 90, 100)
_TIMES_RANGES = ((2, 3), (10, 20), (100, 1000))
_TIMES = (2, 5, 10, 100, 1000)
_SIZES = (8, 16, 32, 48, 64, 128, 160, 192, 256, 512, 1024, 2048)
_COUNTS = ("번째", "계층")


def _figure_text(low: float, high: float | None, unit: str) -> str:
    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    return f"{num(low)}~{num(high)}{unit}" if high is not None else f"{num(low)}{unit}"


def _figure_options(low: float, high: float | None, unit: str) -> list[str]:
    """Three figures of the same unit, each clearly apart from the true one, nearest first."""
    import math

    mid = (low + high) / 2 if high is not None else low
    candidates: list[tuple[float, float | None]]
    if unit in _COUNTS:
        if high is not None or not float(low).is_integer():
            return []
        n = int(low)
        return [
            _figure_text(x, None, unit)
            for x in sorted({n - 1, n + 1, n + 2, n + 3} - {0})[:3]
            if x >= 1
        ][:3]
    if unit == "%":
        candidates = list(_PERCENT_RANGES) if high is not None else [(p, None) for p in _PERCENTS]
    elif unit == "배":
        candidates = list(_TIMES_RANGES) if high is not None else [(t, None) for t in _TIMES]
    else:
        if high is not None:
            return []
        candidates = [(b, None) for b in _SIZES]

    def apart(c: tuple[float, float | None]) -> bool:
        a, b = c[0], c[1] if c[1] is not None else c[0]
        top = high if high is not None else low
        return (b < low or a > top) and max(a, b, mid) / max(min((a + b) / 2, mid), 0.5) >= 1.2

    fits = [c for c in candidates if apart(c)]
    fits.sort(key=lambda c: abs(math.log(((c[0] + (c[1] or c[0])) / 2) / mid)))
    return [_figure_text(a, b, unit) for a, b in fits[:DISTRACTORS]]


def _figure_value(text: str) -> float:
    hit = re.match(r"(\d+(?:\.\d+)?)", text)
    return float(hit.group(1)) if hit else 0.0


def _numbers(m: _Maker) -> None:
    """ "다음 설명의 ㉠에 들어갈 수치로 옳은 것은?" from a fact that states one exact figure."""
    chapter = m.chapter
    names = [_norm(n) for t in chapter.terms for n in t.all_names]
    seen: list[str] = []
    for term in chapter.terms:
        for i, fact in enumerate(term.facts):
            if _CONNECTIVE.match(fact) or len(fact) > POLL_QUESTION_MAX - 40:
                continue
            hits = list(_FIGURE.finditer(fact))
            if len(hits) != 1:
                continue
            hit = hits[0]
            a, b = hit.span()
            if _BOUND_AFTER.match(fact[b:]) or _BOUND_BEFORE.search(fact[:a]):
                continue
            if fact[:a].count("(") > fact[:a].count(")"):
                continue  # a figure in a parenthesis is an aside, not the statement
            if _OTHER_NUMBER.search(fact[:a] + fact[b:]):
                continue  # "128, 192, 256비트": the other figures would stand beside the blank
            if any(_norm(hit.group(0)) in n for n in names):
                continue  # "2단계 로킹": part of a name, not a figure
            rest = fact[:a] + fact[b:]
            if any(re.search(rf"(?<!\d){re.escape(g)}(?!\d)", rest) for g in hit.groups()[:2] if g):
                continue  # "SHA-256의 해시 값은 256비트": the name says the figure
            if not _mentions(fact, term) and any(_mentions(fact, t) for t in chapter.terms):
                continue  # about another term, true only under this one's heading
            low = float(hit.group(1))
            high = float(hit.group(2)) if hit.group(2) else None
            unit = hit.group(3)
            if unit == "%" and (high or low) >= 100:
                continue  # 100 %: the whole, a bound that any smaller share also meets
            right = _figure_text(low, high, unit)
            if any(similarity(fact, f) >= SAME_FACT and right in f for f in seen):
                continue
            wrong = _figure_options(low, high, unit)
            if len(wrong) < DISTRACTORS or right in wrong:
                continue
            seen.append(fact)
            options = sorted([right, *wrong], key=_figure_value)
            text = f"{fact[:a]}( ㉠ ){fact[b:]}"
            m.offer(
                m.question(
                    f"gen-number-{term.id}-{i + 1}",
                    "number",
                    f"{NUMBER_STEM}\n\n{text}",
                    options,
                    [right],
                    f"{fact}\n{term.name}: {term.definition}",
                    [term.id],
                ),
                [term.id],
            )


# --- 순서: the orders the notes give ---------------------------------------------------------


def _object_particle(word: str) -> str:
    last = word.rstrip()[-1:]
    if "가" <= last <= "힣":
        return "을" if (ord(last) - 0xAC00) % 28 else "를"
    return "을(를)"


ORDER_SUBSETS = 2


def _orders(m: _Maker) -> None:
    """ "다음 …을 하드웨어에 가까운 것부터 순서대로 바르게 나열한 것은?" from a sequence."""
    for seq in m.chapter.sequences:
        # The item the direction starts from ("하드웨어에 가까운 것부터") is first by the stem's
        # own words; only the others are asked.
        index = [i for i, x in enumerate(seq.items) if not mentions(seq.direction, x)]
        size = min(len(index), len(ORDER_MARKS))
        if size < SEQUENCE_MIN:
            continue
        rng = m.rng(f"{seq.id}:order")
        subsets: list[tuple[int, ...]] = []
        if len(index) == size:
            subsets.append(tuple(index))
        else:
            every = list(itertools.combinations(index, size))
            rng.shuffle(every)
            subsets.extend(sorted(every[:ORDER_SUBSETS]))
        for n, subset in enumerate(subsets, 1):
            items = [seq.items[i] for i in subset]
            shown = list(items)
            while shown in (items, items[::-1]):
                rng.shuffle(shown)
            mark = {item: ORDER_MARKS[k] for k, item in enumerate(shown)}

            def say(order: Sequence[str], mark: dict[str, str] = mark) -> str:
                return " → ".join(mark[x] for x in order)

            right = say(items)
            perms = [list(p) for p in itertools.permutations(items) if list(p) != items]
            # The reverse order and the right one with two neighbours swapped come first:
            # they are the mistakes a learner makes.
            near = [items[::-1]] + [
                [*items[:k], items[k + 1], items[k], *items[k + 2 :]] for k in range(size - 1)
            ]
            rng.shuffle(near)
            rest = [p for p in perms if p not in near]
            rng.shuffle(rest)
            wrong = list(dict.fromkeys(say(p) for p in [*near, *rest] if p != items))
            options = [right, *wrong[:DISTRACTORS]]
            options.sort()
            body = "\n".join(f"{mark[x]} {x}" for x in shown)
            stem = (
                f"다음 {seq.name}{_object_particle(seq.name)} {seq.direction} 순서대로 바르게 "
                f"나열한 것은?\n\n{body}"
            )
            explanation = f"{seq.name}({seq.direction}): {' → '.join(seq.items)}"
            m.offer(
                m.question(
                    f"gen-order-{seq.id}" + (f"-{n}" if n > 1 else ""),
                    "order",
                    stem,
                    options,
                    [right],
                    explanation,
                    list(seq.terms),
                    seq.name,
                ),
                list(seq.terms[:1]),
            )


# --- balance: the exam forms are most of what is asked ---------------------------------------


def _thin(m: _Maker, keep: set[str] | None = None) -> None:
    """Keep at most 3/5 as many glossary questions as exam-form ones (so the exam forms are
    at least 62.5 %): first those whose term has a sibling to be told apart from, then in
    the chapter's order. Which ones are kept never depends on the seed (``keep``: the ids
    kept with seed 0), so a learner's cards keep their questions."""
    qs = m.out.questions
    glossary = [q for q in qs if q.form in GLOSSARY_FORMS]
    if keep is None:
        exam = len(qs) - len(glossary)
        room = exam * (EXAM_SHARE[1] - EXAM_SHARE[0]) // EXAM_SHARE[0]
        order = {t.id: n for n, t in enumerate(m.chapter.terms)}

        def rank(q: Question) -> tuple[int, int, int]:
            term = m.terms[q.terms[0]]
            tiers = [_tier(m.chapter, term, t) for t in eligible_distractors(m.chapter, term)]
            return (min(tiers, default=2), q.form != "definition", order.get(term.id, 0))

        keep = {q.id for q in sorted(glossary, key=rank)[:room]}
    m.out.thinned = [q for q in glossary if q.id not in keep]
    m.out.questions = [q for q in qs if q.form not in GLOSSARY_FORMS or q.id in keep]


def generate_report(chapter: Chapter, *, seed: int = 0) -> Generated:
    """Every candidate of every form, split into the sound ones, those the gate rejects and
    the glossary questions thinned out."""
    m = _Maker(chapter, seed)
    _glossary(m)
    _matching(m)
    _pairs(m)
    by_term = _statements(m)
    _wrong_and_right(m, by_term)
    _choose(m, by_term)
    _blanks(m)
    _classify(m)
    _numbers(m)
    _orders(m)
    keep = None
    if seed != 0:
        keep = {q.id for q in generate_report(chapter).questions if q.form in GLOSSARY_FORMS}
    _thin(m, keep)
    return m.out


def generate_questions(chapter: Chapter, *, seed: int = 0) -> Iterator[Question]:
    """Yield the sound generated questions of a chapter, the same ones for the same seed."""
    yield from generate_report(chapter, seed=seed).questions
