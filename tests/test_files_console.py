"""Question files and pictures through the console (issue 14, items 5 and 6): /file sends a
CSV from a private chat, the drafts are published in the group, /qset export writes a YAML
chapter into the data folder that passes `content check`, and a picture stands in a question."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image as PILImage

from tests.test_console_e2e import run_console

ROWS = [
    ("하드웨어 위에서 바로 실행되는 하이퍼바이저는?", "Type-1 | Type-2", "1",
     "Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.", "가상화"),
    ("게스트 운영체제가 하드웨어에서 3번째 수준으로 실행되는 하이퍼바이저는?", "Type-1 | Type-2",
     "②", "Type-2는 호스트 운영체제 위에서 실행돼요.", "가상화"),
    ("정답이 없는 보기의 문제", "가 | 나", "5", "해설이에요.", ""),
]  # fmt: skip


def table(rows: list[tuple[str, ...]], sep: str = ",") -> str:
    return "".join(sep.join(row) + "\n" for row in rows)


def test_a_cp949_csv_becomes_drafts_then_export_and_a_picture(tmp_path: Path) -> None:
    # Older Korean Excel saves CSV in cp949, without a header row.
    (tmp_path / "set.csv").write_bytes(table(ROWS).encode("cp949"))
    picture = io.BytesIO()
    PILImage.new("RGB", (30, 20), "#e08a1e").save(picture, format="PNG")
    (tmp_path / "layers.png").write_bytes(picture.getvalue())
    data = tmp_path / "data"
    proc = run_console(
        [
            "/instructor add @관리자",
            "/dm",
            f"/file {tmp_path / 'set.csv'}",
            "/group",
            "/qset drafts",
            "/qset publish chat-7",
            "/qset publish chat-1 chat-2",
            "/qset publish",
            "/qset export",
            f"/file {tmp_path / 'layers.png'} /qset image 2",
            "/quiz chat-2",
        ],
        data,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "문제 2개를 읽었어요. 고칠 줄은 1개예요." in out
    assert "3행 (정답이 없는 보기의 문제): 정답 5번은 없는 보기예요." in out
    assert "chat-1 · 하드웨어 위에서" in out and "chat-2 · 게스트 운영체제가" in out
    assert "초안 2개를 공개했어요" in out
    # A number with no draft, then nothing left: said so, not "0개를 공개했어요".
    assert "그 번호의 초안이 없어요" in out and "검토를 기다리는 초안이 없어요" in out
    assert "초안 0개" not in out
    assert "chat-2 문제에 그림을 붙였어요" in out
    card = out.split("/quiz chat-2", 1)[1]
    assert card.index("[그림]") < card.index("① Type-1")  # the picture comes first
    pictures = list((data / "pictures").glob("question-*.png"))
    assert pictures and pictures[0].read_bytes() == picture.getvalue()

    exported = list((data / "exports").glob("*.yaml"))
    assert len(exported) == 1
    content = tmp_path / "content" / "study-group"
    content.mkdir(parents=True)
    (content / exported[0].name).write_bytes(exported[0].read_bytes())
    check = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check", str(tmp_path / "content")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 terms, 2 questions" in check.stdout


def test_bad_files_are_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "binary.csv").write_bytes(bytes(range(128, 256)) * 4)
    (tmp_path / "columns.csv").write_text("문제,주제\n질문?,가상화\n", encoding="utf-8")
    (tmp_path / "fake.png").write_text("문제,보기,정답\n", encoding="utf-8")
    (tmp_path / "big.csv").write_bytes(b"a," * 300_000)
    proc = run_console(
        [
            "/instructor add @관리자",
            "/dm",
            f"/file {tmp_path / 'binary.csv'}",
            f"/file {tmp_path / 'columns.csv'}",
            f"/file {tmp_path / 'fake.png'} /qset image 1",
            f"/file {tmp_path / 'big.csv'}",
            f"/file {tmp_path / 'missing.csv'}",
            "/group",
            "/qset drafts",
        ],
        tmp_path / "data",
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "글자를 읽을 수 없어요 (binary.csv)" in out
    assert "꼭 있어야 할 열이 없어요: options, answer" in out
    assert "그림 파일이 아니에요 (fake.png)" in out
    assert "파일이 너무 커요 (585KB). 512KB 이하로" in out
    assert "파일을 열 수 없어요" in out
    assert "검토를 기다리는 초안이 없어요" in out  # nothing was stored


def test_term_shows_the_hypervisor_layers(tmp_path: Path) -> None:
    proc = run_console(["/term Type-1", "/term Type-2", "/term 가상화"], tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    type1 = out.split("/term Type-1", 1)[1].split("/term Type-2", 1)[0]
    assert "[그림] Type-1 하이퍼바이저의 계층: 하드웨어 위에 하이퍼바이저가 바로 있고" in type1
    type2 = out.split("/term Type-2", 1)[1].split("/term 가상화", 1)[0]
    assert "하드웨어 위에 호스트 운영체제, 그 위에 하이퍼바이저가" in type2
    assert "[그림]" not in out.split("/term 가상화", 1)[1]  # a term without a diagram
    drawn = sorted((tmp_path / "data" / "pictures").glob("hypervisor-type*.png"))
    assert [p.name[:16] for p in drawn] == [
        "hypervisor-type1",
        "hypervisor-type2",
    ]
    with PILImage.open(drawn[0]) as picture:
        assert picture.size == (800, 600)


def test_an_empty_file_is_called_empty(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    proc = run_console(
        ["/instructor add @관리자", "/dm", f"/file {tmp_path / 'empty.csv'}"], tmp_path / "data"
    )
    assert proc.returncode == 0, proc.stderr
    assert "파일이 비어 있어요" in proc.stdout and "너무 커요" not in proc.stdout


SEED = Path("/work/shared/seed/000_65c0c02f7a5e8aaa.txt")


def test_notes_and_the_import_csv_command(tmp_path: Path) -> None:
    import pytest

    if not SEED.is_file():
        pytest.skip("the seed notes are not on this machine")
    (tmp_path / "가상화.md").write_bytes(SEED.read_bytes())
    data = tmp_path / "data"
    proc = run_console(["/instructor add @관리자", "/dm", f"/file {tmp_path / '가상화.md'}"], data)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "노트에서 문제가 아닌 용어·줄" in out
    saved = [line for line in out.splitlines() if line.strip().startswith("chat-")]
    assert saved and "console 그룹에 초안" in out
    assert any("가상머신(virtual machine)에 대한 설명으로 옳지 않은 것은?" in s for s in saved)

    (tmp_path / "set.tsv").write_text(
        "하드웨어 위에서 바로 실행되는 하이퍼바이저는?\tType-1 | Type-2\t1\t"
        "Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.\t가상화\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    cli = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "import-csv", str(tmp_path / "set.tsv"),
         "--chat", "console:console"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**env, "STUDYBOT_DATA_DIR": str(data)},
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert f"row 1: chat-{len(saved) + 1} 하드웨어 위에서" in cli.stdout
    nowhere = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "import-csv", str(tmp_path / "set.tsv"),
         "--chat", "telegram:-1"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**env, "STUDYBOT_DATA_DIR": str(data)},
    )  # fmt: skip
    assert nowhere.returncode == 2 and "no chat telegram:-1" in nowhere.stderr
