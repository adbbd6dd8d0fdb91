"""Announcements delivered once per target chat, now or at their time, across restarts."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.features.delivery import deliver_kind
from bot.i18n import t
from bot.markup import bold, esc
from bot.runtime import Runtime
from bot.services.outbox import Claim
from bot.timers import arm
from bot.types import Content, Text

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
        services = self.rt.services

        async def build(claim: Claim, locale: str) -> Content | None:
            announcement = await services.announcements.get(claim.announcement_id or 0)
            if announcement is None:
                return None
            title = bold(t(locale, "announce_title"))
            author = t(locale, "announce_author", name=esc(announcement.author))
            return Text(f"{title}\n{esc(announcement.body)}\n\n{author}")

        sent = await deliver_kind(self.rt, "announce", build)
        for claim, ref in sent:
            log.info(
                "announcement sent chat=%s announcement=%s message=%s",
                claim.chat_id,
                claim.announcement_id,
                ref.message_id,
            )
        return len(sent)
