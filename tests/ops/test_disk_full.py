"""Disk full: every answer still gets the error reply, the log gets one line a minute."""

from __future__ import annotations

import errno
import logging
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from bot.ops import diskfull
from bot.ops.diskfull import disk_full
from bot.types import Text
from tests.conftest import Harness


def test_a_full_disk_is_recognised_under_sqlalchemys_wrapper() -> None:
    raw = sqlite3.OperationalError("database or disk is full")
    wrapped = OperationalError("INSERT …", {}, raw)
    assert disk_full(wrapped) == "the disk that holds the SQLite database"
    assert disk_full(OSError(errno.ENOSPC, "No space left on device", "/data/x")) == (
        "the disk (/data/x)"
    )
    assert disk_full(RuntimeError("no")) is None


async def test_disk_full_is_said_once_a_minute_in_one_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def full(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(harness.core, "_handle", full)
    now = [1000.0]
    monkeypatch.setattr(diskfull.time, "monotonic", lambda: now[0])
    with caplog.at_level(logging.INFO):
        for _ in range(50):
            replies = await harness.command("answer", "1")
            assert replies and isinstance(replies[0], Text)
            now[0] += 0.5
        now[0] += 60
        await harness.command("answer", "1")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2, [r.getMessage() for r in errors]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in errors)
    assert "disk full: the disk that holds the SQLite database" in errors[0].getMessage()
    assert "49 more failed" in errors[1].getMessage()
