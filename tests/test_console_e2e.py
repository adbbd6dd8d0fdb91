"""The console end to end: `studybot console` as a subprocess with piped standard input."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.content.loader import load_library


def run_console(lines: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    # An account name that says nothing: the console's speaker is then "관리자".
    environ.update({"STUDYBOT_DATA_DIR": str(data_dir), "LOGNAME": "root", **env})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )


def test_scripted_session_posts_answers_reveals_and_ranks(tmp_path: Path) -> None:
    library = load_library()
    # Two runs against one database: the first posts, the second answers after a restart.
    first = run_console(["/quiz 에뮬레이션"], tmp_path)
    assert first.returncode == 0, first.stderr
    # The card lists the options after the stem; match both, since generated questions share
    # the stem's first line.
    card = first.stdout.split("문제 #1", 1)[1].split("답:", 1)[0]
    shown = [line.strip()[2:] for line in card.splitlines() if line.strip()[:1] in set("①②③④")]
    question = next(
        q for q in library.questions.values() if list(q.options) == shown and q.stem[:8] in card
    )
    right = question.answers[0]
    wrong = next(i for i in range(1, len(question.options) + 1) if i != right)
    proc = run_console(
        [str(right), "/as 지영", str(wrong), "/as 관리자", "/reveal", "/top", "/me"], tmp_path
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "관리자 님의 답을 받았어요." in out and "지영 님의 답을 받았어요." in out
    assert re.search(r"마감! 문제 #1\n\s+정답: [①②③④] .+\n\s+해설: ", out), out
    assert "참여 2명 · 정답률 50%" in out and "가장 먼저 맞힌 사람: 관리자" in out
    board = out.split("관리자> /top", 1)[1]
    # Nobody is ranked for zero points (issue 11, item 15).
    assert "1위 관리자 — 10점" in board and "2위 지영" not in board
    assert "푼 문제 1개 · 맞힌 문제 1개 · 정답률 100%" in out


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("하이퍼바이저", "하이퍼바이저 (hypervisor)"),
        ("hypervisor", "하이퍼바이저 (hypervisor)"),
        ("vmm", "하이퍼바이저 (hypervisor)"),
        ("ㅎㅇㅍㅂㅇㅈ", "하이퍼바이저 (hypervisor)"),
        ("하이퍼바이져", "하이퍼바이저 (hypervisor)"),
        ("가상 머신", "가상머신 (virtual machine)"),
        ("에뮬", "에뮬레이션 (emulation)"),
    ],
)
def test_term_lookup_kinds(tmp_path: Path, query: str, expected: str) -> None:
    proc = run_console([f"/term {query}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout


def test_bad_input_gets_polite_replies(tmp_path: Path) -> None:
    proc = run_console(
        ["/frobnicate", "/qiuz", "/term", "/term " + "가" * 300, "/answer 3", "/as", "/lang xx"],
        tmp_path,
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "모르는 명령이에요: /frobnicate" in out
    assert "혹시 /문제 명령을 쓰려고 하셨나요?" in out
    assert "찾을 용어를 함께 적어 주세요" in out
    assert "검색어" not in proc.stderr and "Traceback" not in proc.stderr
    assert "입력이 너무 길어요. 100자 이내로" in out
    assert "지금 열린 문제가 없어요" in out
    assert "사용법: /as 이름" in out
    assert "사용법: /언어 ko 또는 /언어 en" in out


def test_english_locale_from_config(tmp_path: Path) -> None:
    proc = run_console(["/help"], tmp_path, STUDYBOT_LOCALE="en")
    assert "studybot commands" in proc.stdout and "or a /quiz earns 10 points" in proc.stdout


def test_run_without_tokens_starts_the_console(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    environ["STUDYBOT_DATA_DIR"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        input="/start\n",
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "스터디봇이에요" in proc.stdout
    assert (tmp_path / "studybot.db").exists()


def test_group_study_on_the_console(tmp_path: Path) -> None:
    """A daily question and a notice set a minute ahead arrive; a contest reaches its podium."""
    seoul = ZoneInfo("Asia/Seoul")
    now = datetime.now(seoul)
    slot = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (slot - now).total_seconds() < 8:
        slot += timedelta(minutes=1)
    if slot.strftime("%H:%M") == "23:59":
        slot += timedelta(minutes=1)  # a daily question must open before its 23:59 close
    wait = int((slot - now).total_seconds()) + 10  # room for a loaded machine
    hhmm = slot.strftime("%H:%M")
    script = [
        "/daily close 23:59",
        f"/daily time {hhmm}",
        "/daily on",
        f"/announce {slot:%Y-%m-%d} {hhmm} 오늘 스터디는 9시에 시작해요",
        "/announce list",
        f"/wait {wait}",
        "1",
        "/as 지영",
        "2",
        "/as 현우",
        "3",
        "/as 관리자",
        "/reveal",
        "/top week",
        "/contest 3 5",
        "1",
        "/as 지영",
        "2",
        "/as 관리자",
        "/wait 17",
        "/announce list",
    ]
    proc = run_console(script, tmp_path)
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert f"매일 문제: 켜짐 · {hhmm} (Asia/Seoul)" in out
    assert out.count("오늘의 문제 #1") == 1
    assert "참여 3명" in out and "이번 주 순위" in out
    assert out.count("📢 공지") == 1 and "오늘 스터디는 9시에 시작해요" in out
    assert "대회를 시작해요! 3문제, 문제당 5초" in out
    assert out.count("대회 문제 3/3") == 1
    assert "🏆 대회 결과" in out
    assert out.rstrip().endswith("예약된 공지가 없어요.")
