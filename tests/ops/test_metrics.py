"""Health and metrics: the exposition format, the counters' hooks, and a live console scrape."""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import ConfigError, load_settings
from bot.content.loader import Library
from bot.errors import ChatGone, RateLimited
from bot.ops.metrics import Metrics, render
from bot.pacer import Pacer, PacerClosed
from bot.storage.db import Database
from bot.types import ChatRef, Content, SentRef, Text
from tests.conftest import cards, make_harness

REPO = Path(__file__).resolve().parents[2]
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"'
SAMPLE = re.compile(
    rf"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{{(?P<labels>(?:{LABEL},?)*)\}})? "
    r"(?P<value>[-+]?(?:\d+(?:\.\d*)?(?:e[-+]?\d+)?|Inf|NaN|\+Inf))$"
)


def parse(exposition: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """A strict reader of the text format: every line is HELP, TYPE or a valid sample."""
    families: dict[str, str] = {}
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    assert exposition.endswith("\n")
    for line in exposition.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert name not in families, f"{name} declared twice"
            families[name] = kind
            continue
        match = SAMPLE.match(line)
        assert match, f"not a valid sample line: {line!r}"
        labels = tuple(
            re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', match["labels"] or "")
        )
        name = match["name"]
        family = re.sub(r"_(bucket|sum|count)$", "", name)
        assert name in families or family in families, f"{name} has no TYPE"
        samples.setdefault(name, {})[labels] = float(match["value"])
    for name, kind in families.items():
        if kind == "histogram":
            for labels, count in samples.get(f"{name}_count", {}).items():
                buckets = [
                    (dict(k)["le"], v)
                    for k, v in samples[f"{name}_bucket"].items()
                    if tuple(p for p in k if p[0] != "le") == labels
                ]
                values = [v for _, v in buckets]
                assert values == sorted(values), f"{name} buckets are not cumulative"
                assert buckets[-1] == ("+Inf", count)
    return samples


def test_exposition_is_valid_text_format() -> None:
    metrics = Metrics()
    metrics.handled("telegram", "command", 0.004, failed=False)
    metrics.handled("telegram", "choice", 0.3, failed=True)
    metrics.handled('we"ird\\name', "text", 12.0, failed=False)
    metrics.answer_recorded(correct=True)
    metrics.daily_sent(42.5)
    metrics.daily_sent(-0.2)  # a timer that fired early is not negative lag
    from bot.pacer import PacerStats

    sends = {"telegram": PacerStats(sent=5, rate_limited=1, waited_on_429=3.5, gone=1)}
    samples = parse(render(metrics, sends, version="9.9", open_posts=3))
    assert samples["studybot_messages_sent_total"][(("platform", "telegram"),)] == 5
    assert samples["studybot_rate_limited_seconds_total"][(("platform", "telegram"),)] == 3.5
    failed = samples["studybot_messages_failed_total"]
    assert failed[(("platform", "telegram"), ("reason", "chat_gone"))] == 1
    assert samples["studybot_handle_errors_total"][(("platform", "telegram"),)] == 1
    assert samples["studybot_handle_seconds_count"][(("kind", "choice"),)] == 1
    assert samples["studybot_daily_lag_seconds_count"][()] == 2
    assert samples["studybot_daily_lag_seconds_sum"][()] == 42.5
    assert samples["studybot_open_posts"][()] == 3
    assert samples["studybot_database_up"][()] == 1
    weird = samples["studybot_events_total"]
    assert weird[(("platform", 'we\\"ird\\\\name'), ("kind", "text"))] == 1

    down = parse(render(Metrics(), {}, version="9.9", open_posts=None))
    assert "studybot_open_posts" not in down and down["studybot_database_up"][()] == 0


class Platform:
    def __init__(self, script: list[BaseException]) -> None:
        self.script = script

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        if self.script:
            raise self.script.pop(0)
        return SentRef(chat, "1")


async def test_pacer_counts_per_platform_and_closes() -> None:
    gone: list[str] = []

    async def on_gone(chat: ChatRef, reason: str) -> None:
        gone.append(chat.chat_id)

    platform = Platform([RateLimited(2.0)])
    pacer = Pacer(platform.send, FakeClock(), on_gone)
    tg, dc = ChatRef("telegram", "1", True), ChatRef("discord", "2", True)
    assert await pacer.send(tg, Text("a")) is not None  # a 429, then sent
    platform.script = [ChatGone("kicked")]
    assert await pacer.send(dc, Text("b")) is None  # gone
    assert await pacer.send(dc, Text("c")) is not None
    telegram, discord = pacer.by_platform["telegram"], pacer.by_platform["discord"]
    assert (telegram.sent, telegram.rate_limited, telegram.waited_on_429) == (1, 1, 2.0)
    assert (discord.sent, discord.gone, discord.rate_limited) == (1, 1, 0)
    total = pacer.stats
    assert (total.sent, total.rate_limited, total.gone) == (2, 1, 1)

    pacer.close()
    with pytest.raises(PacerClosed):
        await pacer.send(tg, Text("d"))
    assert pacer.stats.sent == 2


async def test_daily_lag_and_answers_are_counted(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 11, 25, 22, 59, tzinfo=UTC))  # 07:59 in Seoul
    h = make_harness(db, library, tmp_path, clock=clock)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    await h.command("daily", "on", who="관리자", admin=True)
    assert await h.advance(90) == 1  # the 08:00 timer runs at 08:00:30
    metrics = h.core.rt.metrics
    assert metrics.daily_posted == 1 and metrics.daily_lag.total == pytest.approx(30.0)
    post = cards(h.adapter)[-1]
    await h.choose(post.post_id, post.correct[0], who="민수")
    await h.choose(post.post_id, post.correct[0], who="민수")  # a duplicate is not counted
    await h.choose(post.post_id, post.correct[0] % len(post.options) + 1, who="지영")
    assert metrics.answers == {True: 1, False: 1}
    assert metrics.events["memory", "choice"] == 3
    assert metrics.handle_seconds["choice"].count == 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_console_session_is_counted_and_scraped(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    env.update(
        STUDYBOT_DATA_DIR=str(tmp_path),
        STUDYBOT_METRICS_PORT=str(port),
        STUDYBOT_LOCALE="ko",
        PYTHONUTF8="1",
        LOGNAME="root",  # the console's admin is then named 관리자
    )
    script = "/quiz\n1\n/as 지영\n2\n/as 관리자\n/reveal\n/wait 3\n"
    err_file = tmp_path / "console.err"
    with err_file.open("w") as err_out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "console"],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err_out,
            text=True,
            encoding="utf-8",
        )
    assert proc.stdin and proc.stdout
    proc.stdin.write(script)
    proc.stdin.close()
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 60
    try:
        while True:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            assert line is not None, "the console ended before /wait"
            if line.strip() == "관리자> /wait 3":
                break
        health = get(f"http://127.0.0.1:{port}/healthz")
        status, body = get(f"http://127.0.0.1:{port}/metrics")
    finally:
        proc.wait(timeout=60)
    err = err_file.read_text(encoding="utf-8")
    assert proc.returncode == 0, err
    assert health == (200, "ok\n")
    assert status == 200
    samples = parse(body)
    console = (("platform", "console"),)
    assert samples["studybot_events_total"][(("platform", "console"), ("kind", "command"))] == 2
    assert samples["studybot_events_total"][(("platform", "console"), ("kind", "text"))] == 2
    recorded = samples["studybot_answers_recorded_total"]
    assert recorded[(("correct", "true"),)] + recorded[(("correct", "false"),)] == 2
    assert samples["studybot_messages_sent_total"][console] == 1  # the reveal, paced
    assert samples["studybot_open_posts"][()] == 0  # revealed, so closed
    assert sum(samples["studybot_handle_seconds_count"].values()) == 4
    # On the console the log goes to the data folder, not into the conversation.
    logged = (tmp_path / "studybot.log").read_text(encoding="utf-8")
    assert "health and metrics on http://127.0.0.1" in logged


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STUDYBOT_METRICS_PORT": "0"}, "STUDYBOT_METRICS_PORT: must be a port number"),
        ({"STUDYBOT_METRICS_PORT": "http"}, "STUDYBOT_METRICS_PORT: must be a port number"),
        ({"STUDYBOT_METRICS_PORT": "70000"}, "STUDYBOT_METRICS_PORT: must be a port number"),
        ({"STUDYBOT_METRICS_HOST": "two words"}, "STUDYBOT_METRICS_HOST: must be an IP"),
        ({"STUDYBOT_METRICS_HOST": "-leading"}, "STUDYBOT_METRICS_HOST: must be an IP"),
        (
            {
                "STUDYBOT_METRICS_PORT": "8443",
                "STUDYBOT_TELEGRAM_WEBHOOK_URL": "https://bot.example.com/hook",
            },
            "STUDYBOT_METRICS_PORT: 8443 is already the Telegram webhook port",
        ),
    ],
)
def test_metrics_settings_are_validated(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(environ=env)


def test_metrics_are_off_by_default_and_on_loopback() -> None:
    settings = load_settings(environ={})
    assert settings.metrics_port is None and settings.metrics_host == "127.0.0.1"
    on = load_settings(environ={"STUDYBOT_METRICS_PORT": "9108", "STUDYBOT_METRICS_HOST": "::"})
    assert (on.metrics_port, on.metrics_host) == (9108, "::")
