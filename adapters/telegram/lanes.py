"""Per-chat lanes: one chat's updates run in arrival order, different chats side by side.

PTB's own choice is all-or-nothing: one update at a time for the whole bot (a slow chat,
or a reply waiting out a 429, stalls every other chat) or full concurrency (a bare '3'
could be scored after the /reveal that followed it). A lane per chat keeps the order that
matters and nothing more.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import BaseUpdateProcessor

# PTB's semaphore is taken before our lane, so a burst from one chat queued on it would
# block every other chat behind it. Keep it out of the way and bound running handlers
# ourselves, after the lane's turn has come.
_UNBOUNDED = 1_000_000


class ChatLanes(BaseUpdateProcessor):
    def __init__(self, lane_of: Callable[[object], str], running: int = 32) -> None:
        super().__init__(_UNBOUNDED)
        self._lane_of = lane_of
        self._running = asyncio.Semaphore(running)
        # The last update queued in each lane; the next one waits for it to finish.
        self._tails: dict[str, asyncio.Future[None]] = {}

    @property
    def busy_lanes(self) -> int:
        return len(self._tails)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Everything up to the first await runs in the order PTB created the tasks, which
        # is the order Telegram sent the updates: that is what makes a lane ordered.
        lane = self._lane_of(update)
        before = self._tails.get(lane)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[lane] = done
        started = False
        try:
            if before is not None:
                # Shielded: being cancelled ourselves must not cancel our predecessor's
                # marker, which it still has to set when it finishes.
                await asyncio.shield(before)
            async with self._running:
                started = True
                await coroutine
        finally:
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while queued: never ran, and must not warn
            done.set_result(None)
            if self._tails.get(lane) is done:
                del self._tails[lane]

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: Application.stop() has waited for every update already."""
