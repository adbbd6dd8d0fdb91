"""The study material travels inside the wheel and is found after a plain install."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_content_and_finds_it(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("studybot-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/_content/computer-general/virtualization.yaml" in names
    assert "bot/storage/migrations/versions/0001_initial.py" in names
    assert any(n.startswith("adapters/console") for n in names)

    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    env["PYTHONPATH"] = str(target)
    check = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert str(target / "bot" / "_content") in check.stdout
