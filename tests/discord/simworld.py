"""The world a Discord test runs in, and small readers of what happened there.

Nothing here stands in for our own code: the helpers build the real pieces (core, adapter)
and read results (messages in SimCord's Discord, rows in the core's database).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import discord
import simcord
from sqlalchemy import func, select

from adapters.discord import DiscordAdapter
from adapters.discord.render import markup
from bot.clock import FakeClock
from bot.config import Settings
from bot.content.loader import Library
from bot.content.schema import Question
from bot.core import Core
from bot.i18n import t
from bot.storage.db import Database
from bot.storage.tables import answers
from bot.timers import ManualTimers
from bot.types import ChatRef
from bot.wiring import build_core

START = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 09:00 in Seoul, as in the core's tests
INSTRUCTOR_ROLE = "강사"
# Longer than SimCord's settle window, so a pending counter edit parks until a test moves
# SimCord's virtual time on purpose (env.advance_time) instead of waiting for real.
COUNT_INTERVAL = 30.0


@dataclass
class World:
    env: simcord.Env
    core: Core
    adapter: DiscordAdapter
    clock: FakeClock
    timers: ManualTimers
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle

    def member(self, name: str, *roles: simcord.RoleHandle) -> simcord.MemberActor:
        return self.guild.add_member(self.env.create_user(name), roles=list(roles))

    def admin(self, name: str) -> simcord.MemberActor:
        """A member whose role has Manage Server, as a server's moderators usually do."""
        role = self.guild.roles.get("운영진") or self.guild.create_role(
            "운영진", permissions=discord.Permissions(manage_guild=True)
        )
        return self.member(name, role)

    async def answer_rows(self, post_id: int | None = None) -> int:
        query = select(func.count()).select_from(answers)
        if post_id is not None:
            query = query.where(answers.c.post_id == post_id)
        async with self.core.rt.db.read() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def run_timers(self, seconds: float) -> int:
        """Move the core's clock and run what fell due; then let the bot finish reacting."""
        self.clock.advance(seconds)
        ran = await self.timers.run_due(self.clock.now())
        await self.env.settle()
        return ran


def make_core(db: Database, library: Library, tmp_path: Path) -> Core:
    settings = Settings(
        data_dir=tmp_path, quiz_open_seconds=600, discord_instructor_role=INSTRUCTOR_ROLE
    )
    return build_core(
        settings,
        db,
        library,
        clock=FakeClock(START),
        timers=ManualTimers(),
        rng=random.Random(7),
    )


def make_adapter(core: Core) -> DiscordAdapter:
    adapter = DiscordAdapter(core.rt.settings, core, count_interval=COUNT_INTERVAL)
    core.attach(adapter)
    # SimCord logs the client in and feeds it the gateway, so the adapter is bound to the
    # core's sink without opening a connection of its own.
    adapter.bind(core.handle)
    return adapter


def said(key: str, locale: str = "ko", style: str = "en", **values: object) -> str:
    """A catalog string exactly as the adapter renders it on Discord, in answer to a
    SimCord client (en-US, so commands are named in English; a post to the channel that
    answers nobody names them as the chat's language does: style=None)."""
    return markup(t(locale, key, style=style or None, **values))


def chat_of(channel: simcord.ChannelHandle) -> ChatRef:
    return ChatRef("discord", str(channel.id), True)


async def open_question(world: World) -> tuple[int, Question]:
    """The channel's open post and its question, read from the core."""
    core = world.core
    chat_id = await core.rt.services.registry.chat_id(chat_of(world.channel), core.rt.clock.now())
    post = await core.rt.services.quiz.latest_open(chat_id, core.rt.clock.now())
    assert post is not None, "no open question in the channel"
    return post.post_id, core.rt.library.questions[post.question_id]


def card_message(world: World) -> discord.Message:
    """The newest message in the channel that carries answer buttons."""
    for message in reversed(world.channel.history()):
        if message.components and message.embeds:
            return message
    raise AssertionError("no question card in the channel")


def custom_ids(message: discord.Message) -> list[str]:
    ids: list[str] = []
    for row in message.components:
        for child in getattr(row, "children", ()):
            custom_id = getattr(child, "custom_id", None)
            if custom_id:
                ids.append(custom_id)
    return ids


def text_of(result: simcord.InteractionResult) -> str:
    """Everything the interaction answered, response first, as one string."""
    parts: list[str] = []
    if result.response is not None:
        parts.append(result.response.content)
    parts += [f.content for f in result.followups]
    return "\n".join(p for p in parts if p)


def wrong_option(question: Question) -> int:
    return next(n for n in range(1, len(question.options) + 1) if n not in question.answers)
