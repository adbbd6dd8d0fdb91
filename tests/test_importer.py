"""The notes importer on the seed notes, on notes it was not written against, and on edge cases."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.importer import (
    ImportResult,
    dump_yaml,
    import_file,
    import_notes,
    normalize_source,
)
from bot.content.schema import ID_RE, POLL_EXPLANATION_MAX, parse_chapter

DATA = Path(__file__).resolve().parent / "data"
# A byte-identical copy of the seed notes (seed/000_65c0c02f7a5e8aaa.txt, the notes the
# 가상화 chapter was written from), kept here so a clone without the shared folder runs these.
SEED = DATA / "seed" / "virtualization_notes.txt"


@pytest.fixture(scope="module")
def seed() -> ImportResult:
    return import_file(SEED, "computer-general")


@pytest.fixture(scope="module")
def process() -> ImportResult:
    return import_file(DATA / "notes_process.md", "computer-general")


@pytest.fixture(scope="module")
def network() -> ImportResult:
    return import_file(DATA / "notes_network.md", "information-security")


def terms_by_name(result: ImportResult) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in result.chapter["terms"]}


def questions_by_id(result: ImportResult) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in result.chapter["questions"]}


def assert_valid_draft(result: ImportResult) -> None:
    """The written file loads back to the same mapping and passes the content check."""
    for text in (dump_yaml(result.chapter), result.to_yaml()):
        assert text.startswith("# DRAFT")
        data = yaml.safe_load(text)
        assert data == result.chapter
        chapter, problems = parse_chapter(data, file="draft.yaml", key="draft/test")
        assert problems == []
        assert chapter is not None
    for term in result.chapter["terms"]:
        assert ID_RE.match(term["id"])
        assert term["definition"].strip()
        for text in [term["definition"], *term.get("facts", [])]:
            assert "<" not in text and "**" not in text and not text.startswith(("•", "- "))
    for q in result.chapter["questions"]:
        assert q["kind"] == "choice"  # OX questions are for reviewers to write
        assert not any(o[:1] in "①②③④⑤⑥⑦⑧⑨⑩" for o in q["options"])
        if len(q["explanation"]) > POLL_EXPLANATION_MAX:
            assert 0 < len(q["explanation_short"]) <= POLL_EXPLANATION_MAX
        else:
            assert "explanation_short" not in q


def unplaced_matching(result: ImportResult, pattern: str) -> list[str]:
    return [line for line in result.unplaced if re.search(pattern, line)]


# --- the seed --------------------------------------------------------------------------------


def test_seed_chapter_heading(seed: ImportResult) -> None:
    chapter = seed.chapter
    assert chapter["chapter"] == 3
    assert chapter["title"] == "가상화"
    assert chapter["title_en"].lower() == "virtualization"
    assert chapter["subject"] == "computer-general"
    assert chapter["subject_name"] == "컴퓨터일반"
    assert chapter["notes"] == SEED.name


def test_seed_terms(seed: ImportResult) -> None:
    terms = terms_by_name(seed)
    for name in (
        "가상화폐",
        "엔드포인트 장치",
        "호스트",
        "호스팅",
        "데이터센터",
        "Type-1",
        "Type-2",
        "SELinux",
        "sVirt",
        "KVM",
        "QEMU",
        "하이퍼바이저",
        "가상머신",
    ):
        assert name in terms, name
    assert terms["엔드포인트 장치"]["name_en"] == "endpoint"
    assert terms["호스트"]["name_en"] == "host"
    assert terms["데이터센터"]["name_en"] == "data center"
    assert terms["KVM"]["name_en"] == "Kernel-based Virtual Machine"
    assert "커널기반가상머신" in terms["KVM"]["aliases"]
    assert terms["하이퍼바이저"]["name_en"] == "hypervisor"
    assert "VMM" in terms["하이퍼바이저"]["aliases"]
    assert "VM" in terms["가상머신"]["aliases"]
    assert terms["가상"]["hanja"] == "假想"
    # The trailing comma of "가상화폐," is layout, not part of the name.
    assert not any(name.endswith(",") for name in terms)
    ids = [t["id"] for t in seed.chapter["terms"]]
    assert len(ids) == len(set(ids))
    assert terms["Type-1"]["id"] == "type-1"
    assert terms["데이터센터"]["id"] == "data-center"
    assert terms["가상화폐"]["id"] == "cg3-term-4"
    assert "line 37: term 가상화폐 (cg3-term-4): no English name; name the id" in seed.review


def test_seed_facts_are_placed_under_their_subject(seed: ImportResult) -> None:
    terms = terms_by_name(seed)
    # Prose that opens with the heading's term is its definition.
    assert terms["KVM"]["definition"].startswith("KVM은 Linux에 구축되는")
    assert any("SELinux와 sVirt" in f for f in terms["KVM"]["facts"])
    # Bullets under "#### ① Type-1 : …" join the Type-1 row's items.
    assert any("베어 메탈" in f for f in terms["Type-1"]["facts"])
    endpoint = terms["엔드포인트 장치"]
    assert endpoint["definition"] == "분산 컴퓨팅 시스템에서 사용자는 엔드포인트이다."
    assert terms["QEMU"]["name_en"] == "Quick EMUlator"
    # "## 2. 가상화 유형" is an aspect of 가상화, and its noun-phrase list stays one fact.
    virtualization = terms["가상화"]
    assert virtualization["name_en"] == "virtualization"
    kinds = "가상화 유형: 서버 가상화, 데스크탑 가상화"
    assert any(f.startswith(kinds) for f in virtualization["facts"])
    assert "가상화 유형" not in terms


def test_seed_questions(seed: ImportResult) -> None:
    questions = seed.chapter["questions"]
    assert [q["id"] for q in questions] == ["past-2018-1", "past-2017-2"]
    first, second = questions
    assert first["answer"] == 3
    assert second["answer"] == 1
    assert first["source"] == "2018 국가직 9급 컴퓨터일반"
    assert second["source"] == "2017 국가직 7급 정보보호론"
    assert first["past_exam"] is True and second["past_exam"] is True
    assert first["stem"] == "가상머신(virtual machine)에 대한 설명으로 옳지 않은 것은?"
    assert len(first["options"]) == 4
    assert first["options"][0].startswith("단일 컴퓨터에서")
    assert "(x)" in first["explanation"]
    assert "→ 호스트 컴퓨터 가상화에서" in first["explanation"]
    assert "native 하이퍼바이저" in first["explanation"]
    assert first["terms"] == [terms_by_name(seed)["가상머신"]["id"]]


def test_seed_diagrams_and_commentary_are_unplaced(seed: ImportResult) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    # A diagram starts where a row of plain cells follows a line without a tab.
    starts = [
        i + 1
        for i, line in enumerate(lines)
        if line.startswith("응용프로그램\t") and "\t" not in lines[i - 1]
    ]
    diagrams = unplaced_matching(seed, "diagram")
    assert len(starts) == 2
    assert [int(re.match(r"line (\d+)", d)[1]) for d in diagrams] == starts
    assert unplaced_matching(seed, r"prose not attached to a term: 탐구$")
    assert all(re.match(r"line \d+: .+: .+", line) for line in seed.unplaced)
    # Nothing placed is also reported as unplaced.
    assert not unplaced_matching(seed, "KVM은 Linux")


def test_seed_abbreviation_lines_give_english_names_not_definitions(seed: ImportResult) -> None:
    terms = terms_by_name(seed)
    assert terms["SELinux"]["name_en"] == "Security-Enhanced Linux"
    assert terms["SELinux"]["definition"] == "VM 주위에 보안 경계를 구축한다."
    assert terms["sVirt"]["name_en"] == "Secure Virtualization"
    assert terms["sVirt"]["definition"].startswith("SELinux의 기능을 확장하여")
    assert terms["QEMU"]["definition"] == "오픈소스 호스팅 하이퍼바이저"
    for name in ("SELinux", "sVirt", "QEMU"):
        texts = [terms[name]["definition"], *terms[name].get("facts", [])]
        assert not any(re.search("약어|줄임말", t) for t in texts), name


def test_seed_review_lists_definitions_that_name_their_term(seed: ImportResult) -> None:
    assert any("term KVM (kvm)" in line for line in seed.review)
    assert not any("데이터센터" in line for line in seed.review)


def test_seed_draft_is_valid(seed: ImportResult) -> None:
    assert_valid_draft(seed)
    text = seed.to_yaml()
    assert "# - not placed: line" in text
    assert "# - review: line" in text


# --- notes the importer was not written against ---------------------------------------------


def test_process_notes(process: ImportResult) -> None:
    assert_valid_draft(process)
    chapter = process.chapter
    assert (chapter["chapter"], chapter["title"]) == (4, "프로세스와 스레드")
    assert chapter["title_en"].lower() == "process and thread"
    terms = terms_by_name(process)
    # A compound chapter title is no term of its own.
    assert "프로세스와 스레드" not in terms
    assert terms["프로세스"]["definition"] == "실행 중인 프로그램"
    pcb = terms["프로세스 제어 블록"]
    assert (pcb["name_en"], pcb["aliases"]) == ("Process Control Block", ["PCB"])
    assert terms["스레드"]["aliases"] == ["LWP"]
    assert terms["대기"]["name_en"] == "blocked"
    assert terms["준비"]["id"] == "ready"
    switch = terms["문맥 교환"]  # no English name: a stable numbered id
    assert "name_en" not in switch
    assert re.fullmatch(r"cg4-term-\d+", switch["id"])
    assert switch["facts"] == [
        "문맥 교환 중에는 CPU가 유용한 작업을 하지 못하므로 오버헤드가 된다."
    ]
    assert "<b>" not in switch["definition"]
    advantages = "스레드 장점: 응답성 향상, 자원 공유, 경제성, 다중 처리기 활용"
    assert advantages in terms["스레드"]["facts"]


def test_process_questions(process: ImportResult) -> None:
    questions = questions_by_id(process)
    assert sorted(questions) == ["cg4-q-1", "cg4-q-2"]
    first, second = questions["cg4-q-1"], questions["cg4-q-2"]
    # Invented questions are labelled as such and never presented as 기출.
    assert (first["source"], first["past_exam"]) == ("예시 문제", False)
    assert first["answer"] == 3
    assert len(second["options"]) == 5
    assert second["answer"] == 4
    assert len(second["explanation"]) > POLL_EXPLANATION_MAX
    short = second["explanation_short"]
    assert second["explanation"].startswith(short)
    assert second["explanation"][len(short)] == "\n"  # cut at a line end, not mid-sentence


def test_process_unplaced(process: ImportResult) -> None:
    assert unplaced_matching(process, r"question 3 has no 정답")
    assert unplaced_matching(process, r"image or figure: !\[프로세스 상태 전이도\]")
    assert unplaced_matching(process, r"diagram table of 3 rows.*코드 \| 데이터 \| 파일")
    assert unplaced_matching(process, r"prose not attached to a term: @@ 교재 112쪽")
    assert unplaced_matching(process, r"comment not attached to a term: 스레드는 관리 주체에")
    assert unplaced_matching(process, r"prose not attached to a term: 프로세스와 스레드는")
    assert len(process.unplaced) == 6


def test_network_notes(network: ImportResult) -> None:
    assert_valid_draft(network)
    chapter = network.chapter
    assert (chapter["subject"], chapter["subject_name"]) == ("information-security", "정보보호론")
    assert (chapter["chapter"], chapter["title"]) == (7, "네트워크 보안")
    terms = terms_by_name(network)
    assert terms["서비스 거부 공격"]["aliases"] == ["DoS"]
    assert terms["SYN 플러딩"]["name_en"] == "SYN flooding"
    assert "SYN 패킷만 대량으로" in terms["SYN 플러딩"]["definition"]
    assert terms["스머프 공격"]["id"] == "smurf-attack"
    assert re.fullmatch(r"sec7-term-\d+", terms["티어드롭"]["id"])
    assert terms["IDS"]["name_en"] == "Intrusion Detection System"
    parts = "IDS 구성: 데이터 수집, 데이터 필터링과 축약, 분석 및 침입 탐지, 보고 및 대응"
    assert parts in terms["IDS"]["facts"]
    # A plain-text term row: the text itself is the definition.
    assert terms["IPS"]["definition"].startswith("침입을 탐지하는 데 그치지 않고")


def test_network_questions_and_unplaced(network: ImportResult) -> None:
    questions = questions_by_id(network)
    assert sorted(questions) == ["sec7-q-1", "sec7-q-2"]
    assert questions["sec7-q-1"]["answer"] == 2
    assert questions["sec7-q-1"]["terms"] == ["syn-flooding"]
    # A year without an exam body is not a 기출.
    assert (questions["sec7-q-2"]["source"], questions["sec7-q-2"]["past_exam"]) == (
        "2024 모의고사 예시",
        False,
    )
    assert unplaced_matching(network, r"question 3 has 1 option, needs at least 2")
    assert unplaced_matching(network, r"HTML with no list to read")
    assert unplaced_matching(network, r"diagram table of 2 rows.*인터넷 \| 외부 방화벽")
    assert len(network.unplaced) == 3


# --- edge cases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown", "past"),
    [
        ("2018년 컴일 국가 9급", "2018 국가직 9급 컴퓨터일반", True),
        ("2017년 국가 7급, 정보보호론", "2017 국가직 7급 정보보호론", True),
        ("2019년 지방직 9급 컴퓨터일반", "2019 지방직 9급 컴퓨터일반", True),
        ("2020년 지방 9급, 정보보호", "2020 지방직 9급 정보보호론", True),
        ("2016년 서울시 9급 컴퓨터일반", "2016 서울시 9급 컴퓨터일반", True),
        ("2015년 서울 7급", "2015 서울시 7급", True),
        ("예시 문제", "예시 문제", False),
        ("2024년 모의고사 예시", "2024 모의고사 예시", False),
        ("2021년 국가 9급 변형", "2021 국가 9급 변형", False),
        ("교재 연습문제 3", "교재 연습문제 3", False),
    ],
)
def test_normalize_source(raw: str, shown: str, past: bool) -> None:
    assert normalize_source(raw) == (shown, past)


def _question(body: str, *, header: str = "**1. 다음 중 옳은 것은? [2019년 지방 9급]**") -> str:
    return f"### 2. 운영체제(operating system)\n\n**기출문제 분석**\n\n{header}\n\n{body}\n"


def test_several_accepted_answers() -> None:
    options = "- ① 가\n- ② 나\n- ③ 다\n- ④ 라"
    notes = _question(f"{options}\n\n☞ 해설\n\n- 가와 다가 옳다.\n\n정답 : ①, ③")
    result = import_notes(notes, notes_name="n.md")
    (question,) = result.chapter["questions"]
    assert question["answer"] == [1, 3]
    assert (question["id"], question["source"]) == ("past-2019-1", "2019 지방직 9급")
    assert_valid_draft(result)


def test_question_without_explanation_is_unplaced() -> None:
    result = import_notes(_question("① 가\n② 나\n\n정답 : ②"), notes_name="n.md")
    assert result.chapter["questions"] == []
    assert unplaced_matching(result, r"^line 5: question 1 has no 해설")


def test_answer_outside_the_options_is_unplaced() -> None:
    notes = _question("- ① 가\n- ② 나\n\n☞ 해설\n- 설명\n\n정답 : ④")
    result = import_notes(notes, notes_name="n.md")
    assert result.chapter["questions"] == []
    assert unplaced_matching(result, r"정답 \[4\] is not among its 2 options")


def test_what_fails_the_check_is_left_out_and_reported() -> None:
    long_option = "가" * 120
    notes = _question(f"- ① {long_option}\n- ② 나\n\n☞ 해설\n- 설명\n\n정답 : ②")
    result = import_notes(notes, notes_name="n.md")
    assert result.chapter["questions"] == []
    assert unplaced_matching(result, r"past-2019-1 left out: option 1 has 120 characters")
    assert_valid_draft(result)


def test_notes_without_a_chapter_heading() -> None:
    notes = "## 커널(kernel)\n\n커널은 운영체제의 핵심이다.\n\n- 커널은 자원을 관리한다.\n"
    result = import_notes(notes, notes_name="os_notes.md")
    assert (result.chapter["chapter"], result.chapter["title"]) == (0, "os_notes")
    assert unplaced_matching(result, "no chapter heading")
    (term,) = result.chapter["terms"]
    assert (term["id"], term["definition"]) == ("kernel", "운영체제의 핵심")
    assert_valid_draft(result)


def test_bullets_under_no_heading_and_empty_term_headings_are_reported() -> None:
    notes = "\n".join(
        [
            "- 떠도는 사실 하나이다.",
            "",
            "### 1. 보안(security)",
            "",
            "## 해시(hash)",
            "",
            "## 암호",
            "",
            "- 암호는 비밀을 지킨다.",
        ]
    )
    result = import_notes(notes, notes_name="n.md")
    assert unplaced_matching(result, r"^line 1: bullet under no heading: 떠도는 사실")
    assert unplaced_matching(result, r"^line 5: heading with nothing under it; no term made: 해시")
    assert [t["name"] for t in result.chapter["terms"]] == ["암호"]


def test_import_file_matches_import_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    text = (DATA / "notes_network.md").read_text(encoding="utf-8")
    path.write_text("\ufeff" + text.replace("\n", "\r\n"), encoding="utf-8")
    from_file = import_file(path, "information-security")
    direct = import_notes(text, notes_name="notes.md", subject="information-security")
    assert from_file == direct
