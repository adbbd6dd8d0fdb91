"""The soundness gate: patterns that let a learner answer without knowing the material.

``flaws(question, terms)`` names what is wrong with one question:

- ``giveaway``: the answer's name or its head word (하이퍼바이저, 운영체제, 가상화, 화폐, Linux…)
  stands in the stem and in the answer but in no distractor, or in the stem and every
  distractor but not the answer (the odd one out);
- ``same-meaning``: a distractor says what the answer says (the same text, another name of
  the same term, or nearly the same words);
- ``same-fact``: two options (or two ㄱ–ㄹ statements) are one fact and its turned-around
  twin, so one of them must be the answer;
- ``self-evident``: an O/X statement that is true by its own wording (its predicate repeats
  the subject's name, as "hosted 하이퍼바이저는 호스트 운영체제에서 실행된다").

Generated questions that show a flaw are not generated; written ones are reported by
``studybot content check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.content.schema import Chapter, Problem, Question, Term

# Head nouns the exam's names end in; a name ending in one of them is a kind of it.
HEAD_WORDS = (
    "하이퍼바이저",
    "운영체제",
    "가상화",
    "가상머신",
    "화폐",
    "Linux",
    "장치",
    "머신",
    "서버",
    "센터",
    "망분리",
    "인프라",
)
SAME_MEANING = 0.85
SAME_FACT = 0.6  # the generator keeps its own statements this far apart
SAME_FACT_OPTIONS = 0.8  # the gate: options this alike are one fact and its twin
STATEMENT_MIN = 15
STATEMENT_LINE = re.compile(r"^\s*[ㄱㄴㄷㄹㅁ]\.\s*(.+)$", re.M)
_TOPIC = re.compile(r"^(.+?)(?:은|는)\s")
_PARTICLE = re.compile(r"(에서|에|의|을|를|이|가|은|는|으로|로|와|과)$")


@dataclass(frozen=True, slots=True)
class Flaw:
    rule: str  # giveaway, same-meaning, same-fact, self-evident
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


def norm(text: str) -> str:
    return re.sub(r"[\s\-_.()/'\"·,]", "", text).casefold()


def _is_latin(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9 .\-/+]+", word))


def mentions(text: str, word: str, *, loose: bool = False) -> bool:
    """Whether text holds word: spacing-insensitive for Korean, whole words for Latin names.

    ``loose`` lets a Latin head word sit at the end of a longer name (Linux in SELinux).
    """
    if len(norm(word)) < 2:
        return False
    if _is_latin(word):
        left = "" if loose else r"(?<![A-Za-z0-9])"
        pattern = left + re.escape(word).replace(r"\ ", r"\s*") + r"(?![A-Za-z0-9])"
        return re.search(pattern, text, re.I) is not None
    return norm(word) in norm(text)


def head_words(term: Term, others: Iterable[Term] = ()) -> set[str]:
    """The head nouns of a term's name: its last word, a known head noun it ends in, or
    another term's name it ends in (반가상화 → 가상화, 자바가상머신 → 가상머신)."""
    heads: set[str] = set()
    known = [*HEAD_WORDS, *(o.name for o in others if o.id != term.id)]
    words = term.name.split()
    if len(words) > 1 and len(norm(words[-1])) >= 2:
        heads.add(words[-1])
    flat = norm(term.name)
    for head in known:
        h = norm(head)
        if len(h) >= 2 and flat != h and flat.endswith(h):
            heads.add(head)
    return heads


def _masked(text: str, word: str, everyone: Iterable[Term], owner: Term) -> str:
    """Text without other terms' longer names that hold word ('가상머신' in '자바가상머신',
    'virtual machine' in 'virtual machine monitor'), so they do not count as mentions."""
    longer = sorted(
        (
            n
            for t in everyone
            if t.id != owner.id
            for n in t.all_names
            if len(norm(n)) > len(norm(word)) and norm(word) in norm(n)
        ),
        key=len,
        reverse=True,
    )
    for name in longer:
        pattern = r"\s*".join(re.escape(ch) for ch in name.replace(" ", ""))
        text = re.sub(pattern, " ", text, flags=re.I)
    return text


def _bigrams(text: str) -> set[str]:
    flat = norm(text)
    return {flat[i : i + 2] for i in range(len(flat) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice similarity of character bigrams, spacing- and punctuation-insensitive."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def _owner(name: str, terms: Mapping[str, Term]) -> str | None:
    flat = norm(name)
    for term in terms.values():
        if any(norm(n) == flat for n in term.all_names):
            return term.id
    return None


def _giveaways(q: Question, subject: list[Term], everyone: list[Term]) -> list[Flaw]:
    right = [q.options[a - 1] for a in q.answers if 1 <= a <= len(q.options)]
    wrong = [o for i, o in enumerate(q.options, 1) if i not in q.answers]
    if not right or not wrong or all(_sentence(o) for o in q.options):
        return []  # statements about a topic may each name what they are about
    for term in subject:
        words = [(n, False) for n in term.all_names] + [
            (h, True) for h in head_words(term, everyone)
        ]
        for word, loose in words:

            def has(text: str, word: str = word, loose: bool = loose, term: Term = term) -> bool:
                # A name inside another term's longer name is not a mention of it; a head
                # word inside another name is exactly what a fair distractor carries.
                seen = text if loose else _masked(text, word, everyone, term)
                return mentions(seen, word, loose=loose)

            if not has(q.stem):
                continue
            in_right = any(has(o) for o in right)
            in_wrong = sum(has(o) for o in wrong)
            if in_right and in_wrong == 0:
                return [Flaw("giveaway", f"'{word}' is in the stem and only in the answer")]
            if not in_right and in_wrong == len(wrong) and len(wrong) >= 2:
                return [
                    Flaw("giveaway", f"'{word}' is in the stem and every option but the answer")
                ]
    return []


def _sentence(option: str) -> bool:
    return len(option) >= STATEMENT_MIN and option.rstrip().endswith(("다.", "다"))


def _self_evident(q: Question, subject: list[Term]) -> list[Flaw]:
    if q.kind != "ox" or q.answers != (1,):
        return []
    match = _TOPIC.match(q.stem)
    if not match:
        return []
    head, predicate = match.group(1), q.stem[match.end() :]
    for term in subject:
        said = [n for n in term.all_names if mentions(head, n)]
        if not said:
            continue
        for name in said:
            if mentions(predicate, name):
                return [Flaw("self-evident", f"the statement about '{name}' repeats it")]
        # "…라고도 한다" gives another name: knowledge, not wording. Drop the names first.
        rest = predicate
        for name in sorted(term.all_names, key=len, reverse=True):
            rest = re.sub(re.escape(name), " ", rest, flags=re.I)
        raw = [t for t in re.split(r"[\s(),.]+", rest) if t]
        tokens = {norm(t) for t in raw} | {norm(_PARTICLE.sub("", t)) for t in raw}
        for name in said:  # what the learner reads, not a translation they may not know
            words = name.split()
            for word in words[:-1]:
                if len(norm(word)) >= 2 and norm(word) in tokens:
                    return [
                        Flaw("self-evident", f"'{word}' in '{name}' says what the statement says")
                    ]
    return []


def flaws(
    question: Question, terms: Mapping[str, Term], *, subject: Iterable[str] | None = None
) -> list[Flaw]:
    """Every soundness flaw of one question; subject names the terms it is about
    (default: the question's own terms)."""
    everyone = list(terms.values())
    ids = list(subject) if subject is not None else list(question.terms)
    about = [terms[i] for i in ids if i in terms]
    found = _self_evident(question, about)
    if question.kind == "ox":
        return found
    found += _giveaways(question, about, everyone)
    right = [question.options[a - 1] for a in question.answers if 1 <= a <= len(question.options)]
    wrong = [o for i, o in enumerate(question.options, 1) if i not in question.answers]
    for answer in right:
        owner = _owner(answer, terms)
        for other in wrong:
            if norm(other) == norm(answer):
                found.append(Flaw("same-meaning", f"'{other}' is the answer again"))
            elif owner is not None and _owner(other, terms) == owner:
                found.append(Flaw("same-meaning", f"'{other}' is another name of '{answer}'"))
            elif _sentence(answer) and similarity(answer, other) >= SAME_MEANING:
                found.append(Flaw("same-meaning", f"'{other}' says what the answer says"))
    if any(f.rule == "same-meaning" for f in found):
        return found
    listed = STATEMENT_LINE.findall(question.stem)
    if listed:
        pairs = [(a, b) for i, a in enumerate(listed) for b in listed[i + 1 :]]
    else:
        # Twins matter when one is the answer: then one of the two must be it.
        pairs = [(a, b) for a in right for b in wrong if _sentence(a) and _sentence(b)]
    for a, b in pairs:
        if similarity(a, b) >= SAME_FACT_OPTIONS:
            found.append(Flaw("same-fact", f"'{a}' and '{b}' are one fact"))
            return found
    return found


def check_questions(chapter: Chapter, questions: Iterable[Question] | None = None) -> list[Problem]:
    """The gate as content-check problems, for the chapter's written questions."""
    terms = {t.id: t for t in chapter.terms}
    problems: list[Problem] = []
    for q in chapter.questions if questions is None else questions:
        for flaw in flaws(q, terms):
            problems.append(Problem(chapter.path, q.id, str(flaw)))
    return problems
