"""Announcements delivered once per target chat, now or at their time, across restarts."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.errors import TransientError
from bot.i18n import t
from bot.markup import bold, esc
from bot.types import Text

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)


def timer_key(announcement_id: int) -> str:
    return f"announce-{announcement_id}"


class AnnouncementRunner:
    def __init__(self, core: Core) -> None:
        self.core = core

    def arm(self, announcement_id: int, when: datetime) -> None:
        async def job() -> None:
            await self.deliver_due()

        self.core.timers.at(when, timer_key(announcement_id), job)

    async def start(self) -> None:
        """Deliver what came due while we were down (late, but once); arm the rest."""
        await self.deliver_due()
        now = self.core.clock.now()
        for aid, due in await self.core.announcements.pending_due_times():
            if due > now:
                self.arm(aid, due)

    async def deliver_due(self) -> int:
        core = self.core
        delivered = 0
        for claim in await core.outbox.claim_due(core.clock.now(), "announce"):
            announcement = await core.announcements.get(claim.announcement_id or 0)
            chat = await core.registry.chat_ref(claim.chat_id)
            if announcement is None or chat is None:
                await core.outbox.cancel(claim.id, core.clock.now(), "missing")
                continue
            locale = await core.locale_for(claim.chat_id)
            title = bold(t(locale, "announce_title"))
            author = t(locale, "announce_author", name=esc(announcement.author))
            body = Text(f"{title}\n{esc(announcement.body)}\n\n{author}")
            try:
                sent = await core.pacer.send(chat, body)
            except TransientError as exc:
                await core.outbox.mark_failed(claim.id, str(exc))
                continue
            if sent is None:
                await core.outbox.cancel(claim.id, core.clock.now(), "chat gone")
                continue
            await core.outbox.mark_sent(claim.id, core.clock.now())
            log.info(
                "announcement sent chat=%s announcement=%s message=%s",
                claim.chat_id,
                announcement.id,
                sent.message_id,
            )
            delivered += 1
        return delivered
