"""The deploy/ files: every setting documented, and each file checked with what this machine has.

No Docker engine and no systemd as PID 1 run here, so the files are parsed and held to
what they promise; where a validator is installed (systemd-analyze, docker-compose v1,
`docker compose`, hadolint) it checks them too, and otherwise that part is skipped by name.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from bot.app import STOP_TIMEOUT
from bot.cli import _parser
from bot.config import ENV_PREFIX, Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
VARIABLE = re.compile(r"^#?\s*(STUDYBOT_[A-Z_]+)=(.*)$")
# What may stand before a command on a line: a prompt, sudo, env assignments, compose exec.
PREFIX = re.compile(r"^(?:\$ |sudo |docker compose exec (?:-T )?bot |[A-Z_]+=\S+ )*")
INVOKE = re.compile(r"^(?:[\w/.-]*/bin/)?(?:studybot|run_as_bot) ((?:db|discord|content) \w+|\w+)")


def example_lines() -> list[str]:
    return (DEPLOY / "studybot.env.example").read_text(encoding="utf-8").splitlines()


def test_the_env_example_lists_every_setting_once_with_a_comment() -> None:
    lines = example_lines()
    found: dict[str, int] = {}
    for number, line in enumerate(lines):
        match = VARIABLE.match(line)
        if match:
            assert match[1] not in found, f"{match[1]} listed twice"
            found[match[1]] = number
    expected = {ENV_PREFIX + f.name.upper() for f in fields(Settings)} | {"STUDYBOT_CONFIG"}
    assert set(found) == expected
    for name, number in found.items():
        above = lines[number - 1]
        assert above.startswith("# ") and not VARIABLE.match(above), f"{name} has no comment"


def test_the_env_example_values_are_valid_settings(tmp_path: Path) -> None:
    active: dict[str, str] = {}
    for line in example_lines():
        match = VARIABLE.match(line)
        if not match or not match[2] or match[1] == "STUDYBOT_CONFIG":
            continue
        value = match[2]
        # Each example value on its own must load, as a user who uncomments it expects.
        load_settings(environ={match[1]: value})
        if not line.startswith("#"):
            active[match[1]] = value
    # The file as shipped (tokens empty) is a valid configuration too.
    settings = load_settings(environ={**active, "STUDYBOT_DATA_DIR": str(tmp_path)})
    assert not settings.telegram_token and not settings.discord_token


def test_git_ignores_the_env_files() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout, so .gitignore cannot be asked")
    for name in ("deploy/studybot.env", "deploy/.env"):
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", name], cwd=REPO, check=False, capture_output=True
        )
        assert ignored.returncode == 0, f"{name} would be committed"


def compose() -> dict[str, object]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_the_bot_on_postgres_16_once_it_is_healthy() -> None:
    spec = compose()
    services = spec["services"]  # type: ignore[index]
    db, bot = services["db"], services["bot"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.startswith("pgdata:") for v in db["volumes"])
    assert "ports" not in db, "the database stays on the project network"
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["env_file"] == "studybot.env"
    assert bot["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    env = bot["environment"]
    assert env["STUDYBOT_DATABASE_URL"].startswith("postgresql+asyncpg://studybot:")
    assert env["STUDYBOT_DATABASE_URL"].endswith("@db:5432/studybot")
    assert set(spec["volumes"]) == {"pgdata", "botdata"}  # type: ignore[index]
    grace = int(bot["stop_grace_period"].rstrip("s"))
    assert grace > STOP_TIMEOUT, "compose must wait longer than the bot's own stop"
    assert all(p.startswith("127.0.0.1:") for p in bot["ports"])


def _compose_tool() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_config_validates(tmp_path: Path) -> None:
    tool = _compose_tool()
    if tool is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    if tool[-1].endswith("docker-compose"):
        # Compose v1 predates the top-level project name; everything else is the same spec.
        text = "\n".join(line for line in text.splitlines() if not line.startswith("name:"))
    (tmp_path / "compose.yaml").write_text(text, encoding="utf-8")
    shutil.copy(DEPLOY / "studybot.env.example", tmp_path / "studybot.env")
    env = {**os.environ, "POSTGRES_PASSWORD": "pw0123"}
    checked = subprocess.run(
        [*tool, "-f", "compose.yaml", "config"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    resolved = yaml.safe_load(checked.stdout)
    url = resolved["services"]["bot"]["environment"]["STUDYBOT_DATABASE_URL"]
    assert url == "postgresql+asyncpg://studybot:pw0123@db:5432/studybot"
    # Without the password, compose refuses to start rather than run with an empty one.
    env.pop("POSTGRES_PASSWORD")
    missing = subprocess.run(
        [*tool, "-f", "compose.yaml", "config"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr


def unit() -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = ""
    for raw in (DEPLOY / "studybot.service").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = {}
            continue
        key, _, value = line.partition("=")
        sections[current].setdefault(key, []).append(value)
    return sections


def test_the_unit_runs_a_hardened_service_that_stops_gracefully() -> None:
    service = unit()["Service"]
    one = {k: v[-1] for k, v in service.items()}
    assert one["User"] == "studybot"
    assert one["EnvironmentFile"] == "/etc/studybot/studybot.env"
    assert one["ExecStart"] == "/opt/studybot/venv/bin/studybot run"
    assert one["Restart"] == "on-failure"
    assert one["NoNewPrivileges"] == "yes"
    assert one["ProtectSystem"] == "strict"
    assert "/var/lib/studybot" in one["ReadWritePaths"].split()
    assert "STUDYBOT_DATA_DIR=/var/lib/studybot" in service["Environment"]
    assert one["KillSignal"] == "SIGTERM"
    assert int(one["TimeoutStopSec"]) > STOP_TIMEOUT
    assert unit()["Install"]["WantedBy"] == ["multi-user.target"]


def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # verify also checks that ExecStart exists; point it at a stand-in executable.
    stand_in = tmp_path / "studybot"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    text = (DEPLOY / "studybot.service").read_text(encoding="utf-8")
    copy = tmp_path / "studybot.service"
    copy.write_text(text.replace("/opt/studybot/venv/bin/studybot", str(stand_in)))
    verified = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, check=False
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == "", verified.stderr


def dockerfile() -> list[str]:
    """Instructions with their continuation lines joined, comments dropped."""
    joined: list[str] = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#") or not line:
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    return joined


def test_the_image_is_multi_stage_non_root_with_data_in_a_volume() -> None:
    steps = dockerfile()
    stages = [s for s in steps if s.startswith("FROM ")]
    assert len(stages) == 2 and stages[0].endswith(" AS build") and "slim" in stages[1]
    runtime = steps[steps.index(stages[1]) :]
    assert any("pip wheel" in s for s in steps[: steps.index(stages[1])])
    assert any("--no-index" in s and "from=build" in s for s in runtime)
    user = next(s for s in runtime if s.startswith("USER "))
    assert user.split()[1].split(":")[0] not in ("0", "root")
    assert 'VOLUME ["/data"]' in runtime
    env = next(s for s in runtime if s.startswith("ENV "))
    assert "STUDYBOT_DATA_DIR=/data" in env
    assert 'ENTRYPOINT ["studybot"]' in runtime and 'CMD ["run"]' in runtime


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed")
    linted = subprocess.run(
        [hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def healthcheck() -> list[str]:
    step = next(s for s in dockerfile() if s.startswith("HEALTHCHECK "))
    return json.loads(step[step.index("CMD ") + 4 :])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_image_health_check_command_works(tmp_path: Path) -> None:
    """The HEALTHCHECK's own command line, run here against a real bot."""
    command = healthcheck()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    # In the image `python` and `studybot` are on PATH; here they live beside this Python.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(STUDYBOT_DATA_DIR=str(tmp_path), PYTHONUTF8="1")
    if shutil.which("studybot", path=env["PATH"]) is None:
        pytest.skip("the studybot command is not installed beside this Python")

    port = free_port()
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console"],
        cwd=REPO,
        env={**env, "STUDYBOT_METRICS_PORT": str(port)},
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "the bot never served /healthz"
                time.sleep(0.2)
        live = subprocess.run(
            command, env={**env, "STUDYBOT_METRICS_PORT": str(port)}, check=False, timeout=60
        )
        assert live.returncode == 0
    finally:
        bot.terminate()
        bot.wait(timeout=60)
    dead = subprocess.run(
        command,
        env={**env, "STUDYBOT_METRICS_PORT": str(port)},
        check=False,
        timeout=60,
        capture_output=True,
    )
    assert dead.returncode != 0, "nothing listens any more: the check must fail"
    # Without a metrics port the check falls back to the quick doctor.
    quick = subprocess.run(command, env=env, check=False, timeout=60, capture_output=True)
    assert quick.returncode == 0, quick.stdout
    assert b"OK database" in quick.stdout


def test_every_command_in_the_deploy_readme_exists() -> None:
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    # Commands appear in code blocks and `code` spans; the prose around them is not parsed.
    fence = re.compile(r"```[a-z]*\n(.*?)```", flags=re.S)
    code = fence.findall(text) + re.findall(r"`([^`\n]+)`", fence.sub("", text))
    commands = set()
    for block in code:
        for line in block.splitlines():
            for part in re.split(r"&&|;|\|", line):
                part = part.strip()
                prefix = PREFIX.match(part)
                match = INVOKE.match(part[prefix.end() if prefix else 0 :])
                if match:
                    commands.add(match.group(1))
    assert {"doctor", "db backup", "db restore", "db export", "db import"} <= commands
    parser = _parser()
    for command in sorted(commands):
        with pytest.raises(SystemExit) as exited:
            parser.parse_args([*command.split(), "--help"])
        assert exited.value.code == 0, f"'studybot {command}' is not a command"
