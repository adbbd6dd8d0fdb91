"""Sending one claimed outbox row: the pacer sends, the claim records how it went."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.errors import TransientError
from bot.runtime import Runtime
from bot.services.outbox import Claim
from bot.types import ChatRef, Content, SentRef

# What a claimed row says, in the chat's locale; None when what it was about is gone.
Build = Callable[[Claim, str], Awaitable[Content | None]]


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
    post_id: int | None = None,
) -> Delivered:
    """Send content for claim_id and settle the claim: failed, cancelled as gone, or sent.

    The row is marked "sending" right before each platform call (after the pacer's wait),
    and the platform's answer (the message id, also onto post_id's post) is recorded in the
    same transaction that marks it sent; so only a process that dies during the call itself
    leaves a send nobody can vouch for.
    """
    outbox = rt.services.outbox

    async def attempt() -> SentRef | None:
        await outbox.mark_sending(claim_id, rt.clock.now())
        return await rt.platforms.send(chat, content)

    try:
        sent = await rt.pacer.run(chat, attempt)
    except TransientError as exc:
        await outbox.mark_failed(claim_id, str(exc))
        return Delivered(Outcome.FAILED)
    if sent is None:
        await outbox.cancel(claim_id, rt.clock.now(), "chat gone")
        return Delivered(Outcome.GONE)
    await outbox.mark_sent(claim_id, rt.clock.now(), sent, post_id)
    return Delivered(Outcome.SENT, sent)


async def deliver_kind(rt: Runtime, kind: str, build: Build) -> list[tuple[Claim, SentRef]]:
    """Every due row of a kind: claim it, build its message in the chat's locale, send it.
    A row whose chat or subject is gone is cancelled; the rows sent come back."""
    outbox = rt.services.outbox
    sent: list[tuple[Claim, SentRef]] = []
    for claim in await outbox.claim_due(rt.clock.now(), kind):
        chat = await rt.services.registry.chat_ref(claim.chat_id)
        content = None
        if chat is not None:
            content = await build(claim, (await rt.places.of(claim.chat_id)).locale)
        if chat is None or content is None:
            await outbox.cancel(claim.id, rt.clock.now(), "missing")
            continue
        done = await send_claimed(rt, claim.id, chat, content)
        if done.sent is not None:
            sent.append((claim, done.sent))
    return sent
