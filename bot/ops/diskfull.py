"""Disk full: recognised under any wrapper, said once a minute in one line."""

from __future__ import annotations

import errno
import logging
import sqlite3
import time

REPEAT_S = 60.0


def disk_full(exc: BaseException) -> str | None:
    """What is full, when exc (or what it wraps) is a full disk; else None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.OperationalError) and "full" in str(current).lower():
            return "the disk that holds the SQLite database"
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            where = f" ({current.filename})" if current.filename else ""
            return f"the disk{where}"
        if "DiskFullError" in type(current).__name__:  # PostgreSQL's "could not extend file"
            return "the PostgreSQL server's disk"
        orig = getattr(current, "orig", None)
        nxt = orig if isinstance(orig, BaseException) else None
        current = nxt or current.__cause__ or current.__context__
    return None


class DiskFullLog:
    """Logs 'disk full' at most once per REPEAT_S, counting what it kept quiet."""

    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self._last: float | None = None
        self._quiet = 0

    def report(self, what: str) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < REPEAT_S:
            self._quiet += 1
            return
        more = (
            f"; {self._quiet} more failed the same way since the last line" if self._quiet else ""
        )
        self.log.error(
            "disk full: %s has no room; every write fails and users are asked to retry "
            "(free space and the bot recovers by itself)%s",
            what,
            more,
        )
        self._last, self._quiet = now, 0
