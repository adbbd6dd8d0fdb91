"""The 컴퓨터일반 starter bank (issue 16): each chapter loads, is big enough, is findable."""

from __future__ import annotations

import re

import pytest

from bot.content.loader import Library
from bot.content.schema import Chapter
from bot.handlers.daily import parse_topics
from bot.services.lookup import TermLookup

DEFINITION_MAX = 90

# chapter key -> (chapter title, a few names the exam asks -> the term id they must find)
CHAPTERS: dict[str, tuple[str, dict[str, str]]] = {
    "computer-general/computer-architecture": (
        "컴퓨터 구조",
        {
            "컴퓨터 구조": "computer-architecture",
            "2의 보수": "twos-complement",
            "1의 보수": "ones-complement",
            "IEEE 754": "ieee-754",
            "부동소수점": "ieee-754",
            "PC": "program-counter",
            "프로그램 카운터": "program-counter",
            "IR": "instruction-register",
            "MAR": "mar",
            "MBR": "mbr",
            "MDR": "mbr",
            "누산기": "accumulator",
            "명령어 사이클": "instruction-cycle",
            "간접 주소 지정": "indirect-addressing",
            "캐시": "cache-memory",
            "집합 연관 사상": "set-associative-mapping",
            "write-back": "write-back",
            "파이프라인": "pipelining",
            "데이터 해저드": "data-hazard",
            "RISC": "risc",
            "CISC": "cisc",
            "인터럽트": "interrupt",
            "DMA": "dma",
        },
    ),
    "computer-general/data-structures-algorithms": (
        "자료구조·알고리즘",
        {
            "자료구조·알고리즘": "data-structures-algorithms",
            "자료구조": "data-structures-algorithms",
            "알고리즘": "data-structures-algorithms",
            "스택": "stack",
            "큐": "queue",
            "덱": "deque",
            "연결 리스트": "linked-list",
            "이진 트리": "binary-tree",
            "완전 이진 트리": "complete-binary-tree",
            "중위 순회": "inorder",
            "후위 순회": "postorder",
            "이진 탐색 트리": "binary-search-tree",
            "힙": "heap",
            "DFS": "dfs",
            "BFS": "bfs",
            "최소 신장 트리": "mst",
            "크루스칼 알고리즘": "kruskal",
            "프림 알고리즘": "prim",
            "다익스트라 알고리즘": "dijkstra",
            "시간 복잡도": "big-o",
            "퀵 정렬": "quick-sort",
            "병합 정렬": "merge-sort",
            "힙 정렬": "heap-sort",
            "이진 탐색": "binary-search",
            "해싱": "hashing",
        },
    ),
    "computer-general/software-engineering": (
        "소프트웨어 공학",
        {
            "소프트웨어 공학": "software-engineering",
            "폭포수 모형": "waterfall",
            "프로토타입 모형": "prototype",
            "나선형 모형": "spiral",
            "애자일": "agile",
            "스크럼": "scrum",
            "XP": "xp",
            "비기능 요구사항": "non-functional-requirement",
            "블랙박스 테스트": "black-box-test",
            "동등 분할": "equivalence-partitioning",
            "경계값 분석": "boundary-value-analysis",
            "화이트박스 테스트": "white-box-test",
            "분기 커버리지": "branch-coverage",
            "통합 테스트": "integration-test",
            "인수 테스트": "acceptance-test",
            "결합도": "coupling",
            "응집도": "cohesion",
            "UML": "uml",
            "디자인 패턴": "design-pattern",
            "싱글톤 패턴": "singleton",
            "CMMI": "cmmi",
        },
    ),
    "computer-general/operating-system": (
        "운영체제",
        {
            "운영체제": "operating-system",
            "PCB": "pcb",
            "프로세스 제어 블록": "pcb",
            "스레드": "thread",
            "라운드 로빈": "round-robin",
            "RR": "round-robin",
            "SJF": "sjf",
            "세마포어": "semaphore",
            "교착상태": "deadlock",
            "은행원 알고리즘": "bankers-algorithm",
            "페이징": "paging",
            "세그멘테이션": "segmentation",
            "LRU": "lru",
            "스래싱": "thrashing",
            "i-node": "i-node",
        },
    ),
    "computer-general/network": (
        "네트워크",
        {
            "네트워크": "network",
            "OSI 7계층": "osi-model",
            "TCP/IP 4계층": "tcp-ip-model",
            "전송 계층": "transport-layer",
            "서브넷 마스크": "subnet-mask",
            "CIDR": "cidr",
            "TCP": "tcp",
            "UDP": "udp",
            "3-way handshake": "3-way-handshake",
            "ARP": "arp",
            "RIP": "rip",
            "OSPF": "ospf",
            "BGP": "bgp",
            "DNS": "dns",
            "SMTP": "smtp",
            "HTTP": "http",
        },
    ),
    "computer-general/database": (
        "데이터베이스",
        {
            "데이터베이스": "database",
            "릴레이션": "relation",
            "튜플": "tuple",
            "후보키": "candidate-key",
            "기본키": "primary-key",
            "외래키": "foreign-key",
            "참조 무결성": "referential-integrity",
            "정규화": "normalization",
            "BCNF": "bcnf",
            "제3정규형": "3nf",
            "DDL": "ddl",
            "DML": "dml",
            "트랜잭션": "transaction",
            "원자성": "atomicity",
            "2단계 로킹": "two-phase-locking",
        },
    ),
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def chapter_of(library: Library, key: str) -> Chapter:
    return next(c for c in library.chapters if c.key == key)


@pytest.fixture(scope="module")
def lookup(library: Library) -> TermLookup:
    return TermLookup(library)


@pytest.mark.parametrize("key", CHAPTERS)
def test_chapter_is_big_enough(library: Library, key: str) -> None:
    chapter = chapter_of(library, key)
    assert chapter.subject == "computer-general"
    assert chapter.subject_name == "컴퓨터일반"
    assert chapter.title == CHAPTERS[key][0]
    assert len(chapter.terms) >= 15
    assert len(chapter.questions) >= 20
    kinds = {q.kind for q in chapter.questions}
    assert kinds == {"choice", "ox"}


@pytest.mark.parametrize("key", CHAPTERS)
def test_practice_questions_only(library: Library, key: str) -> None:
    for q in chapter_of(library, key).questions:
        assert not q.past_exam, q.id
        assert q.source == "연습", q.id
        assert q.explanation.strip(), q.id
        assert len(q.answers) == 1, q.id


@pytest.mark.parametrize("key", CHAPTERS)
def test_questions_carry_the_chapter_topic(library: Library, key: str) -> None:
    """`/daily topics 운영체제` finds every question of the chapter by its title."""
    chapter = chapter_of(library, key)
    title = CHAPTERS[key][0]
    chosen, unknown = parse_topics(title, library.topics)
    assert chosen == [title] and unknown == []
    for q in chapter.questions:
        assert title in q.topics, q.id


@pytest.mark.parametrize("key", CHAPTERS)
def test_quiz_by_chapter_name_finds_its_questions(
    library: Library, lookup: TermLookup, key: str
) -> None:
    """`/quiz 운영체제` looks the word up as a term and asks that term's questions."""
    chapter = chapter_of(library, key)
    title = CHAPTERS[key][0]
    found = lookup.find(title)
    assert found.term is not None and found.term.chapter == key
    pool = {q.id for q in library.questions_for_term(found.term.id) if not q.generated}
    assert pool == {q.id for q in chapter.questions}


@pytest.mark.parametrize("key", CHAPTERS)
def test_key_terms_are_found(library: Library, lookup: TermLookup, key: str) -> None:
    for name, term_id in CHAPTERS[key][1].items():
        found = lookup.find(name)
        assert found.term is not None, name
        assert found.term.id == term_id, (name, found.term.id)
        assert found.term.chapter == key, name


@pytest.mark.parametrize("key", CHAPTERS)
def test_definitions_are_short_distinct_and_do_not_name_the_term(
    library: Library, key: str
) -> None:
    chapter = chapter_of(library, key)
    seen: set[str] = set()
    for term in chapter.terms:
        definition = _norm(term.definition)
        assert "\n" not in term.definition and len(term.definition) <= DEFINITION_MAX, term.id
        leaked = [n for n in term.all_names if _norm(n) in definition]
        assert leaked == [], (term.id, leaked)
        assert definition not in seen, term.id
        seen.add(definition)


def test_no_name_is_shared_within_the_subject(library: Library) -> None:
    owner: dict[str, str] = {}
    for term in library.terms.values():
        if not term.chapter.startswith("computer-general/"):
            continue
        for name in {_norm(n) for n in term.all_names}:
            assert owner.setdefault(name, term.id) == term.id, (name, owner[name], term.id)
