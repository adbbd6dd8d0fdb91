"""The chapter schema and `studybot content check`: every problem named by file, item, reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from bot.content.loader import check_tree

GOOD_TERM = {"id": "vm", "name": "가상머신", "definition": "컴퓨팅 환경을 소프트웨어로 구현한 것"}


def chapter(**overrides: object) -> dict:
    data: dict = {
        "subject": "computer-general",
        "chapter": 1,
        "title": "시험용",
        "terms": [dict(GOOD_TERM)],
        "questions": [
            {
                "id": "q1",
                "kind": "choice",
                "stem": "옳은 것은?",
                "options": ["가", "나", "다", "라"],
                "answer": 2,
                "explanation": "나가 옳다.",
            }
        ],
    }
    data.update(overrides)
    return data


def write(root: Path, name: str, data: object) -> Path:
    path = root / "computer-general" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def reasons(root: Path) -> list[tuple[str, str]]:
    _, problems = check_tree(root)
    return [(p.item, p.reason) for p in problems]


def test_sound_chapter_passes(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", chapter())
    assert reasons(tmp_path) == []


def test_every_kind_of_problem(tmp_path: Path) -> None:
    long_stem = "가" * 301
    data = chapter(
        terms=[
            dict(GOOD_TERM, related=["nowhere"]),
            dict(GOOD_TERM),
        ],
        questions=[
            {
                "id": "q1",
                "kind": "choice",
                "stem": "?",
                "options": ["가"],
                "answer": 1,
                "explanation": "x",
            },
            {
                "id": "q2",
                "kind": "choice",
                "stem": "?",
                "options": ["가", "나"],
                "answer": [3],
                "explanation": "",
            },
            {
                "id": "q3",
                "kind": "choice",
                "stem": long_stem,
                "options": ["가" * 101, "나"],
                "answer": 1,
                "explanation": "해" * 201,
            },
            {"id": "q3", "kind": "ox", "stem": "맞다?", "truth": "yes", "explanation": "x"},
            {
                "id": "q5",
                "kind": "essay",
                "stem": "?",
                "options": ["가", "나"],
                "answer": 1,
                "explanation": "x",
                "past_exam": True,
                "terms": ["ghost"],
            },
        ],
    )
    write(tmp_path, "bad.yaml", data)
    found = reasons(tmp_path)
    expected = [
        ("vm", "duplicate term id"),
        ("vm", "unknown related term 'nowhere'"),
        ("q1", "needs 2 to 10 options, has 1"),
        ("q2", "'explanation' is empty"),
        ("q2", "accepted option 3 is out of range 1..2"),
        ("q3", "stem has 301 characters, a quiz poll takes 300"),
        ("q3", "option 1 has 101 characters, a poll takes 100"),
        ("q3", "duplicate question id"),
        ("q3", "an ox question needs 'truth: true' or 'truth: false'"),
        ("q5", "kind must be one of choice, ox"),
        ("q5", "a past exam question (기출) needs its source"),
        ("q5", "unknown term 'ghost'"),
    ]
    for item in expected:
        assert item in found, item
    assert any(i == "q3" and "explanation_short" in r for i, r in found)


def test_yaml_errors_and_cross_file_ids(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", chapter())
    write(tmp_path, "b.yaml", chapter())
    broken = tmp_path / "computer-general" / "c.yaml"
    broken.write_text("terms: [\n", encoding="utf-8")
    _, problems = check_tree(tmp_path)
    texts = [str(p) for p in problems]
    assert any("c.yaml: line" in t and "not valid YAML" in t for t in texts)
    assert any("b.yaml: vm: id already used in" in t for t in texts)


def test_cli_exit_status(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", chapter(questions=[]))
    ok = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    write(tmp_path, "b.yaml", chapter(title=""))
    bad = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert "b.yaml: chapter: 'title' is empty" in bad.stdout


def test_shipped_content_passes() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "virtualization.yaml: ok" in proc.stdout


def test_import_cli_writes_a_draft_that_checks(tmp_path: Path) -> None:
    notes = Path(__file__).parent / "data" / "notes_process.md"
    draft = tmp_path / "computer-general" / "process.yaml"
    imported = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "import", str(notes), "-o", str(draft)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert "placed" in imported.stderr and "could not place" in imported.stderr
    check = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_sequences_are_checked(tmp_path: Path) -> None:
    data = chapter(
        sequences=[
            {"id": "ok", "name": "층", "direction": "아래부터", "items": ["가", "나", "다"]},
            {"id": "short", "name": "층", "direction": "아래부터", "items": ["가", "나"]},
            {"id": "twice", "name": "층", "direction": "아래부터", "items": ["가", "가", "나"]},
            {
                "id": "ref",
                "name": "층",
                "direction": "아래부터",
                "items": ["가", "나", "다"],
                "terms": ["nowhere"],
            },
            {"id": "ok", "name": "층", "items": ["가", "나", "다"]},
            "not a mapping",
        ]
    )
    write(tmp_path, "a.yaml", data)
    found = reasons(tmp_path)
    assert ("short", "a sequence needs at least 3 items") in found
    assert ("twice", "an item is listed twice") in found
    assert ("ref", "unknown term 'nowhere'") in found
    assert ("ok", "'direction' is missing") in found
    assert ("ok", "duplicate sequence id") in found
    assert ("sequences[5]", "a sequence must be a mapping") in found
    assert not [r for r in found if r[0] == "ok" and "item" in r[1]]
