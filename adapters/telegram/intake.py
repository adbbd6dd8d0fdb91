"""Taking updates from Telegram, acknowledging only what is stored.

python-telegram-bot's Updater confirms a batch (by asking getUpdates for the next offset)
as soon as it has queued it, before any handler ran, and its webhook server answers 200
before the update is handled: a crash then loses what Telegram already counts as delivered.
So studybot fetches and serves updates itself, with PTB's Bot and Application doing the
rest (parsing, handlers, the per-chat lanes):

- Polling: getUpdates (long polling, allowed_updates) hands over a batch; its updates are
  handled side by side, and the next getUpdates asks for an offset past an update only
  once that update was handled and its writes committed. An update that failed is tried
  again in hand, with a backoff, and not confirmed meanwhile; after the last try it is
  confirmed anyway (logged), so one poisoned update cannot stop the bot. A graceful stop
  finishes what is in hand, then confirms it with one last getUpdates.
- Webhook: the POST is answered after the update was handled: 200 once its writes are
  committed, 500 when handling failed, so Telegram delivers it again.

A redelivered update (after a crash, or a 500) is harmless: an answer is stored once per
person per post (UNIQUE(post, user)).
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import logging
import warnings
from collections.abc import Callable, Coroutine, Sequence
from http import HTTPStatus
from typing import Any

from aiohttp import web
from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBUserWarning

from adapters.telegram.votes import PollVote, parse

log = logging.getLogger(__name__)

# getUpdates goes through Bot.do_api_request, PTB's public call for any method, so its
# result comes back as JSON and a vote skips PTB's objects (adapters/telegram/votes.py).
# PTB points such a call to Bot.get_updates each time; that is deliberate here.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.get_updates'", category=PTBUserWarning)
# Added to a long poll's timeout for its read timeout, as Bot.get_updates adds PTB's
# default read timeout (5 s).
READ_SLACK_S = 5.0

Incoming = PollVote | Update
# handle(update, final) -> True when the update is handled and stored. final: no other try
# follows (the user may be told it was not recorded).
Handle = Callable[[Incoming, bool], Coroutine[Any, Any, bool]]
Report = Callable[[TelegramError], None]

RETRY_DELAYS = (1.0, 2.0, 4.0)  # seconds before the 2nd, 3rd and 4th try of a failed update
# A batch's updates are awaited together; one that takes longer than this (a reply waiting
# out a 429) no longer holds up fetching what came after it.
STRAGGLER_S = 1.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _seconds(value: float | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


class Polling:
    """The getUpdates loop; its offset only moves past updates that are done."""

    def __init__(
        self,
        bot: Bot,
        handle: Handle,
        *,
        timeout: int,
        allowed_updates: Sequence[str],
        on_error: Report,
    ) -> None:
        self.bot = bot
        self.handle = handle
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self.on_error = on_error
        self.offset = 0  # every update below it is done (and confirmed by the next fetch)
        self._in_hand: dict[int, asyncio.Task[bool]] = {}
        self._done: set[int] = set()  # done, but above an update still in hand
        self._held: set[int] = set()  # given up unstored when stopping: never confirmed
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def in_hand(self) -> int:
        return len(self._in_hand)

    async def start(self) -> None:
        # As PTB's bootstrap: polling needs the webhook gone; pending updates stay.
        await self.bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.get_running_loop().create_task(self._run(), name="telegram-poll")

    async def stop(self) -> None:
        """Stop fetching, finish the updates in hand, confirm them with one last fetch."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def idle(self) -> None:
        """Until no update is in hand (for tests)."""
        await self._idle.wait()

    async def _run(self) -> None:
        interval = 0.0
        try:
            while not self._stopping.is_set():
                try:
                    updates = await self._fetch()
                except InvalidToken:
                    log.error("telegram: the token was refused while polling; polling stops")
                    return
                except RetryAfter as exc:
                    interval = 0.5 + _seconds(exc.retry_after)
                    self.on_error(exc)
                except TimedOut:
                    interval = 0.0  # a long poll that ran out: ask again at once
                except TelegramError as exc:
                    self.on_error(exc)
                    interval = 1.0 if interval == 0 else min(30.0, 1.5 * interval)
                else:
                    interval = 0.0
                    if updates is None:
                        break  # stopping
                    await self._take(updates)
                if interval:
                    await self._sleep(interval)
            if self._in_hand:
                await asyncio.wait(list(self._in_hand.values()))
                self._settle()
        finally:
            await self._confirm()

    async def _get(self, offset: int, wait: int, limit: int | None = None) -> list[Any]:
        """getUpdates' result as JSON (a list of raw updates); wait: the long poll's timeout."""
        params: dict[str, Any] = {"timeout": wait, "allowed_updates": self.allowed_updates}
        if offset:
            params["offset"] = offset
        if limit is not None:
            params["limit"] = limit
        result = await self.bot.do_api_request(
            "get_updates", api_kwargs=params, read_timeout=wait + READ_SLACK_S
        )
        return list(result) if isinstance(result, list) else []

    async def _fetch(self) -> list[Incoming] | None:
        """The next batch, or None when stopping came first (that batch is not taken:
        nothing in it is confirmed, so Telegram delivers it again)."""
        fetch = asyncio.ensure_future(self._get(self.offset, self.timeout))
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({fetch, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if not fetch.done():
            fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)
            return None
        taken: list[Incoming] = []
        for data in fetch.result():
            try:
                taken.append(parse(data, self.bot))
            except Exception:
                # Confirmed with the rest: Telegram would hand it over unchanged forever.
                log.warning("telegram: an update that could not be read was skipped")
                uid = data.get("update_id") if isinstance(data, dict) else None
                if isinstance(uid, int) and uid >= self.offset:
                    self._done.add(uid)
        return taken

    async def _take(self, updates: list[Incoming]) -> None:
        fresh = False
        loop = asyncio.get_running_loop()
        for update in updates:
            uid = update.update_id
            if uid < self.offset or uid in self._in_hand or uid in self._done or uid in self._held:
                continue  # handed out again because something before it is still in hand
            fresh = True
            # Tasks start in the order Telegram sent the updates; the lanes keep it per chat.
            self._in_hand[uid] = loop.create_task(self._one(update))
        if self._in_hand:
            self._idle.clear()
            if fresh:
                await asyncio.wait(list(self._in_hand.values()), timeout=STRAGGLER_S)
            else:
                # Nothing new fits in a batch behind what is in hand: wait for progress.
                await asyncio.wait(
                    list(self._in_hand.values()), return_when=asyncio.FIRST_COMPLETED
                )
        self._settle()

    def _settle(self) -> None:
        for uid, task in list(self._in_hand.items()):
            if task.done():
                del self._in_hand[uid]
                stored = not task.cancelled() and task.exception() is None and task.result()
                (self._done if stored else self._held).add(uid)
        # The offset may pass every done update below the first one not done.
        waiting = self._in_hand.keys() | self._held
        lowest = min(waiting) if waiting else None
        for uid in sorted(self._done):
            if lowest is not None and uid > lowest:
                break
            self.offset = max(self.offset, uid + 1)
            self._done.discard(uid)
        if not self._in_hand:
            self._idle.set()

    async def _one(self, update: Incoming) -> bool:
        """Handle one update, trying again after a failure: True once it may be confirmed."""
        for delay in (*RETRY_DELAYS, None):
            final = delay is None
            try:
                stored = await self.handle(update, final)
            except Exception:
                log.exception("telegram: handling update %d failed", update.update_id)
                stored = False
            if stored:
                return True
            if final:
                log.error(
                    "telegram: update %d failed %d times; confirmed without being stored",
                    update.update_id,
                    len(RETRY_DELAYS) + 1,
                )
                return True
            if await self._sleep(delay):
                return False  # stopping: left unconfirmed, for the next start to take
        return True

    async def _sleep(self, seconds: float | None) -> bool:
        """Sleep, or less when stopping (then True)."""
        try:
            async with asyncio.timeout(seconds):
                await self._stopping.wait()
        except TimeoutError:
            return False
        return True

    async def _confirm(self) -> None:
        """Tell Telegram what is done, so a restart does not get it again."""
        if not self.offset:
            return
        try:
            await self._get(self.offset, 0, limit=1)
        except TelegramError as exc:
            log.warning(
                "telegram: could not confirm the last updates (%s); they may come again", exc
            )


class Webhook:
    """An HTTP endpoint for Telegram's POSTs, answered once the update is stored."""

    def __init__(
        self, bot: Bot, handle: Handle, *, listen: str, port: int, path: str, secret: str
    ) -> None:
        self.bot = bot
        self.handle = handle
        self.listen = listen
        self.port = port
        self.path = "/" + path.strip("/")
        self.secret = secret
        self._runner: web.AppRunner | None = None
        self._in_hand: set[asyncio.Task[bool]] = set()
        self._closing = False

    @property
    def in_hand(self) -> int:
        return len(self._in_hand)

    async def start(self, url: str, allowed_updates: Sequence[str]) -> None:
        app = web.Application()
        app.router.add_post(self.path, self._post)
        if self.path != "/":
            app.router.add_post(self.path + "/", self._post)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.listen, self.port).start()
            await self.bot.set_webhook(
                url=url,
                allowed_updates=list(allowed_updates),
                drop_pending_updates=False,
                secret_token=self.secret,
            )
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def stop(self) -> None:
        """Take nothing new; answer the POSTs in hand after their updates are handled."""
        self._closing = True
        while self._in_hand:
            await asyncio.wait(list(self._in_hand))
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def idle(self) -> None:
        while self._in_hand:
            await asyncio.wait(list(self._in_hand))

    async def _post(self, request: web.Request) -> web.Response:
        if self._closing:
            return web.Response(status=HTTPStatus.SERVICE_UNAVAILABLE)
        if request.content_type != "application/json":
            return web.Response(status=HTTPStatus.FORBIDDEN)
        if request.headers.get(SECRET_HEADER) != self.secret:
            log.debug("telegram: a webhook call without the right secret was refused")
            return web.Response(status=HTTPStatus.FORBIDDEN)
        try:
            update = parse(json.loads(await request.read()), self.bot)
        except Exception:
            log.warning("telegram: a webhook call that is not an update was refused")
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        # Its own task: a caller that hangs up does not cancel an update half handled.
        task: asyncio.Task[bool] = asyncio.get_running_loop().create_task(self.handle(update, True))
        self._in_hand.add(task)
        task.add_done_callback(self._in_hand.discard)
        stored = await asyncio.shield(task)
        if not stored:
            return web.Response(status=HTTPStatus.INTERNAL_SERVER_ERROR)
        return web.Response(status=HTTPStatus.OK)
