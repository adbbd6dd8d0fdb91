"""/start, /help, /lang and the reply to an unknown command."""

from __future__ import annotations

import difflib

from bot.commands import ALIASES, BY_NAME, TABLE, spell
from bot.context import Ctx
from bot.i18n import CATALOGS
from bot.markup import esc
from bot.services.quiz import POINTS_CORRECT
from bot.types import Content, Text


async def start(ctx: Ctx, _args: str) -> list[Content]:
    return [Text(ctx.t("start"))]


async def help_(ctx: Ctx, _args: str) -> list[Content]:
    return [Text(help_text(ctx))]


def help_text(ctx: Ctx) -> str:
    """Every command under the name the user's client shows (bot/commands.py), and on the
    text platforms, where both names can be typed, the other names too."""
    on_discord = ctx.chat.platform == "discord"
    # A command whose help line is not in the catalogs yet is left out rather than failing.
    lines_known = CATALOGS.get(ctx.locale, CATALOGS["ko"])
    shown = [
        c for c in TABLE if (c.discord or not on_discord) and f"help_cmd_{c.name}" in lines_known
    ]
    lines = [ctx.t("help_title")]
    lines += [ctx.t(f"help_cmd_{c.name}") for c in shown if not c.instructors]
    lines += ["", bank_line(ctx)]
    lines += ["", ctx.t("help_instructors")]
    lines += [ctx.t(f"help_cmd_{c.name}") for c in shown if c.instructors]
    if not on_discord:
        other = "en" if ctx.command_style == "ko" else "ko"
        names = " · ".join(spell(c.name, other) for c in shown)
        lines += ["", ctx.t("help_other_names", names=names)]
    lines += ["", ctx.t("help_scoring", points=POINTS_CORRECT)]
    return "\n".join(lines)


def bank_line(ctx: Ctx) -> str:
    """What the question bank holds: each subject with its number of chapters."""
    chapters: dict[str, int] = {}
    for chapter in ctx.rt.library.chapters:
        chapters[chapter.subject_name] = chapters.get(chapter.subject_name, 0) + 1
    subjects = ", ".join(
        ctx.t("help_bank_subject", name=name, count=count) for name, count in chapters.items()
    )
    return ctx.t("help_bank", subjects=subjects)


async def lang(ctx: Ctx, args: str) -> list[Content]:
    choice = args.strip().lower()
    if choice not in CATALOGS:
        return [Text(ctx.t("lang_usage"), ephemeral=True)]
    await ctx.services.registry.set_locale(ctx.chat_id, choice)
    return [Text(CATALOGS[choice]["lang_set"])]


def unknown_command(ctx: Ctx, name: str, known: list[str]) -> list[Content]:
    shown = name[:32]
    # Korean names are matched too (/매일문재 → /매일문제); the hint spells as the client does.
    spellings = {spelling: command for spelling, command in ALIASES.items() if command in known}
    spellings.update({command: command for command in known})
    close = difflib.get_close_matches(name.lower(), list(spellings), n=1, cutoff=0.6)
    if close and spellings[close[0]] in BY_NAME:
        suggestion = ctx.cmd(spellings[close[0]])
        return [Text(ctx.t("unknown_command_hint", name=esc(shown), suggestion=suggestion))]
    if close:
        suggestion = "/" + close[0]
        return [Text(ctx.t("unknown_command_hint", name=esc(shown), suggestion=suggestion))]
    return [Text(ctx.t("unknown_command", name=esc(shown)))]
