"""Limits: 429s, errors as the core's delivery errors, long texts, and the pacer on top."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.content.loader import Library
from bot.errors import ChatGone, RateLimited, TransientError
from bot.markup import to_plain
from bot.pacer import BACKOFF
from bot.storage.db import Database
from bot.types import ChatRef, Text
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi, parse_html, utf16_len

GROUP = ChatRef("telegram", "-100", True)


async def test_a_429_comes_out_as_rate_limited_with_its_retry_after(
    world: World, api: FakeBotApi, people: People
) -> None:
    assert world.adapter is not None
    api.fail("sendMessage", "429", retry_after=7)
    with pytest.raises(RateLimited) as raised:
        await world.adapter.send(GROUP, Text("공지"))
    assert raised.value.retry_after == 7
    assert api.count("sendMessage", status=429) == 1
    await world.adapter.send(GROUP, Text("공지"))  # Telegram takes it once the wait is over


async def test_a_reply_to_a_user_waits_out_a_429(
    world: World, api: FakeBotApi, people: People
) -> None:
    api.fail("sendMessage", "429", retry_after=1)
    api.say(people.group, people.minsu, "/start")
    await api.wait_for(lambda: len(api.sent(people.group)) == 1, within=5)
    assert api.count("sendMessage", status=429) == 1
    assert "스터디봇" in api.sent(people.group)[0].text


async def test_a_reply_waits_out_even_a_long_429(
    world: World, api: FakeBotApi, people: People
) -> None:
    # The pacer waits as long as Telegram says (on the core's clock); nothing is dropped.
    api.fail("sendMessage", "429", retry_after=60)
    api.say(people.group, people.minsu, "/start")
    api.say(people.group, people.minsu, "/help")
    await api.wait_for(lambda: len(api.sent(people.group)) == 2)
    first, second = api.sent(people.group)
    assert "스터디봇" in first.text and second.text.startswith("스터디봇 명령어")
    assert world.core is not None and world.core.rt.pacer.stats.waited_on_429 == 60


async def test_a_reply_that_gets_a_5xx_is_retried(
    world: World, api: FakeBotApi, people: People
) -> None:
    api.fail("sendMessage", "500")
    api.fail("sendMessage", "502")
    api.say(people.group, people.minsu, "/start")
    await api.wait_for(lambda: len(api.sent(people.group)) == 1)
    assert "스터디봇" in api.sent(people.group)[0].text
    assert api.count("sendMessage", status=500) == 1 and api.count("sendMessage", status=502) == 1


async def test_a_reply_stops_retrying_a_5xx_at_the_bound(
    world: World, api: FakeBotApi, people: People
) -> None:
    api.fail("sendMessage", "500", times=100)
    api.say(people.group, people.minsu, "/start")
    tries = len(BACKOFF) + 1
    await api.wait_for(lambda: api.count("sendMessage", status=500) == tries)
    await world.settled()
    assert world.adapter is not None
    if world.adapter._replying:
        await asyncio.wait(list(world.adapter._replying), timeout=5)
    assert api.count("sendMessage", status=500) == tries and not api.sent(people.group)


async def test_a_burst_of_400_replies_is_paced_and_none_is_dropped(
    api: FakeBotApi, tg_db: Database, library: Library, tmp_path: Path
) -> None:
    """20 busy groups send 20 commands each at once; Telegram's limits hold (the fake
    enforces 30 a second overall and 20 a minute into a group) and every reply arrives."""
    world = World(api, tg_db, library, tmp_path, clock=SystemClock())  # real waiting
    await world.boot()
    try:
        member = api.user(101, "민수")
        groups = [api.group(-1000 - n, f"스터디 {n}") for n in range(20)]
        for group in groups:
            for _ in range(20):
                api.say(group, member, "/start")
        total = 20 * len(groups)
        await api.wait_for(lambda: len(api.sent()) == total, within=60)
        assert world.core is not None
        assert world.core.rt.pacer.stats.failed == 0
        assert all(len(api.sent(group)) == 20 for group in groups)
        # Paced, not forced through: Telegram hardly had to say "too many".
        assert api.count("sendMessage", status=429) <= 2
    finally:
        await world.shutdown()


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("500", TransientError),
        ("502", TransientError),
        ("403", ChatGone),
        ("chat-not-found", ChatGone),
    ],
)
async def test_errors_come_out_as_the_cores_delivery_errors(
    world: World, api: FakeBotApi, people: People, kind: str, error: type[Exception]
) -> None:
    assert world.adapter is not None
    api.fail("sendMessage", kind)
    with pytest.raises(error):
        await world.adapter.send(GROUP, Text("공지"))


async def test_an_unknown_chat_is_gone(world: World, api: FakeBotApi) -> None:
    assert world.adapter is not None
    with pytest.raises(ChatGone):
        await world.adapter.send(ChatRef("telegram", "-999", True), Text("누구세요?"))


async def test_telegrams_own_group_limit_shows_as_rate_limited(
    world: World, api: FakeBotApi, people: People
) -> None:
    assert world.adapter is not None
    for n in range(20):
        await world.adapter.send(GROUP, Text(f"{n}번째"))
    with pytest.raises(RateLimited) as raised:
        await world.adapter.send(GROUP, Text("한 번 더"))
    assert 50 <= raised.value.retry_after <= 60


async def test_the_pacer_honours_a_429_and_delivers(
    world: World, api: FakeBotApi, people: People
) -> None:
    core = world.core
    assert core is not None
    api.fail("sendMessage", "429", retry_after=5)
    api.fail("sendMessage", "502")
    sent = await core.rt.pacer.send(GROUP, Text("공지: 내일 08:00"))
    assert sent is not None and api.texts(people.group) == ["공지: 내일 08:00"]
    assert core.rt.pacer.stats.rate_limited == 1 and core.rt.pacer.stats.retried == 1
    assert core.rt.pacer.stats.waited_on_429 == 5


async def test_long_text_is_split_into_valid_messages(
    world: World, api: FakeBotApi, people: People
) -> None:
    assert world.adapter is not None
    lines = [f"**{n}번** <태그> & 이모지 😀 " + "가" * 60 for n in range(150)]
    body = "\n".join(lines)
    await world.adapter.send(GROUP, Text(body))
    parts = api.sent(people.group)
    assert len(parts) >= 3
    for part in parts:
        # The fake parsed each part's HTML and counted it as Telegram does.
        assert utf16_len(part.text) <= 4096 and part.text == parse_html(part.html)
    assert "\n".join(p.text for p in parts) == to_plain(body)


async def test_a_bold_span_cut_in_two_stays_bold_on_both_sides(
    world: World, api: FakeBotApi, people: People
) -> None:
    assert world.adapter is not None
    await world.adapter.send(GROUP, Text("**" + "\n".join(["굵게"] * 2000) + "**"))
    parts = api.sent(people.group)
    assert len(parts) == 2  # 5,999 characters
    assert all(p.html.startswith("<b>") and p.html.endswith("</b>") for p in parts)
