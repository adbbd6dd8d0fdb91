"""Every slash command reaches the core, with its options folded into the core's arguments."""

from __future__ import annotations

import discord
import pytest
from simworld import INSTRUCTOR_ROLE, World, card_message, custom_ids, open_question, said, text_of
from sqlalchemy import func, select

from adapters.discord.i18n import ui
from adapters.discord.render import markup
from bot.render import term_text
from bot.storage.tables import posts


async def test_start_and_help_answer_publicly(world: World) -> None:
    alice = world.member("alice")

    start = await alice.slash(world.channel, "start")
    help_ = await alice.slash(world.channel, "help")

    assert not start.ephemeral and start.response.content == said("start")
    assert not help_.ephemeral
    assert said("help_cmd_quiz") in text_of(help_)
    assert said("help_scoring", points=10) in text_of(help_)
    assert help_.response.content.startswith("**스터디봇 명령어**")


async def test_term_answers_with_the_entry(world: World) -> None:
    alice = world.member("alice")

    result = await alice.slash(world.channel, "term", query="하이퍼바이져")  # a typo

    term = world.core.rt.services.lookup.find("하이퍼바이저").term
    assert term is not None
    assert result.response.content == markup(term_text(world.core.rt.library, term, "ko"))
    assert result.response.content.startswith("**하이퍼바이저**")


async def test_term_autocomplete_offers_at_most_25_ranked_terms(world: World) -> None:
    alice = world.member("alice")

    choices = await alice.autocomplete(world.channel, "term", "query", "하이퍼")
    broad = await alice.autocomplete(world.channel, "term", "query", "ㄱ")
    for_quiz = await alice.autocomplete(world.channel, "quiz", "query", "하이퍼")

    assert choices[0]["value"] == "하이퍼바이저"
    assert choices[0]["name"].startswith("하이퍼바이저")
    assert 0 < len(choices) <= 25 and len(broad) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices + broad)
    assert for_quiz == choices


async def test_an_empty_autocomplete_offers_the_most_asked_terms(world: World) -> None:
    """Discord asks with an empty query as soon as the option is focused."""
    alice = world.member("alice")
    library = world.core.rt.library

    choices = await alice.autocomplete(world.channel, "term", "query", "")

    assert 0 < len(choices) <= 25
    asked = [len(library.questions_for_term(t.id)) for t in library.terms.values()]
    by_name = {t.name: t for t in library.terms.values()}
    offered = [len(library.questions_for_term(by_name[c["value"]].id)) for c in choices]
    assert offered[0] == max(asked) > 0
    assert offered == sorted(offered, reverse=True)


async def test_quiz_about_a_term(world: World) -> None:
    alice = world.member("alice")

    await alice.slash(world.channel, "quiz", query="하이퍼바이저")

    _, question = await open_question(world)
    term = world.core.rt.services.lookup.find("하이퍼바이저").term
    assert term is not None and term.id in question.terms
    assert custom_ids(card_message(world))


async def test_top_me_and_lang(world: World) -> None:
    alice = world.member("alice")

    empty = await alice.slash(world.channel, "top")
    week = await alice.slash(world.channel, "top", period="week")
    me = await alice.slash(world.channel, "me")

    assert not empty.ephemeral and empty.response.content == said("top_empty")
    assert week.response.content == said("top_empty")
    assert me.response.content == said("me_none", name="alice")

    # Score a point, then the board is an embed.
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    await alice.click(card_message(world), custom_id=f"sb:a:{post_id}:{question.answers[0]}")
    await alice.slash(world.channel, "reveal")  # boards count closed questions (issue 11.4)
    board = await alice.slash(world.channel, "top", period="today")
    embed = board.response.embeds[0]
    assert embed.title == said("top_title_today")
    assert embed.description.startswith("▶ ") and "alice" in embed.description

    english = await alice.slash(world.channel, "lang", language="en")
    assert english.response.content == said("lang_set", "en")
    again = await alice.slash(world.channel, "me")
    assert again.response.content.startswith(f"**{said('me_title', 'en', name='alice')}**")


async def test_reveal_with_nothing_open_is_private(world: World) -> None:
    result = await world.member("alice").slash(world.channel, "reveal")

    assert result.ephemeral and result.response.content == said("reveal_none")


async def test_is_admin_comes_from_manage_server_or_the_instructor_role(world: World) -> None:
    """/reveal is allowed to whoever asked and to chat admins: it shows what is_admin says."""
    alice, bob = world.member("alice"), world.member("bob")
    carol = world.admin("carol")
    role = world.guild.create_role(INSTRUCTOR_ROLE)
    dave = world.member("dave", role)

    await alice.slash(world.channel, "quiz")
    refused = await bob.slash(world.channel, "reveal")
    assert refused.ephemeral
    assert refused.response.content == said("reveal_not_allowed", time="09:10")

    closed = await carol.slash(world.channel, "reveal")
    assert closed.response is None
    assert said("reveal_nobody") in world.channel.last_message.content

    await alice.slash(world.channel, "quiz")
    closed = await dave.slash(world.channel, "reveal")
    assert said("reveal_nobody") in world.channel.last_message.content


async def test_instructor_add_list_and_remove(world: World) -> None:
    alice = world.admin("alice")
    bob, carol = world.member("bob"), world.member("carol")

    nobody = await bob.slash(world.channel, "instructor")
    assert nobody.response.content == said("instructor_none")

    refused = await bob.slash(world.channel, "instructor", action="add", member=carol)
    assert refused.ephemeral and refused.response.content == said("instructor_admin_only")

    added = await alice.slash(world.channel, "instructor", action="add", member=bob)
    # A public confirmation goes to the channel; the private placeholder is withdrawn.
    assert added.response is None
    assert world.channel.last_message.content == said("instructor_added", name="bob")

    listing = await carol.slash(world.channel, "instructor", action="list")
    assert "bob" in listing.response.content

    # Now bob, an instructor by the core's table (not by Discord), may change the daily question.
    saved = await bob.slash(world.channel, "daily", setting="time", value="09:30")
    assert said("daily_saved") in world.channel.last_message.content
    assert saved.response is None

    removed = await alice.slash(world.channel, "instructor", action="remove", member=bob)
    assert removed.response is None
    assert world.channel.last_message.content == said("instructor_removed", name="bob")
    refused = await bob.slash(world.channel, "daily", setting="off")
    assert refused.ephemeral
    assert refused.response.content == said("need_instructor", action=said("action_daily"))


async def test_daily_settings_and_the_daily_question(world: World) -> None:
    admin = world.admin("admin")
    member = world.member("member")

    status = await member.slash(world.channel, "daily")
    assert not status.ephemeral and said("daily_usage") in text_of(status)

    bad = await admin.slash(world.channel, "daily", setting="time", value="25:99")
    assert bad.ephemeral and bad.response.content.startswith(
        said("daily_bad_time", value="25:99", example="08:30", action="time").split("\n")[0]
    )

    await admin.slash(world.channel, "daily", setting="time", value="09:30")
    await admin.slash(world.channel, "daily", setting="on")
    assert world.channel.last_message.content.startswith(said("daily_enabled"))

    await world.run_timers(30 * 60)

    card = card_message(world)
    post_id, _ = await open_question(world)
    assert card.embeds[0].title.startswith(said("daily_header", post_id=post_id))
    assert custom_ids(card)[0] == f"sb:a:{post_id}:1"


async def test_contest_options_reach_the_core(world: World) -> None:
    alice = world.member("alice")

    none = await alice.slash(world.channel, "contest", stop=True)
    usage = await alice.slash(world.channel, "contest")

    assert none.ephemeral and none.response.content == said("contest_none")
    assert usage.ephemeral and usage.response.content == said("contest_usage")

    await alice.slash(world.channel, "contest", questions=3)
    history = [m.content for m in world.channel.history()]
    assert said("contest_started", total=3, seconds=20) in history

    stopped = await alice.slash(world.channel, "contest", stop=True)
    assert stopped.response is None
    assert world.channel.last_message.content.startswith(f"**{said('contest_podium_title')}**")


@pytest.mark.parametrize("action", ["new", None])
async def test_the_announcement_form_sends_now(world: World, action: str | None) -> None:
    alice = world.admin("alice")
    options = {"action": action} if action else {}

    shown = await alice.slash(world.channel, "announce", **options)

    assert shown.modal is not None and shown.modal["title"] == "공지 쓰기"
    submitted = await alice.submit_modal(
        shown, {"title": "스터디 안내", "text": "오늘은 *8시*에 시작해요"}
    )
    assert submitted.ephemeral
    assert submitted.response.content == said("announce_sent", chats=1)
    notice = world.channel.last_message.content
    assert notice.startswith(f"**{said('announce_title')}**\n스터디 안내\n오늘은 \\*8시\\*에")
    assert notice.endswith(said("announce_author", name="alice"))


async def test_the_announcement_form_schedules_lists_and_cancels(world: World) -> None:
    alice = world.admin("alice")

    shown = await alice.slash(world.channel, "announce")
    dated = await alice.submit_modal(
        shown,
        {"title": "모의고사", "text": "12월 1일에 봐요", "date": "2026-12-01", "time": "09:00"},
    )
    shown = await alice.slash(world.channel, "announce")
    # A time alone means its next occurrence: 08:00 has passed today (09:00), so tomorrow.
    timed = await alice.submit_modal(shown, {"title": "알림", "text": "내일 아침", "time": "08:00"})
    shown = await alice.slash(world.channel, "announce")
    undated = await alice.submit_modal(shown, {"title": "x", "text": "y", "date": "2026-12-01"})

    assert dated.response.content == said(
        "announce_scheduled", id=1, when="2026-12-01 09:00", chats=1
    )
    assert timed.response.content == said(
        "announce_scheduled", id=2, when="2026-11-27 08:00", chats=1
    )
    assert undated.ephemeral
    assert undated.response.content == ui("ko", "date_needs_time")

    listing = await alice.slash(world.channel, "announce", action="list")
    assert listing.ephemeral and listing.response.content.startswith(said("announce_list_title"))
    cancelled = await alice.slash(world.channel, "announce", action="cancel", number=1)
    assert cancelled.response.content == said("announce_cancelled", id=1)
    usage = await alice.slash(world.channel, "announce", action="cancel")
    assert usage.response.content == said("announce_cancel_usage")

    # The timed one goes out at its time.
    await world.run_timers(23 * 3600)
    assert "내일 아침" in world.channel.last_message.content


@pytest.mark.parametrize("action", ["new", "all"])
async def test_a_member_is_refused_before_the_announcement_form_opens(
    world: World, action: str
) -> None:
    bob = world.member("bob")

    refused = await bob.slash(world.channel, "announce", action=action)

    assert refused.modal is None
    assert refused.ephemeral
    assert refused.response.content == said("need_instructor", action=said("action_announce"))


async def test_an_added_instructor_gets_the_form(world: World) -> None:
    boss, bob = world.admin("boss"), world.member("bob")
    await boss.slash(world.channel, "instructor", action="add", member=bob)

    shown = await bob.slash(world.channel, "announce", action="all")

    assert shown.modal is not None and shown.modal["title"] == "내가 맡은 모든 방에 공지"


async def test_commands_carry_korean_names_and_guild_only_contexts(world: World) -> None:
    commands = {c.name: c for c in await world.adapter.client.tree.fetch_commands()}

    assert set(commands) == {
        "start", "help", "term", "quiz", "reveal", "top", "me", "review", "exam", "hard",
        "lang", "daily", "contest", "announce", "instructor", "stats", "addq", "suggest",
        "queue", "qset", "report", "reports", "fix", "Add to review deck",
    }  # fmt: skip
    korean = {name: c.name_localizations.get(discord.Locale.korean) for name, c in commands.items()}
    assert korean["quiz"] == "문제" and korean["term"] == "용어" and korean["top"] == "순위"
    assert korean["exam"] == "모의고사" and korean["hard"] == "많이틀린문제"
    assert korean["stats"] == "통계" and korean["Add to review deck"] == "오답노트에 추가"
    assert commands["Add to review deck"].type is discord.AppCommandType.message
    assert all(korean.values())
    for command in commands.values():
        if command.type is discord.AppCommandType.message:
            continue  # a message command has no description
        assert command.description_localizations.get(discord.Locale.korean)
        for option in command.options:
            assert option.name_localizations.get(discord.Locale.korean), (command.name, option)
    period = next(o for o in commands["top"].options if o.name == "period")
    assert [c.name_localizations.get(discord.Locale.korean) for c in period.choices] == [
        "오늘", "이번 주", "이번 달", "전체",
    ]  # fmt: skip

    alice = world.member("alice")
    slash = {n for n, c in commands.items() if c.type is discord.AppCommandType.chat_input}
    assert set(alice.available_commands(world.channel)) == slash
    # In a direct message only what makes sense without a group is offered (/문제집 takes
    # an instructor's question file there).
    assert set(alice.user.available_commands()) == {
        "start", "help", "term", "review", "exam", "hard", "qset",
    }  # fmt: skip
    dm = await alice.user.slash("term", query="VM")
    assert dm.response is not None and "**" in dm.response.content


async def test_quiz_where_the_bot_cannot_post_says_so_privately(world: World) -> None:
    quiet = world.guild.create_text_channel(
        "read-only", overwrites={world.env.bot.user: discord.PermissionOverwrite(embed_links=False)}
    )
    alice = world.member("alice")

    refused = await alice.slash(quiet, "quiz")
    term = await alice.slash(quiet, "term", query="VM")  # replies need no channel permission

    assert refused.ephemeral
    assert refused.response.content == ui("ko", "cannot_post")
    assert quiet.last_message is None or not quiet.last_message.embeds
    assert term.response is not None and not term.ephemeral
    async with world.core.rt.db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(posts))).scalar_one() == 0
