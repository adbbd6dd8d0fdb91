"""A chat's own time zone: every time the bot prints or reads is on that chat's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.markup import to_plain
from bot.types import ChatRef, Content, Leaderboard, QuestionCard
from tests.conftest import START, Harness, bodies, cards, plain

# START is 09:00 in Seoul on 26 November and 19:00 in New York on the 25th (EST, UTC-5).
NEW_YORK = "America/New_York"


async def in_new_york(h: Harness) -> None:
    reply = plain(await h.command("daily", f"tz {NEW_YORK}", who="관리자", admin=True))
    assert NEW_YORK in reply


def board(replies: list[Content]) -> str:
    shown = [to_plain(r.fallback) for r in replies if isinstance(r, Leaderboard)]
    return "\n".join(shown) or plain(replies)


@pytest.fixture
async def h_ny(harness: Harness) -> AsyncIterator[Harness]:
    await in_new_york(harness)
    yield harness


async def quiz_answered_by(h: Harness, who: str) -> QuestionCard:
    assert await h.command("quiz", who=who) == []
    card = cards(h.adapter)[-1]
    await h.choose(card.post_id, card.correct[0], who=who)
    await h.command("reveal", who=who)
    return card


async def test_a_quiz_card_shows_the_deadline_on_the_chats_clock(harness: Harness) -> None:
    h = harness
    await h.command("quiz", who="관리자")
    assert "마감 09:10" in cards(h.adapter)[-1].fallback  # Seoul, the default
    await h.command("reveal", who="관리자")
    await in_new_york(h)
    await h.command("quiz", who="관리자")
    fallback = cards(h.adapter)[-1].fallback
    assert "마감 19:10" in fallback and "09:10" not in fallback


async def test_a_refused_reveal_names_the_close_time_on_the_chats_clock(h_ny: Harness) -> None:
    h = h_ny
    await h.command("quiz", who="관리자")
    refused = plain(await h.command("reveal", who="지영"))
    assert "19:10" in refused


async def test_top_today_starts_at_midnight_in_the_chats_zone(h_ny: Harness) -> None:
    h = h_ny
    await quiz_answered_by(h, "민수")  # 19:00 on the 25th in New York
    assert "민수" in board(await h.command("top", "today"))
    # 01:00 on the 26th in New York, still the 26th in Seoul (15:00): a new day only here.
    h.clock.set(datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    assert "민수" not in board(await h.command("top", "today"))
    await quiz_answered_by(h, "지영")
    today = board(await h.command("top", "today"))
    assert "지영" in today and "민수" not in today
    everything = board(await h.command("top", "all"))
    assert "지영" in everything and "민수" in everything


async def test_a_scheduled_announcement_is_read_and_sent_on_the_chats_clock(
    h_ny: Harness,
) -> None:
    h = h_ny
    # 09:00 on the 26th is already past in Seoul, but fourteen hours away in New York.
    reply = plain(await h.command("announce", "2026-11-26 09:00 모의고사 안내", admin=True))
    assert "2026-11-26 09:00" in reply
    h.clock.set(datetime(2026, 11, 26, 13, 59, tzinfo=UTC))
    await h.timers.run_due(h.clock.now())
    assert not any("모의고사 안내" in b for b in bodies(h.adapter))
    await h.advance(60)
    assert any("모의고사 안내" in b for b in bodies(h.adapter))
    listing = plain(await h.command("announce", "list", admin=True))
    assert "공지" in listing


async def test_the_default_zone_still_applies_to_other_chats(h_ny: Harness) -> None:
    h = h_ny
    assert START.hour == 0
    # A second chat never set a zone: its cards keep Seoul's clock.
    other = ChatRef("memory", "group-2", True)
    await h.command("quiz", who="관리자", chat=other)
    assert "마감 09:10" in cards(h.adapter, other)[-1].fallback
