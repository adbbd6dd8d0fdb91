"""/start, /help, /lang and the reply to an unknown command."""

from __future__ import annotations

import difflib

from bot.context import Ctx
from bot.i18n import CATALOGS
from bot.markup import esc
from bot.services.quiz import POINTS_CORRECT
from bot.types import Content, Text


async def start(ctx: Ctx, _args: str) -> list[Content]:
    return [Text(ctx.t("start"))]


async def help_(ctx: Ctx, _args: str) -> list[Content]:
    return [Text(ctx.t("help", points=POINTS_CORRECT))]


async def lang(ctx: Ctx, args: str) -> list[Content]:
    choice = args.strip().lower()
    if choice not in CATALOGS:
        return [Text(ctx.t("lang_usage"), ephemeral=True)]
    await ctx.services.registry.set_locale(ctx.chat_id, choice)
    return [Text(CATALOGS[choice]["lang_set"])]


def unknown_command(ctx: Ctx, name: str, known: list[str]) -> list[Content]:
    shown = name[:32]
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    if close:
        return [Text(ctx.t("unknown_command_hint", name=esc(shown), suggestion=close[0]))]
    return [Text(ctx.t("unknown_command", name=esc(shown)))]
