"""Start-up, commands in groups and private chats, term lookup and inline mode."""

from __future__ import annotations

import socket

import pytest

from bot.commands import TABLE
from bot.config import Secret
from bot.errors import StartupError
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi


async def test_start_registers_menu_in_korean_and_english(world: World, api: FakeBotApi) -> None:
    assert api.count("getMe") == 1
    korean = api.commands["default:"]
    english = api.commands["default:en"]
    names = [c["command"] for c in korean]
    assert names == [c.name for c in TABLE]  # the core's table (bot/commands.py)
    assert names[:9] == ["start", "help", "quiz", "answer", "reveal", "term", "top", "me", "review"]
    assert [c["command"] for c in english] == names
    assert "문제" in korean[2]["description"] and "question" in english[2]["description"]
    assert world.adapter is not None and world.adapter.username == "studybot_test_bot"


async def test_start_and_help_in_a_group_and_in_private(
    world: World, api: FakeBotApi, people: People
) -> None:
    api.say(people.group, people.minsu, "/start")
    api.say(people.group, people.minsu, "/help@studybot_test_bot")
    await api.wait_for(lambda: len(api.sent(people.group)) == 2)
    start, help_ = api.sent(people.group)
    assert "스터디봇" in start.text
    # **bold** from the core arrives as Telegram HTML, and reads as plain text.
    assert help_.html.startswith("<b>스터디봇 명령어</b>")
    assert "/매일문제 켜기" in help_.text and "**" not in help_.text

    dm = api.private(people.jiyoung)
    api.say(dm, people.jiyoung, "/start")
    await api.wait_for(lambda: len(api.sent(dm)) == 1)


async def test_commands_for_other_bots_are_left_alone(
    world: World, api: FakeBotApi, people: People
) -> None:
    api.say(people.group, people.minsu, "/help@SomeOtherBot")
    api.say(people.group, people.minsu, "그냥 수다예요")
    await world.settled()
    assert api.sent(people.group) == []


async def test_any_command_reaches_the_core(world: World, api: FakeBotApi, people: People) -> None:
    # No fixed list in the adapter: a name it never heard of is the core's to answer.
    api.say(people.group, people.minsu, "/frobnicate now")
    api.say(people.group, people.minsu, "/용어 하이퍼바이저")
    await api.wait_for(lambda: len(api.sent(people.group)) == 2)
    unknown, term = api.sent(people.group)
    assert "모르는 명령이에요: /frobnicate" in unknown.text
    assert term.html.startswith("<b>하이퍼바이저</b>")


async def test_term_escapes_user_text(world: World, api: FakeBotApi, people: People) -> None:
    api.say(people.group, people.minsu, "/term <b>없는</b> & 용어")
    await api.wait_for(lambda: len(api.sent(people.group)) == 1)
    reply = api.sent(people.group)[0]
    assert "<b>없는</b> & 용어" in reply.text  # shown literally, not as markup
    assert "&lt;b&gt;" in reply.html


async def test_inline_lookup_answers_with_term_cards(
    world: World, api: FakeBotApi, people: People
) -> None:
    query_id = api.inline(people.minsu, "하이퍼")
    empty_id = api.inline(people.minsu, "   ")
    await api.wait_for(lambda: {query_id, empty_id} <= set(api.inline_answers))
    answer = api.inline_answers[query_id]
    titles = [r["title"] for r in answer["results"]]
    assert titles and titles[0].startswith("하이퍼바이저")
    assert 1 <= len(titles) <= 10
    first = answer["results"][0]
    assert first["description"]
    assert first["input_message_content"]["parse_mode"] == "HTML"
    assert first["input_message_content"]["message_text"].startswith("<b>하이퍼바이저</b>")
    assert api.inline_answers[empty_id]["results"] == []


async def test_a_wrong_token_stops_start_up_with_one_clear_line(world: World) -> None:
    await world.shutdown()
    with pytest.raises(StartupError, match="refused the bot token") as raised:
        await world.boot(telegram_token=Secret("123456:not-the-right-token"))
    assert "not-the-right-token" not in str(raised.value)


async def test_an_unreachable_api_stops_start_up(world: World) -> None:
    await world.shutdown()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with pytest.raises(StartupError, match="cannot reach the Telegram Bot API"):
        await world.boot(telegram_api_url=f"http://127.0.0.1:{closed_port}/bot")
