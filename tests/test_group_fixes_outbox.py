"""Issue 11.5: a graceful stop gives its unsent outbox claims back at once."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from adapters.memory import MemoryAdapter
from bot.app import _wind_down, open_app, start_core
from bot.clock import FakeClock
from bot.config import Settings
from bot.content.loader import Library
from bot.services.outbox import OutboxService
from bot.types import Capabilities, ChatRef, CommandReceived, UserRef
from tests.conftest import START, Harness, bodies, plain


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


async def test_a_claim_not_given_back_costs_the_lease_while_its_claimant_may_live(
    harness: Harness,
) -> None:
    # Without a graceful stop the claim stays until its lease runs out, unless the
    # claimant is known to be gone: on PostgreSQL its presence lock tells (tests/
    # test_replicas.py); here that lock is held, as by a running replica.
    h = harness
    await h.core.rt.services.outbox.presence.start()
    await claimed_announcement(h)
    successor = OutboxService(h.core.rt.db, "next-start")
    assert await successor.claim_due(h.clock.now(), "announce") == []
    h.clock.advance(121)
    assert len(await successor.claim_due(h.clock.now(), "announce")) == 1


async def test_a_restart_on_sqlite_takes_a_dead_process_claims_at_once(
    tmp_path: Path, library: Library
) -> None:
    # Only one process may hold a SQLite file (bot.ops.backup.single_process), so at the
    # next start a claim still out can only be a dead process's: no waiting out the lease.
    settings = Settings(data_dir=tmp_path)
    clock = FakeClock(START)
    async with open_app(settings, clock=clock) as app:
        adapter = MemoryAdapter("memory", Capabilities(buttons=True))
        app.core.attach(adapter)
        await adapter.start(app.core.handle)
        chat = ChatRef("memory", "group-1", True)
        admin = UserRef("memory", "u-admin", "관리자")
        event = CommandReceived(chat, admin, "announce", "2026-11-26 09:30 공지", is_admin=True)
        assert "예약" in plain(await adapter.deliver(event))
        clock.advance(30 * 60)
        dead = OutboxService(app.db, "killed-process")
        held = await dead.claim_due(clock.now(), "announce")
        assert len(held) == 1
        await dead.mark_sending(held[0].id, clock.now())  # killed during the platform call
    clock.advance(5)
    async with open_app(settings, clock=clock) as app:
        adapter = MemoryAdapter("memory", Capabilities(buttons=True))
        app.core.attach(adapter)
        await adapter.start(app.core.handle)
        try:
            await start_core(app)
            assert any("공지" in b for b in bodies(adapter))
            assert app.core.rt.metrics.outbox_ambiguous.get("announce", 0) == 1
        finally:
            app.timers.shutdown()
