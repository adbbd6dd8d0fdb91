"""Issue 11.5: a graceful stop gives its unsent outbox claims back at once."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from bot.app import _wind_down
from bot.services.outbox import OutboxService
from tests.conftest import Harness


class IdleTimers:
    async def idle(self) -> None:
        return None


async def claimed_announcement(h: Harness) -> None:
    await h.command("announce", "2026-11-26 09:30 스터디 공지", who="관리자", admin=True)
    h.clock.advance(30 * 60)  # due now; this process claims it and is stopped before sending
    held = await h.core.rt.services.outbox.claim_due(h.clock.now(), "announce")
    assert len(held) == 1


async def test_a_graceful_stop_releases_its_claims_at_once(harness: Harness) -> None:
    h = harness
    await claimed_announcement(h)
    app = cast(Any, SimpleNamespace(core=h.core, timers=IdleTimers()))
    await _wind_down(app)
    successor = OutboxService(h.core.rt.db, "next-start")
    taken = await successor.claim_due(h.clock.now(), "announce")
    assert len(taken) == 1  # no two-minute wait for the lease


async def test_a_dead_process_still_costs_the_lease(harness: Harness) -> None:
    h = harness
    await claimed_announcement(h)
    successor = OutboxService(h.core.rt.db, "next-start")
    assert await successor.claim_due(h.clock.now(), "announce") == []
    h.clock.advance(121)
    assert len(await successor.claim_due(h.clock.now(), "announce")) == 1
