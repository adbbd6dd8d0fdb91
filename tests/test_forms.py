"""Each generated form on the 가상화 chapter: exam phrasing, one answer, the family first."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from bot.content.generate import FORMS, LETTERS, generate_report
from bot.content.loader import Library
from bot.content.schema import Chapter, Question
from bot.content.soundness import flaws

KEY = "computer-general/virtualization"


@pytest.fixture(scope="module")
def chapter(library: Library) -> Chapter:
    return next(c for c in library.chapters if c.key == KEY)


@pytest.fixture(scope="module")
def generated(chapter: Chapter) -> list[Question]:
    return generate_report(chapter, seed=0).questions


def of(generated: list[Question], form: str) -> list[Question]:
    return [q for q in generated if q.form == form]


def right(q: Question) -> str:
    return q.options[q.answers[0] - 1]


def test_every_form_is_made_and_most_are_exam_forms(generated: list[Question]) -> None:
    forms = Counter(q.form for q in generated)
    assert set(forms) == set(FORMS)
    assert all(q.generated and not q.past_exam and not q.source for q in generated)
    assert len({q.id for q in generated}) == len(generated)


def test_generated_pass_the_gate(chapter: Chapter, generated: list[Question]) -> None:
    terms = {t.id: t for t in chapter.terms}
    for q in generated:
        assert len(q.answers) == 1 and len(q.options) == 4, q.id
        assert not [f for f in flaws(q, terms, subject=q.terms[:1]) if f.rule != "self-evident"]


def test_wrong_form_has_one_false_statement(chapter: Chapter, generated: list[Question]) -> None:
    written_false = {q.stem for q in chapter.questions if q.kind == "ox" and q.answers == (2,)}
    facts = {f for t in chapter.terms for f in t.facts}
    written_true = {q.stem for q in chapter.questions if q.kind == "ox" and q.answers == (1,)}
    for q in of(generated, "wrong"):
        assert q.stem.endswith("에 대한 설명으로 옳지 않은 것은?")
        assert right(q) in written_false
        others = [o for i, o in enumerate(q.options, 1) if i not in q.answers]
        assert all(o in facts or o in written_true for o in others), q.id


def test_right_form_has_one_true_statement(chapter: Chapter, generated: list[Question]) -> None:
    written_false = {q.stem for q in chapter.questions if q.kind == "ox" and q.answers == (2,)}
    for q in of(generated, "right"):
        assert q.stem.endswith("옳은 것은?")
        assert right(q) not in written_false
        assert all(o in written_false for o in q.options if o != right(q))


def test_choose_form_uses_exam_combinations(generated: list[Question]) -> None:
    assert of(generated, "choose")
    for q in of(generated, "choose"):
        assert "옳은 것만을 모두 고르면?" in q.stem
        for letter in LETTERS:
            assert f"\n{letter}. " in q.stem
        for option in q.options:
            letters = option.split(", ")
            assert 2 <= len(letters) <= 3 and letters == sorted(letters, key=LETTERS.index)


def test_blank_hides_a_chapter_term(chapter: Chapter, generated: list[Question]) -> None:
    names = {t.name for t in chapter.terms}
    assert of(generated, "blank")
    for q in of(generated, "blank"):
        assert "( ㉠ )" in q.stem
        if "㉡" in q.stem:
            assert right(q).startswith("㉠ ")
        else:
            assert right(q) in names and right(q) not in q.stem
            assert all(o in names for o in q.options)


def test_classify_only_as_the_notes_list(chapter: Chapter, generated: list[Question]) -> None:
    terms = {t.name: t for t in chapter.terms}
    listed = {x for t in chapter.terms for x in t.examples}
    qs = of(generated, "classify")
    assert qs
    for q in qs:
        kind = terms[q.stem.removeprefix("다음 중 ").split("에 해당")[0]]
        assert all(o in listed for o in q.options)
        inside = [o for o in q.options if o in kind.examples]
        if "해당하지 않는" in q.stem:
            assert len(inside) == 3 and right(q) not in kind.examples
        else:
            assert inside == [right(q)]
    stems = {q.stem for q in qs}
    assert "다음 중 Type-1 하이퍼바이저에 해당하지 않는 것은?" in stems


def test_match_and_glossary_take_the_family_first(generated: list[Question]) -> None:
    match = {q.id: q for q in of(generated, "match")}
    q = match["gen-match-hypervisor-types"]
    assert right(q) == "㉠ Type-1 하이퍼바이저, ㉡ Type-2 하이퍼바이저"
    assert "㉠ Type-2 하이퍼바이저, ㉡ Type-1 하이퍼바이저" in q.options
    by_id = {q.id: q for q in generated}
    assert "반가상화" in by_id["gen-def-full-virtualization"].options
    assert "호스트 운영체제" in by_id["gen-def-guest-os"].options
    # The head word is no giveaway: the hypervisor definitions say "것" when only the answer
    # and its sibling are hypervisors.
    assert by_id["gen-def-type-1-hypervisor"].stem.endswith("실행되는 것")


def test_deterministic_and_rejections_are_counted(chapter: Chapter) -> None:
    a = generate_report(chapter, seed=7)
    b = generate_report(chapter, seed=7)
    assert [(q.id, q.options) for q in a.questions] == [(q.id, q.options) for q in b.questions]
    assert all(r.flaws for r in a.rejected)
    assert "gen-def-virtual-currency" in {r.question.id for r in a.rejected}  # 화폐


def test_cli_lists_questions_as_stable_json() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "questions", "--chapter", KEY, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    rows = json.loads(proc.stdout)
    keys = {
        "id",
        "kind",
        "stem",
        "options",
        "answers",
        "explanation",
        "generated",
        "source",
        "past_exam",
        "terms",
        "topics",
    }
    assert rows and all(keys <= set(row) for row in rows)
    written = [r for r in rows if not r["generated"]]
    assert len(written) == 33 and sum(r["past_exam"] for r in written) == 2
    assert all(1 <= a <= len(r["options"]) for r in rows for a in r["answers"])
    text = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "questions", "--chapter", KEY],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "[past-2018-virtual-machine]" in text.stdout and "해설:" in text.stdout


def test_term_card_short_and_full(library: Library) -> None:
    from bot.render import TERM_SHORT_FACTS, term_text

    term = library.terms["type-1-hypervisor"]
    short = term_text(library, term, "ko")
    full = term_text(library, term, "ko", full=True)
    bullets = [line for line in short.splitlines() if line.startswith("• ")]
    assert 1 <= len(bullets) <= TERM_SHORT_FACTS
    assert "Type-1 하이퍼바이저 전체" in short  # says where the rest is
    assert len([line for line in full.splitlines() if line.startswith("• ")]) > len(bullets)
    assert "전체" not in full.split("\n\n")[-2]  # the full card does not point at itself
    # Each thing once: no fact that only says the definition again.
    hypervisor = term_text(library, library.terms["hypervisor"], "ko", full=True)
    assert "• 하이퍼바이저는 각 게스트 운영체제가 구동될 수 있도록" not in hypervisor
    assert hypervisor.count("독립된 가상머신 환경") == 1
