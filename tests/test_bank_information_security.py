"""The 정보보호론 bank: each chapter is big enough and reviewed, and its key terms are found."""

from __future__ import annotations

import pytest

from bot.content.loader import Library, load_library
from bot.services.lookup import TermLookup

SUBJECT = "information-security"
# chapter file stem -> chapter number
NUMBERS = {
    "01-overview": 1,
    "02-cryptography": 2,
    "03-access-control": 3,
    "04-network-security": 4,
    "05-system-application-security": 5,
    "06-security-management-law": 6,
}
# chapter file stem -> terms that `/term <name>` must find, split by '|'
KEY_TERMS = {
    "01-overview": "기밀성|무결성|가용성|부인방지|취약점|위험",
    "02-cryptography": "대칭키 암호|공개키 암호|AES|SEED|CBC 모드|해시 함수|전자서명|PKI",
    "03-access-control": "인증|OTP|임의적 접근통제|RBAC|벨-라파듈라 모델|비바 모델|커버로스",
    "04-network-security": "방화벽|침입탐지시스템|IPS|VPN|IPsec|AH|ESP|TLS|SYN 플러딩|ARP 스푸핑",
    "05-system-application-security": "웜|랜섬웨어|루트킷|버퍼 오버플로|SQL 인젝션|XSS|CSRF|wtmp",
    "06-security-management-law": "위험 전가|ALE|RTO|ISMS-P|개인정보|가명정보|민감정보",
}
MIN_TERMS = 15
MIN_WRITTEN = 20


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def lookup(library: Library) -> TermLookup:
    return TermLookup(library)


def _chapter(library: Library, stem: str):
    key = f"{SUBJECT}/{stem}"
    found = [c for c in library.chapters if c.key == key]
    assert found, f"chapter {key} is not in the library"
    return found[0]


@pytest.mark.parametrize("stem", sorted(NUMBERS))
def test_chapter_size_and_review(library: Library, stem: str) -> None:
    chapter = _chapter(library, stem)
    assert chapter.subject == SUBJECT
    assert chapter.subject_name == "정보보호론"
    assert chapter.chapter == NUMBERS[stem]
    assert len(chapter.terms) >= MIN_TERMS
    assert len(chapter.questions) >= MIN_WRITTEN
    for q in chapter.questions:
        assert not q.past_exam, q.id
        assert q.source == "연습", q.id
        assert q.explanation.strip(), q.id
        assert q.kind in ("choice", "ox"), q.id
        assert len(q.answers) == 1, f"{q.id}: one defensible answer"
        assert q.terms, f"{q.id} names the terms it asks about"


@pytest.mark.parametrize("stem", sorted(NUMBERS))
def test_chapter_has_exam_forms(library: Library, stem: str) -> None:
    chapter = _chapter(library, stem)
    stems = [q.stem for q in chapter.questions]
    assert any(q.kind == "ox" for q in chapter.questions)
    assert any("옳지 않은" in s or "적절하지 않은" in s or "해당하지 않는" in s for s in stems)
    assert any("모두 고르면" in s and "ㄱ." in s for s in stems)
    assert any("빈칸" in s for s in stems)


@pytest.mark.parametrize(
    ("stem", "name"), [(s, n) for s, names in sorted(KEY_TERMS.items()) for n in names.split("|")]
)
def test_term_lookup_finds_key_terms(
    library: Library, lookup: TermLookup, stem: str, name: str
) -> None:
    result = lookup.find(name)
    assert result.term is not None, f"/term {name} finds nothing"
    assert name in result.term.all_names
    # The other subject may define the same word; this chapter must hold it too.
    chapter = _chapter(library, stem)
    assert any(name in t.all_names for t in chapter.terms), f"{stem} has no term {name}"
