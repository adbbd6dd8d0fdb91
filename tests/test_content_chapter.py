"""The 컴퓨터일반 chapter 3 (가상화) content file: it loads cleanly and keeps its promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.content.schema import Chapter, Term, parse_chapter

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_FILE = ROOT / "content" / "computer-general" / "virtualization.yaml"
CHAPTER_KEY = "computer-general/virtualization"

REQUIRED_TERMS = (
    "가상화",
    "가상",
    "假想",
    "추상화",
    "가상화폐",
    "서버 가상화",
    "데스크탑 가상화",
    "VDI",
    "가상 데스크탑 인프라",
    "Virtual Desktop Infrastructure",
    "데스크톱 가상화",
    "엔드포인트 장치",
    "호스트",
    "호스팅",
    "데이터센터",
    "하이퍼바이저",
    "VMM",
    "가상화 머신 모니터",
    "가상 머신 모니터",
    "virtual machine monitor",
    "Type-1 하이퍼바이저",
    "native",
    "bare metal",
    "베어 메탈",
    "네이티브 하이퍼바이저",
    "Type-2 하이퍼바이저",
    "hosted",
    "호스트 하이퍼바이저",
    "호스트형 가상화",
    "전가상화",
    "full virtualization",
    "반가상화",
    "para-virtualization",
    "가상머신",
    "가상 머신",
    "VM",
    "virtual machine",
    "에뮬레이션",
    "게스트 운영체제",
    "guest OS",
    "KVM",
    "Kernel-based Virtual Machine",
    "커널기반가상머신",
    "SELinux",
    "Security-Enhanced Linux",
    "sVirt",
    "Secure Virtualization",
    "QEMU",
    "Quick EMUlator",
    "호스트 운영체제",
)

# Required names that must resolve to one particular term (name -> term id).
EXPECTED_OWNER = {
    "VDI": "desktop-virtualization",
    "VMM": "hypervisor",
    "假想": "virtual",
    "VM": "virtual-machine",
    "native": "type-1-hypervisor",
    "hosted": "type-2-hypervisor",
    "guest OS": "guest-os",
}

PAST_EXAMS = {
    "past-2018-virtual-machine": ((3,), "2018 국가직 9급 컴퓨터일반"),
    "past-2017-virtualization-security": ((1,), "2017 국가직 7급 정보보호론"),
}

DEFINITION_MAX = 90


def _norm(text: str) -> str:
    """Case- and spacing-insensitive form used for name comparisons."""
    return re.sub(r"\s+", "", text).casefold()


@pytest.fixture(scope="module")
def chapter() -> Chapter:
    data = yaml.safe_load(CHAPTER_FILE.read_text(encoding="utf-8"))
    parsed, problems = parse_chapter(data, file=str(CHAPTER_FILE), key=CHAPTER_KEY)
    assert problems == [], "\n".join(str(p) for p in problems)
    assert parsed is not None
    return parsed


@pytest.fixture(scope="module")
def names(chapter: Chapter) -> dict[str, Term]:
    index: dict[str, Term] = {}
    for term in chapter.terms:
        for name in term.all_names:
            index[_norm(name)] = term
    return index


def test_chapter_header(chapter: Chapter) -> None:
    assert chapter.subject == "computer-general"
    assert chapter.subject_name == "컴퓨터일반"
    assert chapter.chapter == 3
    assert chapter.title == "가상화"
    assert chapter.title_en == "Virtualization"
    assert chapter.notes == "seed/000_65c0c02f7a5e8aaa.txt"


def test_required_terms_present(names: dict[str, Term]) -> None:
    missing = [name for name in REQUIRED_TERMS if _norm(name) not in names]
    assert missing == []


def test_names_resolve_to_the_right_term(names: dict[str, Term]) -> None:
    for name, term_id in EXPECTED_OWNER.items():
        assert names[_norm(name)].id == term_id, name


def test_past_exam_questions(chapter: Chapter) -> None:
    by_id = {q.id: q for q in chapter.questions}
    for qid, (answers, source) in PAST_EXAMS.items():
        q = by_id[qid]
        assert q.kind == "choice"
        assert q.past_exam is True
        assert q.answers == answers
        assert q.source == source
        assert len(q.options) == 4


def test_no_other_past_exam_questions(chapter: Chapter) -> None:
    past = {q.id for q in chapter.questions if q.past_exam}
    assert past == set(PAST_EXAMS)


def test_ox_questions(chapter: Chapter) -> None:
    ox = [q for q in chapter.questions if q.kind == "ox"]
    assert len(ox) >= 20
    truths = {q.answers == (1,) for q in ox}
    assert truths == {True, False}
    for q in ox:
        assert q.id.startswith("ox-"), q.id
        assert not q.past_exam, q.id
        assert q.source == "", q.id


def test_definitions_do_not_name_their_term(chapter: Chapter) -> None:
    for term in chapter.terms:
        definition = _norm(term.definition)
        leaked = [name for name in term.all_names if _norm(name) in definition]
        assert leaked == [], f"{term.id}: definition contains {leaked}"


def test_definitions_are_one_short_line(chapter: Chapter) -> None:
    for term in chapter.terms:
        assert "\n" not in term.definition, term.id
        assert len(term.definition) <= DEFINITION_MAX, term.id


def test_definitions_are_distinct(chapter: Chapter) -> None:
    definitions = [_norm(term.definition) for term in chapter.terms]
    assert len(set(definitions)) == len(definitions)


def test_no_name_shared_between_terms(chapter: Chapter) -> None:
    owner: dict[str, str] = {}
    shared: list[str] = []
    for term in chapter.terms:
        for name in {_norm(n) for n in term.all_names}:
            if name in owner and owner[name] != term.id:
                shared.append(f"{name}: {owner[name]}, {term.id}")
            owner.setdefault(name, term.id)
    assert shared == []


def test_broader_terms_are_not_circular(chapter: Chapter) -> None:
    broader = {term.id: set(term.broader) for term in chapter.terms}
    for term_id, parents in broader.items():
        seen: set[str] = set()
        stack = list(parents)
        while stack:
            parent = stack.pop()
            assert parent != term_id, f"{term_id} is its own broader term"
            if parent not in seen:
                seen.add(parent)
                stack.extend(broader.get(parent, ()))
