"""Announcements delivered once per target chat, now or at their time, across restarts."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.features.delivery import send_claimed
from bot.i18n import t
from bot.markup import bold, esc
from bot.runtime import Runtime
from bot.timers import arm
from bot.types import Text

log = logging.getLogger(__name__)


def timer_key(announcement_id: int) -> str:
    return f"announce-{announcement_id}"


class AnnouncementRunner:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def arm(self, announcement_id: int, when: datetime) -> None:
        arm(self.rt.timers, when, timer_key(announcement_id), self.deliver_due)

    async def start(self) -> None:
        """Deliver what came due while we were down (late, but once); arm the rest."""
        await self.deliver_due()
        now = self.rt.clock.now()
        for aid, due in await self.rt.services.announcements.pending_due_times():
            if due > now:
                self.arm(aid, due)

    async def sweep(self) -> None:
        await self.deliver_due()

    async def deliver_due(self) -> int:
        rt = self.rt
        services = rt.services
        delivered = 0
        for claim in await services.outbox.claim_due(rt.clock.now(), "announce"):
            announcement = await services.announcements.get(claim.announcement_id or 0)
            chat = await services.registry.chat_ref(claim.chat_id)
            if announcement is None or chat is None:
                await services.outbox.cancel(claim.id, rt.clock.now(), "missing")
                continue
            locale = (await rt.places.of(claim.chat_id)).locale
            title = bold(t(locale, "announce_title"))
            author = t(locale, "announce_author", name=esc(announcement.author))
            body = Text(f"{title}\n{esc(announcement.body)}\n\n{author}")
            done = await send_claimed(rt, claim.id, chat, body)
            if done.sent is None:
                continue
            log.info(
                "announcement sent chat=%s announcement=%s message=%s",
                claim.chat_id,
                announcement.id,
                done.sent.message_id,
            )
            delivered += 1
        return delivered
