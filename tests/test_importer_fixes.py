"""Importer mistakes content authors found on unseen notes, each on a small sample
(``tests/data/notes_importer_fixes.md``): section and ``//`` headings, "기준"/"요소" topics,
"X와 Y" headings, the "X는 …이다" frame, "…라고도 한다" aliases, O/X blocks, ids that carry
the subject, long glossed names, and the subject read from the notes' words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.importer import ImportResult, import_file, import_notes
from bot.content.importer.subjects import guess_subject
from bot.content.schema import parse_chapter

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "tests" / "data" / "notes_importer_fixes.md"


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_file(NOTES, "information-security")


def terms(result: ImportResult) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in result.chapter["terms"]}


def test_draft_checks_clean(result: ImportResult) -> None:
    data = yaml.safe_load(result.to_yaml())
    chapter, problems = parse_chapter(data, file="draft.yaml", key="draft/fixes")
    assert problems == [] and chapter is not None


def test_section_and_comment_headings_make_no_terms(result: ImportResult) -> None:
    names = set(terms(result))
    # "#### 1. 암호의 기본 개념", "// 대표적 블록 암호 비교 기준", "// 위험을 이루는 요소".
    assert not {"암호의 기본 개념", "대표적 블록 암호 비교 기준", "위험을 이루는 요소"} & names
    assert any("암호의 기본 개념 names a topic" in r for r in result.review)
    # Their lines that open with a term go to it, as facts (not as its definition).
    assert "대칭키 암호는 기밀성을 지키는 기본 수단이다." in terms(result)["대칭키 암호"]["facts"]
    assert terms(result)["AES"]["facts"] == ["AES는 128비트 블록을 쓴다."]
    unplaced = "\n".join(result.unplaced)
    assert "under the topic 위험을 이루는 요소, names no term" in unplaced
    assert "under the topic 대표적 블록 암호 비교 기준, names no term" in unplaced


def test_pair_headings_name_two_terms(result: ImportResult) -> None:
    found = terms(result)
    assert {"RISC", "CISC", "전자서명", "PKI"} <= set(found)
    assert not [n for n in found if n.endswith(("와", "과")) or "와 " in n or "과 " in n]
    assert found["CISC"]["definition"].startswith("많은 수의 복잡한")
    assert "aliases" not in found["RISC"] and "aliases" not in found["전자서명"]


def test_definitions_lose_the_sentence_frame(result: ImportResult) -> None:
    found = terms(result)
    assert found["대칭키 암호"]["definition"] == "암호화와 복호화에 같은 키를 사용하는 암호 방식"
    assert found["PKI"]["definition"] == "공개키가 그 소유자의 것임을 인증서로 보증하는 기반 구조"
    # "AES는 Advanced Encryption Standard의 약자로, …": the expansion is its English name.
    assert found["AES"]["name_en"] == "Advanced Encryption Standard"
    assert found["AES"]["definition"] == "DES를 대신하는 블록 암호"
    assert any("without its '…는 …이다' frame" in r for r in result.review)


def test_aliases_from_also_called(result: ImportResult) -> None:
    found = terms(result)
    assert found["대칭키 암호"]["aliases"] == ["비밀키 암호"]
    assert "비대칭키 암호" in found["공개키 암호"]["aliases"]
    # A description after "라고도 한다" with more on the line is not another name.
    assert not [a for a in found["공개키 암호"]["aliases"] if "혁명" in a]


def test_ox_blocks_become_ox_questions_with_subject_ids(result: ImportResult) -> None:
    questions = {q["id"]: q for q in result.chapter["questions"]}
    assert sorted(questions) == ["sec2-q-1", "sec2-q-2"]
    ox = questions["sec2-q-1"]
    assert ox["kind"] == "ox" and ox["truth"] is False
    assert "options" not in ox and "answer" not in ox
    assert ox["stem"] == "대칭키 암호는 암호화와 복호화에 서로 다른 키를 쓴다."
    assert ox["source"] == "연습"
    assert questions["sec2-q-2"]["kind"] == "choice"


def test_long_glossed_name_is_a_term_row(result: ImportResult) -> None:
    row = terms(result)["CSMA/CD"]
    assert row["name_en"] == "Carrier Sense Multiple Access with Collision Detection"
    assert row["definition"].startswith("전송 중 충돌을 감지하면")


def test_term_ids_without_english_carry_the_subject() -> None:
    row = "가명정보\t<ul><li>• 추가 정보 없이는 개인을 알아볼 수 없게 한 정보</li></ul>"
    notes = f"### 5. 보안 관리(security)\n\n{row}\n"
    result = import_notes(notes, notes_name="n.md", subject="information-security")
    assert [t["id"] for t in result.chapter["terms"]] == ["sec5-term-1"]


def test_subject_is_read_from_the_notes() -> None:
    assert guess_subject(NOTES.read_text(encoding="utf-8")).subject == "information-security"
    computer = (ROOT / "tests" / "data" / "notes_process.md").read_text(encoding="utf-8")
    assert guess_subject(computer).subject == "computer-general"
    assert guess_subject("### 1. 메모\n\n- 오늘 배운 것\n").subject is None


def _import(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "import", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_cli_infers_the_subject_or_asks_for_it(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    proc = _import(str(NOTES), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["subject"] == "information-security"
    assert "subject: information-security" in proc.stderr
    unclear = tmp_path / "memo.md"
    unclear.write_text("### 1. 메모(memo)\n\n- 오늘 배운 것을 적는다.\n", encoding="utf-8")
    proc = _import(str(unclear), "-o", str(tmp_path / "memo.yaml"))
    assert proc.returncode == 2
    assert "과목을 정할 수 없어요" in proc.stderr and "--subject" in proc.stderr
    assert not (tmp_path / "memo.yaml").exists()
    proc = _import(str(unclear), "--subject", "computer-general", "-o", str(tmp_path / "m.yaml"))
    assert proc.returncode == 0, proc.stderr
