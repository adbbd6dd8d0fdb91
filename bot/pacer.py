"""One pacer for every fan-out: stays under each platform's limits and honours retry_after.

Sends pass a per-platform gate one at a time, at least 1/rate seconds apart by the clock
at the moment they go, and, where the platform limits each chat too, only while that
chat's window has room (a group's window: Telegram limits groups, not private chats).
A 429 pushes the platform's timeline back by retry_after; 5xx and timeouts retry with
backoff; a chat that is gone is reported once and never retried.

Fan-out goes through send; an adapter's replies to users go through run with their own
platform call, so both share one budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from bot.clock import Clock
from bot.errors import ChatGone, RateLimited, TransientError
from bot.ratebudget import Budget
from bot.types import ChatRef, Content, SentRef

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    per_second: float
    per_chat: tuple[int, float] | None = None  # (messages, window in seconds) into a group


PLATFORM_LIMITS: dict[str, Limits] = {
    # Telegram: about 30 messages a second overall, 20 a minute into one group.
    "telegram": Limits(30.0, (20, 60.0)),
    # Discord: 50 requests a second globally.
    "discord": Limits(50.0),
}
DEFAULT_LIMITS = Limits(30.0)
# Aim a little under the published limits so clock jitter never tips a burst over them.
HEADROOM = 0.985
BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0)


@dataclass
class PacerStats:
    sent: int = 0
    rate_limited: int = 0
    waited_on_429: float = 0.0
    retried: int = 0
    failed: int = 0
    gone: int = 0


class PacerClosed(Exception):
    """The bot is stopping: this send never started, and its outbox claim stays resumable."""


@dataclass
class _Lane:
    limits: Limits
    # Send starts pass one at a time, spaced by the clock at the moment they go: a task that
    # wakes late must not bunch up with the ones booked after it.
    gate: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_free: datetime | None = None
    chats: dict[str, deque[datetime]] = field(default_factory=dict)


Send = Callable[[ChatRef, Content], Awaitable[SentRef | None]]
Gone = Callable[[ChatRef, str], Awaitable[None]]


class Pacer:
    def __init__(
        self,
        send: Send,
        clock: Clock,
        on_gone: Gone,
        limits: dict[str, Limits] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self._send = send
        self.clock = clock
        self._on_gone = on_gone
        self._limits = limits or PLATFORM_LIMITS
        # Replicas on PostgreSQL: a per-platform budget shared through the database, booked
        # before each send on top of this process's own lane (bot/ratebudget.py).
        self.budget = budget
        self._budget_failed = False
        self._lanes: dict[str, _Lane] = {}
        self.by_platform: dict[str, PacerStats] = {}
        self.closed = False
        self._closing = asyncio.Event()

    @property
    def stats(self) -> PacerStats:
        """Every platform together."""
        total = PacerStats()
        for one in self.by_platform.values():
            for f in fields(PacerStats):
                setattr(total, f.name, getattr(total, f.name) + getattr(one, f.name))
        return total

    def close(self) -> None:
        """Start no more sends; one already on the wire finishes and is counted.

        Every send still waiting for its turn (or for a retry) ends at once with
        PacerClosed, so a stop never waits out the fan-out left: those messages stay
        claimed but unsent in the outbox for the next start.
        """
        self.closed = True
        self._closing.set()

    async def _unless_closed(self, waiting: Callable[[], Awaitable[None]], chat: ChatRef) -> None:
        """Await a wait (a turn, a backoff); close() cuts it short with PacerClosed."""
        if self.closed:
            raise PacerClosed(f"not sent to {chat.platform}:{chat.chat_id}: stopping")
        wait = asyncio.ensure_future(waiting())
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await asyncio.wait({wait, closing}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            closing.cancel()
            if not wait.done():
                wait.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await wait
        if self.closed:
            raise PacerClosed(f"not sent to {chat.platform}:{chat.chat_id}: stopping")
        wait.result()

    def _lane(self, platform: str) -> _Lane:
        lane = self._lanes.get(platform)
        if lane is None:
            lane = _Lane(self._limits.get(platform, DEFAULT_LIMITS))
            self._lanes[platform] = lane
        return lane

    def _chat_ready_at(self, lane: _Lane, chat: ChatRef, now: datetime) -> datetime | None:
        """When this chat may take another message, or None if it may now."""
        if lane.limits.per_chat is None or not chat.is_group:
            return None
        count, window = lane.limits.per_chat
        history = lane.chats.setdefault(chat.chat_id, deque())
        while history and history[0] <= now - timedelta(seconds=window):
            history.popleft()
        if len(history) < count:
            return None
        return history[-count] + timedelta(seconds=window)

    async def _wait_turn(self, chat: ChatRef) -> None:
        lane = self._lane(chat.platform)
        interval = timedelta(seconds=1 / (lane.limits.per_second * HEADROOM))
        if lane.limits.per_chat is not None and chat.is_group:
            # The group's share of the budget every replica books from, before this
            # process's own window and the platform's gate (a wait here holds up no one else).
            await self._book_shared_chat(chat, *lane.limits.per_chat)
        while True:
            ready = self._chat_ready_at(lane, chat, self.clock.now())
            if ready is not None:
                # Wait for the chat outside the gate so other chats keep flowing.
                await self.clock.sleep_until(ready)
                continue
            async with lane.gate:
                if lane.next_free is not None and lane.next_free > self.clock.now():
                    await self.clock.sleep_until(lane.next_free)
                if self._chat_ready_at(lane, chat, self.clock.now()) is not None:
                    continue  # another task filled this chat's window meanwhile
                await self._book_shared(chat.platform, lane.limits.per_second)
                now = self.clock.now()
                lane.next_free = now + interval
                if lane.limits.per_chat is not None and chat.is_group:
                    lane.chats[chat.chat_id].append(now)
                return

    async def _book_shared(self, platform: str, per_second: float) -> None:
        """Wait for this send's slot in the budget every replica shares, if there is one."""
        if self.budget is None:
            return
        try:
            wait = await self.budget.reserve(platform, per_second)
        except Exception as exc:
            # The database is away: this process's own lane still paces it meanwhile.
            if not self._budget_failed:
                log.warning("shared send budget unavailable (%s); pacing locally", exc)
            self._budget_failed = True
            return
        self._budget_failed = False
        if wait > 0:
            await self.clock.sleep_until(self.clock.now() + timedelta(seconds=wait))

    async def _book_shared_chat(self, chat: ChatRef, count: int, window: float) -> None:
        if self.budget is None:
            return
        try:
            wait = await self.budget.reserve_chat(f"{chat.platform}:{chat.chat_id}", count, window)
        except Exception as exc:
            if not self._budget_failed:
                log.warning("shared send budget unavailable (%s); pacing locally", exc)
            self._budget_failed = True
            return
        if wait > 0:
            await self.clock.sleep_until(self.clock.now() + timedelta(seconds=wait))

    async def _pause_shared(self, platform: str, seconds: float) -> None:
        if self.budget is None:
            return
        try:
            await self.budget.pause(platform, seconds)
        except Exception as exc:
            log.warning("could not share a 429 pause with other replicas: %s", exc)

    def _pause(self, platform: str, seconds: float) -> None:
        lane = self._lane(platform)
        resume = self.clock.now() + timedelta(seconds=seconds)
        if lane.next_free is None or lane.next_free < resume:
            lane.next_free = resume

    async def send(self, chat: ChatRef, content: Content) -> SentRef | None:
        """Deliver one message; None when the chat is gone."""
        return await self.run(chat, lambda: self._send(chat, content))

    async def run(self, chat: ChatRef, attempt: Callable[[], Awaitable[T]]) -> T | None:
        """Make one platform call into chat (attempt, repeated as needed) within the budget.

        None when the chat is gone; TransientError once the backoff is spent; PacerClosed
        when the bot is stopping.
        """
        transient = 0
        stats = self.by_platform.setdefault(chat.platform, PacerStats())
        while True:
            await self._unless_closed(partial(self._wait_turn, chat), chat)
            try:
                sent = await attempt()
            except RateLimited as exc:
                stats.rate_limited += 1
                stats.waited_on_429 += exc.retry_after
                log.warning("429 from %s; pausing %.1fs", chat.platform, exc.retry_after)
                self._pause(chat.platform, exc.retry_after)
                await self._pause_shared(chat.platform, exc.retry_after)
                continue
            except ChatGone as exc:
                stats.gone += 1
                await self._on_gone(chat, str(exc) or "gone")
                return None
            except TransientError as exc:
                if transient >= len(BACKOFF):
                    stats.failed += 1
                    log.error("giving up on %s:%s: %s", chat.platform, chat.chat_id, exc)
                    raise
                stats.retried += 1
                delay = BACKOFF[transient]
                transient += 1
                resume = self.clock.now() + timedelta(seconds=delay)
                await self._unless_closed(partial(self.clock.sleep_until, resume), chat)
                continue
            stats.sent += 1
            return sent
