"""The exam forms added to the generator: 연결 (pairs), 수치 (number), 순서 (order), and the
balance that makes them most of every chapter's generated questions."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.content.generate import (
    EXAM_SHARE,
    GLOSSARY_FORMS,
    NUMBER_STEM,
    PAIRS_STEM,
    generate_report,
)
from bot.content.loader import Library
from bot.content.schema import Chapter, Question, parse_chapter

KEY = "computer-general/virtualization"


@pytest.fixture(scope="module")
def chapter(library: Library) -> Chapter:
    return next(c for c in library.chapters if c.key == KEY)


@pytest.fixture(scope="module")
def generated(chapter: Chapter) -> list[Question]:
    return generate_report(chapter, seed=0).questions


def right(q: Question) -> str:
    return q.options[q.answers[0] - 1]


def test_exam_forms_are_most_of_every_chapter(library: Library) -> None:
    for chapter in library.chapters:
        report = generate_report(chapter, seed=0)
        forms = Counter(q.form for q in report.questions)
        exam = sum(n for f, n in forms.items() if f not in GLOSSARY_FORMS)
        share = exam / len(report.questions)
        assert share >= EXAM_SHARE[0] / EXAM_SHARE[1] - 0.01, (chapter.key, forms)
        assert share > 0.6, chapter.key
        # Thinning drops sound glossary questions only, and says which.
        assert all(q.form in GLOSSARY_FORMS for q in report.thinned)
        kept = {q.id for q in report.questions}
        assert not kept & {q.id for q in report.thinned}


def test_thinning_does_not_depend_on_the_seed(chapter: Chapter) -> None:
    def glossary(seed: int) -> set[str]:
        return {
            q.id for q in generate_report(chapter, seed=seed).questions if q.form in GLOSSARY_FORMS
        }

    assert glossary(5) <= glossary(0)


def test_pairs_have_one_misplaced_definition(chapter: Chapter, generated: list[Question]) -> None:
    definitions = {t.definition: t for t in chapter.terms}
    names = {t.name: t for t in chapter.terms}
    pairs = [q for q in generated if q.stem == PAIRS_STEM]
    assert len(pairs) >= 5
    for q in pairs:
        wrong = []
        for option in q.options:
            name, definition = option.split(": ", 1)
            term, owner = names[name], definitions[definition]
            if term.id != owner.id:
                wrong.append(option)
                # The misplaced definition names the same kind of thing as the term's own.
                assert term.definition.split()[-1] == owner.definition.split()[-1], q.id
        assert wrong == [right(q)], q.id
        shown = [o.split(": ", 1)[1] for o in q.options]
        assert len(set(shown)) == 4, q.id


def test_number_questions_ask_the_notes_figures(
    chapter: Chapter, generated: list[Question]
) -> None:
    facts = {f for t in chapter.terms for f in t.facts}
    numbers = {q.id: q for q in generated if q.form == "number"}
    assert "gen-number-server-virtualization-5" in numbers  # 10~15 %
    q = numbers["gen-number-server-virtualization-5"]
    assert right(q) == "10~15%"
    assert q.options == ("1~5%", "10~15%", "30~40%", "50~60%")
    for q in numbers.values():
        assert q.stem.startswith(NUMBER_STEM)
        text = q.stem.split("\n\n", 1)[1]
        filled = text.replace("( ㉠ )", right(q))
        assert filled in facts, q.id
        # A bound ("70% 이상") would make a smaller figure true as well: never asked.
        assert not re.search(r"\( ㉠ \)\s*(이상|이하|미만|초과)", text), q.id
        for option in q.options:
            if option != right(q):
                assert text.replace("( ㉠ )", option) not in facts, q.id


def test_order_questions_follow_the_sequence(chapter: Chapter, generated: list[Question]) -> None:
    orders = {q.id: q for q in generated if q.form == "order"}
    q = orders["gen-order-type-1-layers"]
    assert q.stem.startswith(
        "다음 Type-1(native) 하이퍼바이저 구조의 계층을 하드웨어에 가까운 것부터 순서대로"
    )
    lines = dict(line.split(" ", 1) for line in q.stem.split("\n\n", 1)[1].splitlines())
    # The item the direction starts from is not asked: it would be first by the stem's words.
    assert "하드웨어" not in lines.values()
    sequence = next(s for s in chapter.sequences if s.id == "type-1-layers")
    expected = " → ".join(m for item in sequence.items for m, x in lines.items() if x == item)
    assert right(q) == expected
    for q in orders.values():
        assert len(set(q.options)) == 4 and len(q.answers) == 1, q.id


def fake(terms: list[dict], sequences: list[dict] | None = None) -> Chapter:
    data = {
        "subject": "computer-general",
        "chapter": 1,
        "title": "시험용",
        "terms": terms,
        "questions": [],
        "sequences": sequences or [],
    }
    chapter, problems = parse_chapter(data, file="t.yaml", key="computer-general/t")
    assert chapter is not None and problems == [], problems
    return chapter


def test_number_form_skips_bounds_names_and_figures_the_name_says() -> None:
    terms = [
        {
            "id": "udp",
            "name": "UDP",
            "definition": "연결 없이 데이터그램을 보내는 전송 계층 프로토콜",
            "facts": [
                "UDP 헤더는 8바이트이다.",
                "UDP는 사용률을 70% 이상으로 올릴 수 있다.",
                "UDP는 약 2배 빠르다.",
            ],
        },
        {
            "id": "sha-256",
            "name": "SHA-256",
            "definition": "해시 값이 긴 해시 함수",
            "facts": ["SHA-256의 해시 값은 256비트이다."],
        },
        {
            "id": "two-phase",
            "name": "2단계 로킹",
            "definition": "잠금과 해제를 두 단계로 나누는 병행 제어 규약",
            "facts": ["2단계 로킹은 직렬 가능성을 보장한다."],
        },
    ]
    numbers = [q for q in generate_report(fake(terms)).questions if q.form == "number"]
    assert [q.id for q in numbers] == ["gen-number-udp-1"]
    assert numbers[0].options == ("8바이트", "16바이트", "32바이트", "48바이트")


def test_order_form_from_a_marked_sequence() -> None:
    terms = [
        {
            "id": "waterfall",
            "name": "폭포수 모형",
            "definition": "단계를 차례로 끝내는 생명주기 모형",
        }
    ]
    sequences = [
        {
            "id": "steps",
            "name": "폭포수 모형의 단계",
            "direction": "먼저 진행되는 것부터",
            "items": ["요구 분석", "설계", "구현", "테스트", "유지보수"],
            "terms": ["waterfall"],
        }
    ]
    orders = [q for q in generate_report(fake(terms, sequences)).questions if q.form == "order"]
    assert [q.id for q in orders] == ["gen-order-steps", "gen-order-steps-2"]
    for q in orders:
        assert q.stem.startswith("다음 폭포수 모형의 단계를 먼저 진행되는 것부터 순서대로")
        shown = dict(line.split(" ", 1) for line in q.stem.split("\n\n", 1)[1].splitlines())
        picked = [shown[m] for m in right(q).split(" → ")]
        assert picked == [x for x in sequences[0]["items"] if x in picked]


def test_no_blank_option_makes_another_name_of_the_answer(
    chapter: Chapter, generated: list[Question]
) -> None:
    # "QEMU는 오픈소스 ( ㉠ ) 하이퍼바이저이다" with 호스트 among the options would read
    # "호스트 하이퍼바이저", another name of Type-2: two defensible answers.
    said = " ".join(x for t in chapter.terms for x in (*t.all_names, t.definition))
    flat = re.sub(r"\s|\([^()]*\)", "", said)
    blanks = [q for q in generated if q.form == "blank" and "㉡" not in q.stem]
    assert blanks
    for q in blanks:
        after = re.search(r"\( ㉠ \)\s*([^\s,.()]+)", q.stem)
        if after is None:
            continue
        word = after.group(1)
        for option in q.options:
            if option == right(q):
                continue
            joined = re.sub(r"\s", "", option) + word[:-2]
            assert len(word) < 4 or joined not in flat, (q.id, option)
