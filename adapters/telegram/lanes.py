"""Per-chat lanes: one chat's updates run in arrival order, different chats side by side.

PTB's own choice is all-or-nothing: one update at a time for the whole bot (a slow chat,
or a reply waiting out a 429, stalls every other chat) or full concurrency (a bare '3'
could be scored after the /reveal that followed it). A lane per chat keeps the order that
matters and nothing more. Answers (poll votes, answer buttons) by different people that
follow one another in a chat run side by side, so a class answering at once shares its
transactions (bot.storage.group_commit); a command after them still waits for all of them,
and they for the command before them.

The bound on running handlers counts groups, not updates: a run of answers holds one
permit between them. Counting each answer made a class's 100-answer batch run in rounds of
32, each round waiting for its own commits (three per answer) before the next could start.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import BaseUpdateProcessor

# PTB's semaphore is taken before our lane, so a burst from one chat queued on it would
# block every other chat behind it. Keep it out of the way and bound running handlers
# ourselves, after the lane's turn has come.
_UNBOUNDED = 1_000_000


# lane_of(update) -> (lane, who): who is None for an update that must run alone in its
# lane; answers from different people (who) that follow one another may run side by side.
LaneOf = Callable[[object], tuple[str, str | None]]


class _Group:
    """Updates of one lane that may run together: one update alone, or a run of answers
    by different people. The group after it starts when every member has finished."""

    __slots__ = ("acquiring", "before", "done", "holding", "members", "open", "running", "who")

    def __init__(self, who: str | None, before: asyncio.Future[None] | None) -> None:
        self.before = before  # the previous group's marker
        self.who: set[str] = set() if who is None else {who}
        self.open = who is not None  # may take more answers
        self.members = 0
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # The running bound's permit, held while any member runs (taken by the first).
        self.acquiring: asyncio.Task[bool] | None = None
        self.holding = False
        self.running = 0  # members running or waiting for the permit


class ChatLanes(BaseUpdateProcessor):
    def __init__(self, lane_of: LaneOf, running: int = 32) -> None:
        super().__init__(_UNBOUNDED)
        self._lane_of = lane_of
        self._running = asyncio.Semaphore(running)
        # The last group queued in each lane; the next one waits for it to finish.
        self._tails: dict[str, _Group] = {}

    @property
    def busy_lanes(self) -> int:
        return len(self._tails)

    def _join(self, lane: str, who: str | None) -> tuple[_Group, asyncio.Future[None] | None]:
        tail = self._tails.get(lane)
        if tail is not None and who is not None and tail.open and who not in tail.who:
            tail.who.add(who)
            tail.members += 1
            return tail, tail.before
        group = _Group(who, tail.done if tail is not None else None)
        group.members = 1
        self._tails[lane] = group
        return group, group.before

    def _leave(self, lane: str, group: _Group) -> None:
        group.members -= 1
        if group.members:
            return
        group.open = False
        group.done.set_result(None)
        group.before = None
        if self._tails.get(lane) is group:
            del self._tails[lane]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Everything up to the first await runs in the order PTB created the tasks, which
        # is the order Telegram sent the updates: that is what makes a lane ordered.
        lane, who = self._lane_of(update)
        group, before = self._join(lane, who)
        started = False
        try:
            if before is not None:
                # Shielded: being cancelled ourselves must not cancel our predecessor's
                # marker, which it still has to set when it finishes.
                await asyncio.shield(before)
            await self._enter(group)
            started = True
            try:
                await coroutine
            finally:
                self._exit(group)
        finally:
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while queued: never ran, and must not warn
            self._leave(lane, group)

    async def _enter(self, group: _Group) -> None:
        """Run under the group's permit: the first member to run has it taken, the others
        share it (they are one run of answers, however many)."""
        group.running += 1
        try:
            if not group.holding:
                if group.acquiring is None:
                    # A task of its own: a member cancelled while waiting does not cancel
                    # the acquisition the others wait on.
                    acquiring = asyncio.get_running_loop().create_task(self._running.acquire())
                    acquiring.add_done_callback(functools.partial(self._acquired, group))
                    group.acquiring = acquiring
                await asyncio.shield(group.acquiring)
        except BaseException:
            self._exit(group)
            raise

    def _acquired(self, group: _Group, task: asyncio.Task[bool]) -> None:
        group.acquiring = None
        if task.cancelled() or task.exception() is not None:
            return
        group.holding = True
        self._release_if_idle(group)

    def _exit(self, group: _Group) -> None:
        group.running -= 1
        self._release_if_idle(group)

    def _release_if_idle(self, group: _Group) -> None:
        if group.running == 0 and group.holding:
            # Nobody of the group runs now; a later member takes a permit anew.
            group.holding = False
            self._running.release()

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: Application.stop() has waited for every update already."""
