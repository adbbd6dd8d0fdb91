"""Counters the core keeps in memory, and their Prometheus text exposition.

Plain numbers in one process need no client library: the text format is a few lines per
series, so writing it here keeps prometheus_client out of the dependencies. Nothing in this
module does I/O; the HTTP side is bot.ops.server.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.pacer import PacerStats

# Handling an event is a few milliseconds when SQLite is warm; the upper buckets catch a
# slow PostgreSQL or a platform call made while handling.
HANDLE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A daily post is late by the pacer's queue (seconds for a big fan-out) or by downtime
# (up to the one-hour grace).
LAG_BUCKETS = (0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass
class Histogram:
    buckets: Sequence[float]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * len(self.buckets)

    def observe(self, value: float) -> None:
        self.total += value
        self.count += 1
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1
                break


class Metrics:
    """What the core counts as it works; read at scrape time, never reset."""

    def __init__(self) -> None:
        self.started = time.time()
        self.events: Counter[tuple[str, str]] = Counter()
        self.handle_errors: Counter[str] = Counter()
        self.handle_seconds: dict[str, Histogram] = {}
        self.answers: Counter[bool] = Counter()
        self.daily_posted = 0
        self.daily_lag = Histogram(LAG_BUCKETS)
        # Outbox rows whose sender died during the platform call, by kind (sent again).
        self.outbox_ambiguous: Counter[str] = Counter()

    def handled(self, platform: str, kind: str, seconds: float, *, failed: bool) -> None:
        self.events[platform, kind] += 1
        if failed:
            self.handle_errors[platform] += 1
        hist = self.handle_seconds.get(kind)
        if hist is None:
            hist = self.handle_seconds[kind] = Histogram(HANDLE_BUCKETS)
        hist.observe(seconds)

    def answer_recorded(self, *, correct: bool) -> None:
        self.answers[correct] += 1

    def daily_sent(self, lag_seconds: float) -> None:
        self.daily_posted += 1
        # A post can go out a hair before its slot when a timer fires early; that is not lag.
        self.daily_lag.observe(max(0.0, lag_seconds))

    def outbox_ambiguous_seen(self, kind: str) -> None:
        self.outbox_ambiguous[kind] += 1


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in labels.items())
    return "{" + inner + "}"


def _number(value: float) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)


class Exposition:
    """Builds the text format: HELP and TYPE once per family, then its samples."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(
        self,
        name: str,
        kind: str,
        help_text: str,
        samples: Iterable[tuple[Mapping[str, str], float]],
    ) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            self.lines.append(f"{name}{_labels(labels)} {_number(value)}")

    def histogram(
        self, name: str, help_text: str, series: Iterable[tuple[Mapping[str, str], Histogram]]
    ) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} histogram")
        for labels, hist in series:
            running = 0
            for bound, count in zip(hist.buckets, hist.counts, strict=True):
                running += count
                le = {**labels, "le": _number(float(bound))}
                self.lines.append(f"{name}_bucket{_labels(le)} {running}")
            inf = {**labels, "le": "+Inf"}
            self.lines.append(f"{name}_bucket{_labels(inf)} {hist.count}")
            self.lines.append(f"{name}_sum{_labels(labels)} {_number(hist.total)}")
            self.lines.append(f"{name}_count{_labels(labels)} {hist.count}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def render(
    metrics: Metrics,
    sends: Mapping[str, PacerStats],
    *,
    version: str,
    open_posts: int | None,
) -> str:
    """The whole scrape; open_posts is None when the database could not be read."""
    out = Exposition()
    out.family("studybot_info", "gauge", "Build information.", [({"version": version}, 1)])
    out.family(
        "studybot_start_time_seconds",
        "gauge",
        "When this process started, in Unix time.",
        [({}, metrics.started)],
    )
    platforms = sorted(sends)
    out.family(
        "studybot_messages_sent_total",
        "counter",
        "Messages the bot posted on its own (questions, reveals, announcements) through the pacer.",
        [({"platform": p}, sends[p].sent) for p in platforms],
    )
    out.family(
        "studybot_messages_failed_total",
        "counter",
        "Messages that were never delivered: retries used up, or the chat is gone.",
        [({"platform": p, "reason": "gave_up"}, sends[p].failed) for p in platforms]
        + [({"platform": p, "reason": "chat_gone"}, sends[p].gone) for p in platforms],
    )
    out.family(
        "studybot_send_retries_total",
        "counter",
        "Sends retried after a server error or a timeout.",
        [({"platform": p}, sends[p].retried) for p in platforms],
    )
    out.family(
        "studybot_rate_limited_total",
        "counter",
        "429 Too Many Requests answers from the platform.",
        [({"platform": p}, sends[p].rate_limited) for p in platforms],
    )
    out.family(
        "studybot_rate_limited_seconds_total",
        "counter",
        "Seconds the platform asked us to wait (retry_after) over every 429.",
        [({"platform": p}, sends[p].waited_on_429) for p in platforms],
    )
    out.family(
        "studybot_events_total",
        "counter",
        "Events the core handled, by platform and kind (command, text, choice).",
        [({"platform": p, "kind": k}, n) for (p, k), n in sorted(metrics.events.items())],
    )
    out.family(
        "studybot_handle_errors_total",
        "counter",
        "Events whose handling raised (the user saw the generic error reply).",
        [({"platform": p}, n) for p, n in sorted(metrics.handle_errors.items())],
    )
    out.histogram(
        "studybot_handle_seconds",
        "Time spent in Core.handle per event, by kind.",
        [({"kind": k}, h) for k, h in sorted(metrics.handle_seconds.items())],
    )
    out.family(
        "studybot_answers_recorded_total",
        "counter",
        "Answers accepted and stored (first answer per person and question).",
        [
            ({"correct": "true"}, metrics.answers[True]),
            ({"correct": "false"}, metrics.answers[False]),
        ],
    )
    out.family(
        "studybot_daily_posts_total",
        "counter",
        "Daily questions delivered by this process.",
        [({}, metrics.daily_posted)],
    )
    out.histogram(
        "studybot_daily_lag_seconds",
        "How late each daily question went out after its slot.",
        [({}, metrics.daily_lag)],
    )
    out.family(
        "studybot_outbox_ambiguous_total",
        "counter",
        "Scheduled messages whose sender died during the platform call, so the platform may "
        "have it; this process took the claim over and sent it again (by kind).",
        [({"kind": k}, n) for k, n in sorted(metrics.outbox_ambiguous.items())],
    )
    out.family(
        "studybot_database_up",
        "gauge",
        "1 when the scrape could read the database.",
        [({}, int(open_posts is not None))],
    )
    if open_posts is not None:
        out.family(
            "studybot_open_posts",
            "gauge",
            "Questions still open for answers, read from the database at scrape time.",
            [({}, open_posts)],
        )
    return out.text()
