"""Group commit: small writes that arrive together share one transaction.

A burst of answers (one getUpdates batch, a few milliseconds of webhook calls, a class
tapping one Discord button) used to cost one transaction and one commit each. Here each
caller hands over its write as a plain function of a sync Connection, as it would to
Database.run_write; the writes queued together (see YIELDS, or until a batch is full)
run in arrival order inside one write transaction, and each caller gets its own function's
result once that transaction has committed. Each function sees the ones before it in the
batch, so every outcome (an answer accepted, a duplicate, a closed post) is decided exactly
as if the writes had run one after another.

A write may also be one item of a set-based write (run_many): the items of one batch
function queued together are handed to it as one list, at the place of the first of them,
so a burst costs a few statements instead of a few per item. The function decides each
item's outcome in list order, as the one-by-one functions would have; it must not depend on
other kinds of writes queued between its items (answers, review cards and newcomers do not:
each caller awaits what it depends on before it queues).

When the batch's transaction fails, nothing of it is kept, and each write is run again in
a transaction of its own, so one bad write fails only its own caller. A failure of the
database itself (OperationalError: locked, gone, disk full) fails every caller at once
rather than waiting it out once per write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

T = TypeVar("T")


class Writer(Protocol):
    """The one thing a group commit needs of its database: a write transaction."""

    async def run_write(self, fn: Callable[..., T], *args: Any) -> T: ...


# How long the first write of a quiet spell waits for company: a few turns of the event
# loop, so every handler already running (a getUpdates batch handed out together) gets its
# write in; no wall-clock wait, so a lone answer is not held up. Under load the batches grow
# by themselves: what arrives while one commits goes into the next (webhook calls, too).
YIELDS = 3
MAX_BATCH = 500


# A set-based write: (conn, items) -> one result per item, in the items' order.
BatchFn = Callable[[Connection, list[Any]], list[Any]]


@dataclass(slots=True)
class _Write:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    done: asyncio.Future[Any] = field(repr=False)
    many: bool = False  # fn is a BatchFn and args is (item,)


def _run_all(conn: Connection, writes: list[_Write]) -> list[Any]:
    results: list[Any] = [None] * len(writes)
    groups: dict[Any, list[int]] = {}
    for i, w in enumerate(writes):
        if w.many:
            groups.setdefault(w.fn, []).append(i)
    for i, w in enumerate(writes):
        if not w.many:
            results[i] = w.fn(conn, *w.args)
            continue
        members = groups.pop(w.fn, None)
        if members is None:
            continue  # run with the first of its kind
        out = w.fn(conn, [writes[j].args[0] for j in members])
        for j, result in zip(members, out, strict=True):
            results[j] = result
    return results


def _run_one(conn: Connection, write: _Write) -> Any:
    if write.many:
        return write.fn(conn, [write.args[0]])[0]
    return write.fn(conn, *write.args)


class GroupCommit:
    """Collects concurrent writes for one Database and commits them together."""

    def __init__(
        self,
        db: Writer,
        *,
        window: float = 0.0,
        yields: int = YIELDS,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self.db = db
        self.window = window  # seconds to wait for company, beside the yields (0: none)
        self.yields = yields
        self.max_batch = max_batch
        self._queue: list[_Write] = []
        self._wake: asyncio.Future[None] | None = None  # set when a batch fills up
        self._flusher: asyncio.Task[None] | None = None
        # What the batches cost, for tests and benches: transactions and writes in them.
        self.transactions = 0
        self.writes = 0

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(conn, *args) inside a write transaction, maybe shared; its result after commit."""
        return await self._enqueue(_Write(fn, args, asyncio.get_running_loop().create_future()))

    async def run_many(self, fn: BatchFn, item: Any) -> Any:
        """item as one of the items fn(conn, items) writes together; its result after commit.

        fn is the grouping key: pass the same function object (or an equal bound method)."""
        loop = asyncio.get_running_loop()
        return await self._enqueue(_Write(fn, (item,), loop.create_future(), many=True))

    async def _enqueue(self, write: _Write) -> Any:
        loop = asyncio.get_running_loop()
        self._queue.append(write)
        if len(self._queue) >= self.max_batch and self._wake is not None:
            if not self._wake.done():
                self._wake.set_result(None)
        if self._flusher is None:
            self._flusher = loop.create_task(self._flush())
        # Shielded: a caller that stops waiting does not take its write out of a batch
        # that may already be committing; the write still happens, as it would alone.
        return await asyncio.shield(write.done)

    async def _flush(self) -> None:
        try:
            for _ in range(self.yields):
                if len(self._queue) >= self.max_batch:
                    break
                await asyncio.sleep(0)
            if self.window > 0 and len(self._queue) < self.max_batch:
                self._wake = asyncio.get_running_loop().create_future()
                await asyncio.wait([self._wake], timeout=self.window)
                self._wake = None
            # Writes that came while a batch was committing have waited long enough.
            while self._queue:
                batch = self._queue[: self.max_batch]
                del self._queue[: self.max_batch]
                await self._commit(batch)
        except BaseException as exc:
            # Nobody may be left waiting on a flusher that is gone.
            failure = exc if isinstance(exc, Exception) else RuntimeError("group commit stopped")
            for write in self._queue:
                _settle(write, exc=failure)
            self._queue.clear()
            raise
        finally:
            self._flusher = None

    async def _commit(self, batch: list[_Write]) -> None:
        try:
            self.transactions += 1
            self.writes += len(batch)
            results = await self.db.run_write(_run_all, batch)
        except Exception as exc:
            if len(batch) == 1 or isinstance(exc, OperationalError):
                for write in batch:
                    _settle(write, exc=exc)
                return
            await self._one_by_one(batch)
            return
        except BaseException as exc:  # cancelled: the callers must not wait forever
            for write in batch:
                _settle(write, exc=exc if isinstance(exc, Exception) else RuntimeError(exc))
            raise
        for write, result in zip(batch, results, strict=True):
            _settle(write, result=result)

    async def _one_by_one(self, batch: list[_Write]) -> None:
        for i, write in enumerate(batch):
            try:
                self.transactions += 1
                result = await self.db.run_write(_run_one, write)
            except OperationalError as exc:
                for rest in batch[i:]:
                    _settle(rest, exc=exc)
                return
            except Exception as exc:
                _settle(write, exc=exc)
            else:
                _settle(write, result=result)


def _settle(write: _Write, *, result: Any = None, exc: BaseException | None = None) -> None:
    if write.done.done():
        return
    if exc is not None:
        write.done.set_exception(exc)
    else:
        write.done.set_result(result)
