"""Re-score jobs and the notices they leave: applied at start-up, on /fix and on each sweep.

At start-up the bundled keys in content/ are compared with the keys the stored posts were
scored against (posts.correct), and a job is queued for each question that differs. Jobs
left pending by a process that died half-way are applied then too. Each chat that saw a
re-scored question, and each instructor told of a report, gets one message, claimed in the
outbox, so a restart never sends it twice.
"""

from __future__ import annotations

import logging

from bot.features.delivery import deliver_kind
from bot.i18n import circled, t
from bot.markup import esc
from bot.runtime import Runtime
from bot.search.hangul import ro_euro
from bot.services.outbox import Claim
from bot.services.reports import NOTICE_KIND as REPORT_KIND
from bot.services.rescore import NOTICE_KIND as RESCORE_KIND
from bot.services.rescore import Applied
from bot.types import Content, Text

log = logging.getLogger(__name__)


def key_text(key: tuple[int, ...]) -> str:
    return ", ".join(circled(k) for k in key)


def key_particle(key: tuple[int, ...]) -> str:
    """로 or 으로 after the key as read aloud (③ is 삼: 으로; ② is 이: 로)."""
    return ro_euro(str(key[-1])) if key else "로"


class RescoreRunner:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    async def start(self) -> None:
        rt = self.rt
        queued = await rt.services.rescore.detect_content_changes(rt.library, rt.clock.now())
        if queued:
            log.info("content/ changed %d questions' keys; re-scoring their answers", len(queued))
        await self.sweep()

    async def sweep(self) -> None:
        await self.apply_pending()
        await self.deliver()

    async def apply_pending(self) -> list[Applied]:
        rt = self.rt
        done = []
        for job_id in await rt.services.rescore.pending():
            applied = await rt.services.rescore.apply(job_id, rt.clock.now(), rt.instance)
            if applied is not None:
                log.info(
                    "re-scored %s: %d posts, %d answers changed, %d chats told",
                    applied.question_id,
                    applied.posts,
                    applied.answers_changed,
                    len(applied.chats),
                )
                done.append(applied)
        return done

    async def run(self, job_id: int) -> Applied | None:
        """Apply one job now (after /fix) and send what it leaves to send."""
        rt = self.rt
        applied = await rt.services.rescore.apply(job_id, rt.clock.now(), rt.instance)
        await self.deliver()
        return applied

    async def deliver(self) -> int:
        return await self._deliver_rescores() + await self._deliver_reports()

    async def _deliver_rescores(self) -> int:
        services = self.rt.services

        async def build(claim: Claim, locale: str) -> Content | None:
            found = await services.rescore.notice(claim.id)
            if found is None:
                return None
            _, notice = found
            posts = ", ".join(f"#{p}" for p in sorted(notice.post_ids)) or notice.question_id
            body = t(
                locale,
                "rescore_notice",
                posts=posts,
                old=key_text(notice.old_key),
                new=key_text(notice.new_key),
                ro=key_particle(notice.new_key) if locale == "ko" else "",
            )
            return Text(esc(body))

        return len(await deliver_kind(self.rt, RESCORE_KIND, build))

    async def _deliver_reports(self) -> int:
        services = self.rt.services

        async def build(claim: Claim, locale: str) -> Content | None:
            found = await services.reports.for_notice(claim.id)
            if found is None:
                return None
            report, group_id = found
            where = ""
            if claim.chat_id != group_id:
                names = await services.bank.chat_names([group_id])
                where = t(locale, "report_notice_where", group=names.get(group_id, ""))
            body = t(
                locale,
                "report_notice",
                post_id=report.post_id,
                name=report.reporter,
                reason=report.reason,
                where=where,
            )
            return Text(esc(body))

        return len(await deliver_kind(self.rt, REPORT_KIND, build))
