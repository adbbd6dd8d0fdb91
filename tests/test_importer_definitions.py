"""The importer finds definitions: abbreviation lines name a term, topic lines make no term.

The notes (``tests/data/notes_access_control.md``) are in the seed's format and open terms with
their abbreviation ("DAC는 Discretionary Access Control 약어이다.") and name comparisons in
``//`` lines and headings ("접근통제 정책 비교", "보안 모델 비교").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.importer import ImportResult, import_file, import_notes
from bot.content.schema import parse_chapter

NOTES = Path(__file__).resolve().parent / "data" / "notes_access_control.md"
LINES = NOTES.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def access() -> ImportResult:
    return import_file(NOTES, "information-security")


def terms_by_name(result: ImportResult) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in result.chapter["terms"]}


def line_of(text: str) -> int:
    """The 1-based line of the notes that holds ``text``, so tests do not pin line numbers."""
    (n,) = [i + 1 for i, line in enumerate(LINES) if text in line]
    return n


def texts_of(term: dict[str, Any]) -> list[str]:
    return [term["definition"], *term.get("facts", [])]


def test_the_draft_is_valid(access: ImportResult) -> None:
    data = yaml.safe_load(access.to_yaml())
    assert data == access.chapter
    _, problems = parse_chapter(data, file="draft.yaml", key="draft/test")
    assert problems == []


# --- abbreviations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "name_en", "definition"),
    [
        # A Korean name with the abbreviation as its alias: the expansion is the English name.
        ("임의적 접근통제", "Discretionary Access Control", "객체의 소유자가 다른 주체에게"),
        # A term row whose first item spells the abbreviation out ("…의 약자이다.").
        ("MAC", "Mandatory Access Control", "주체의 보안 등급과 객체의 보안 레이블을"),
        # A quoted expansion with "줄임말".
        ("RBAC", "Role-Based Access Control", "사용자에게 직접 권한을 주지 않고"),
    ],
    ids=["DAC", "MAC", "RBAC"],
)
def test_abbreviation_line_names_the_term_and_the_next_line_defines_it(
    access: ImportResult, name: str, name_en: str, definition: str
) -> None:
    term = terms_by_name(access)[name]
    assert term["name_en"] == name_en
    assert term["definition"].startswith(definition)
    # What the abbreviation stands for is in name_en; the line that only says so is not kept.
    assert not any(re.search("약어|약자|줄임말", text) for text in texts_of(term))


def test_expansion_gives_a_korean_named_term_its_id(access: ImportResult) -> None:
    dac = terms_by_name(access)["임의적 접근통제"]
    assert (dac["id"], dac["aliases"]) == ("discretionary-access-control", ["DAC"])
    assert not [r for r in access.review if "임의적 접근통제" in r and "no English name" in r]


def test_line_that_spells_out_and_also_defines_stays_the_definition(access: ImportResult) -> None:
    acl = terms_by_name(access)["접근통제 목록"]
    assert acl["name_en"] == "Access Control List"
    assert acl["definition"].startswith("객체마다 접근할 수 있는 주체와 권한을")


def test_term_with_nothing_but_its_abbreviation_is_kept_and_flagged(access: ImportResult) -> None:
    abac = terms_by_name(access)["ABAC"]
    assert abac["name_en"] == "Attribute-Based Access Control"
    assert abac["definition"] == "ABAC는 Attribute-Based Access Control의 약어이다."
    line = line_of("ABAC는 Attribute-Based")
    flagged = [r for r in access.review if r.startswith(f"line {line}: term ABAC (abac)")]
    assert len(flagged) == 1
    assert "only spells out the abbreviation" in flagged[0]


# --- topic lines ----------------------------------------------------------------------------


def test_topic_lines_make_no_terms(access: ImportResult) -> None:
    terms = terms_by_name(access)
    assert "접근통제 정책 비교" not in terms
    assert "보안 모델 비교" not in terms
    for topic in ("// 접근통제 정책 비교", "## 보안 모델 비교"):
        name = topic.split(" ", 1)[1]
        line = line_of(topic)
        assert any(
            r.startswith(f"line {line}: {name} names a topic, not a term") for r in access.review
        )


def test_lines_under_a_topic_go_to_the_terms_they_open_with(access: ImportResult) -> None:
    terms = terms_by_name(access)
    assert any(f.startswith("DAC는 소유자의 재량으로") for f in terms["임의적 접근통제"]["facts"])
    assert any(f.startswith("MAC는 중앙에서") for f in terms["MAC"]["facts"])
    assert any(f.startswith("RBAC는 인사 이동이") for f in terms["RBAC"]["facts"])
    blp = terms["벨라파듈라 모델"]
    assert blp["definition"] == "기밀성을 강조하는 최초의 수학적 보안 모델이다."
    assert any(f.startswith("벨라파듈라 모델은 기밀성을") for f in blp["facts"])


def test_lines_under_a_topic_that_name_no_term_are_reported(access: ImportResult) -> None:
    expected = {
        line_of("상업용 운영체제는"): "접근통제 정책 비교",
        # Opens with the topic's own name but only points at the table below.
        line_of("보안 모델 비교는 다음과 같다."): "보안 모델 비교",
        line_of("두 모델 모두"): "보안 모델 비교",
    }
    for line, topic in expected.items():
        prefix = f"line {line}: under the topic {topic}, names no term: "
        assert [u for u in access.unplaced if u.startswith(prefix)], prefix
    assert len(access.unplaced) == len(expected)


def test_a_question_on_a_topic_keeps_the_topic_and_links_no_term(access: ImportResult) -> None:
    (question,) = access.chapter["questions"]
    assert question["topics"] == ["접근통제 정책 비교"]
    assert "terms" not in question


def test_topic_words_the_notes_define_stay_terms(access: ImportResult) -> None:
    terms = terms_by_name(access)
    # Glossed in English: vocabulary, not a topic.
    least = terms["최소 권한의 원칙"]
    assert least["name_en"] == "principle of least privilege"
    # No English name, but a line says what it is.
    separation = terms["직무 분리의 원칙"]
    assert separation["definition"].startswith("중요한 업무를 한 사람이")
    assert separation["facts"] == ["한 사람의 부정이나 실수가 곧바로 피해로 이어지는 것을 막는다."]


def test_a_topic_heading_of_only_short_items_makes_no_term() -> None:
    notes = "\n".join(
        [
            "### 2. 인증(authentication)",
            "",
            "## 사용자 인증 절차",
            "",
            "- 식별",
            "- 인증",
            "- 인가",
        ]
    )
    result = import_notes(notes, notes_name="n.md", subject="information-security")
    assert result.chapter["terms"] == []
    assert [u for u in result.unplaced if "under the topic 사용자 인증 절차" in u]
