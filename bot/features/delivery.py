"""Sending one claimed outbox row: the pacer sends, the claim records how it went."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.errors import TransientError
from bot.runtime import Runtime
from bot.types import ChatRef, Content, SentRef


class Outcome(enum.Enum):
    SENT = "sent"
    FAILED = "failed"  # worth another try: the claim stays open for the next sweep
    GONE = "gone"  # the chat no longer takes messages; the pacer has unsubscribed it


@dataclass(frozen=True, slots=True)
class Delivered:
    outcome: Outcome
    sent: SentRef | None = None


async def send_claimed(
    rt: Runtime,
    claim_id: int,
    chat: ChatRef,
    content: Content,
    *,
    on_sent: Callable[[SentRef], Awaitable[None]] | None = None,
) -> Delivered:
    """Send content for claim_id and settle the claim: failed, cancelled as gone, or sent.

    on_sent runs before the claim is marked sent, so what it records (a post's message id)
    is in place before the row says the work is done.
    """
    outbox = rt.services.outbox
    try:
        sent = await rt.pacer.send(chat, content)
    except TransientError as exc:
        await outbox.mark_failed(claim_id, str(exc))
        return Delivered(Outcome.FAILED)
    if sent is None:
        await outbox.cancel(claim_id, rt.clock.now(), "chat gone")
        return Delivered(Outcome.GONE)
    if on_sent is not None:
        await on_sent(sent)
    await outbox.mark_sent(claim_id, rt.clock.now())
    return Delivered(Outcome.SENT, sent)
