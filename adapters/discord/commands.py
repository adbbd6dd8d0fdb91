"""The slash commands: a thin typed front for the core's commands.

Each command turns its options into the argument string the core already understands (the
same text a console or Telegram user would type after the command) and hands it over as a
CommandReceived. Permissions, validation and every reply stay in the core.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Protocol

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

from bot.services import exams
from bot.services.contests import MAX_QUESTIONS, MAX_SECONDS, MIN_QUESTIONS, MIN_SECONDS
from bot.services.lookup import MAX_QUERY
from bot.services.reports import REASON_MAX as REPORT_MAX

from .components import handler_of
from .i18n import ls

if TYPE_CHECKING:
    from bot.types import UserRef

MAX_VALUE = 200


class Defer(enum.Enum):
    """How a command acknowledges Discord before the core answers (Discord waits 3 s)."""

    NO = "no"  # the core answers from memory or one quick read
    PRIVATE = "private"  # answers are mostly private; public ones go to the channel
    PUBLIC = "public"  # answers are meant for the whole channel


class CommandHandler(Protocol):
    async def on_command(
        self,
        interaction: discord.Interaction,
        name: str,
        args: str,
        *,
        defer: Defer,
        mentions: tuple[UserRef, ...] = (),
        replied_to: str | None = None,
    ) -> None: ...

    def complete(self, query: str) -> list[Choice[str]]: ...

    async def open_announce(self, interaction: discord.Interaction, *, to_all: bool) -> None: ...

    async def open_question_form(
        self, interaction: discord.Interaction, purpose: str, number: int | None = None
    ) -> None: ...

    def user_ref(self, user: discord.abc.User) -> UserRef: ...

    async def on_file(
        self, interaction: discord.Interaction, file: discord.Attachment, caption: str
    ) -> None: ...


def _handler(interaction: discord.Interaction) -> CommandHandler:
    return handler_of(interaction)  # type: ignore[return-value]


def _choice(english: str, key: str, value: str) -> Choice[str]:
    return Choice(name=ls(english, key), value=value)


EVERYWHERE = {"guilds": True, "dms": True, "private_channels": False}

PERIODS = [
    _choice("today", "top.today", "today"),
    _choice("this week", "top.week", "week"),
    _choice("this month", "top.month", "month"),
    _choice("all time", "top.all", "all"),
]
DAILY_ACTIONS = [
    _choice("on", "daily.on", "on"),
    _choice("off", "daily.off", "off"),
    _choice("question time", "daily.time", "time"),
    _choice("closing time", "daily.close", "close"),
    _choice("topics", "daily.topics", "topics"),
    _choice("time zone", "daily.tz", "tz"),
]
ANNOUNCE_ACTIONS = [
    _choice("new announcement", "announce.new", "new"),
    _choice("scheduled list", "announce.list", "list"),
    _choice("cancel a scheduled one", "announce.cancel", "cancel"),
    _choice("to all my chats", "announce.all", "all"),
]
REVIEW_ACTIONS = [
    _choice("list", "review.list", "list"),
    _choice("add a question", "review.add", "add"),
    _choice("remove a card", "review.remove", "remove"),
    _choice("target retention", "review.retention", "retention"),
    _choice("reminder time", "review.time", "time"),
    _choice("how it works", "review.help", "help"),
]
EXAM_ACTIONS = [
    _choice("answer sheet", "exam.status", "status"),
    _choice("skip this question", "exam.skip", "skip"),
    _choice("next question", "exam.next", "next"),
    _choice("submit", "exam.submit", "submit"),
    _choice("past papers", "exam.history", "history"),
    _choice("how it works", "exam.help", "help"),
]
# The bank's two subjects (content/): the value is the key /exam already understands.
EXAM_SUBJECTS = [
    _choice("Computer General (컴퓨터일반)", "exam.computer-general", "computer-general"),
    _choice(
        "Information Security (정보보호론)", "exam.information-security", "information-security"
    ),
]
STATS_PERIODS = [
    _choice("last 7 days", "stats.week", "week"),
    _choice("last 30 days", "stats.month", "month"),
]
QUEUE_ACTIONS = [
    _choice("approve", "queue.approve", "approve"),
    _choice("edit", "queue.edit", "edit"),
    _choice("reject", "queue.reject", "reject"),
]
QSET_ACTIONS = [
    _choice("list", "qset.list", "list"),
    _choice("share with my other groups", "qset.share", "share"),
    _choice("drafts", "qset.drafts", "drafts"),
    _choice("publish drafts", "qset.publish", "publish"),
    _choice("drop drafts", "qset.drop", "drop"),
    _choice("export as a file", "qset.export", "export"),
    _choice("picture for a question", "qset.image", "image"),
]
FIX_ACTIONS = [
    _choice("answer (the key, e.g. 2 or 2,3)", "fix.answer", "answer"),
    _choice("question text", "fix.stem", "stem"),
    _choice("one option (number, then the text)", "fix.option", "option"),
    _choice("explanation", "fix.explanation", "explanation"),
    _choice("retire it", "fix.retire", "retire"),
    _choice("close the reports, nothing to fix", "fix.dismiss", "dismiss"),
]
INSTRUCTOR_ACTIONS = [
    _choice("add", "instructor.add", "add"),
    _choice("remove", "instructor.remove", "remove"),
    _choice("list", "instructor.list", "list"),
]


async def _complete(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    return _handler(interaction).complete(current)


def register(tree: app_commands.CommandTree[discord.Client]) -> None:
    """Add every studybot command to the tree (names and descriptions localized)."""

    @tree.command(name=ls("start", "start"), description=ls("What studybot does", "start.desc"))
    @app_commands.allowed_contexts(**EVERYWHERE)
    async def start(interaction: discord.Interaction) -> None:
        await _handler(interaction).on_command(interaction, "start", "", defer=Defer.NO)

    @tree.command(
        name=ls("help", "help"), description=ls("Every command and how points work", "help.desc")
    )
    @app_commands.allowed_contexts(**EVERYWHERE)
    async def help_(interaction: discord.Interaction) -> None:
        await _handler(interaction).on_command(interaction, "help", "", defer=Defer.NO)

    @tree.command(
        name=ls("term", "term"),
        description=ls("Look a term up (Korean, English, abbreviation, initials)", "term.desc"),
    )
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.rename(query=ls("query", "term.query"))
    @app_commands.describe(query=ls("The term to look up", "term.query.desc"))
    @app_commands.autocomplete(query=_complete)
    async def term(interaction: discord.Interaction, query: Range[str, 1, MAX_QUERY]) -> None:
        await _handler(interaction).on_command(interaction, "term", query, defer=Defer.NO)

    @tree.command(name=ls("quiz", "quiz"), description=ls("Post a question now", "quiz.desc"))
    @app_commands.guild_only()
    @app_commands.rename(query=ls("query", "quiz.query"))
    @app_commands.describe(
        query=ls("A question about this term (empty: any question)", "quiz.query.desc")
    )
    @app_commands.autocomplete(query=_complete)
    async def quiz(
        interaction: discord.Interaction, query: Range[str, 1, MAX_QUERY] | None = None
    ) -> None:
        await _handler(interaction).on_command(
            interaction, "quiz", query or "", defer=Defer.PRIVATE
        )

    @tree.command(
        name=ls("reveal", "reveal"),
        description=ls("Close the open question and show the answer", "reveal.desc"),
    )
    @app_commands.guild_only()
    async def reveal(interaction: discord.Interaction) -> None:
        await _handler(interaction).on_command(interaction, "reveal", "", defer=Defer.PRIVATE)

    @tree.command(name=ls("top", "top"), description=ls("This channel's leaderboard", "top.desc"))
    @app_commands.guild_only()
    @app_commands.rename(period=ls("period", "top.period"))
    @app_commands.describe(period=ls("Which period to rank", "top.period.desc"))
    @app_commands.choices(period=PERIODS)
    async def top(interaction: discord.Interaction, period: Choice[str] | None = None) -> None:
        args = period.value if period else ""
        await _handler(interaction).on_command(interaction, "top", args, defer=Defer.PUBLIC)

    @tree.command(name=ls("me", "me"), description=ls("Your points, accuracy and rank", "me.desc"))
    @app_commands.guild_only()
    async def me(interaction: discord.Interaction) -> None:
        # Public: the text is for the channel; the picture follows for the caller only.
        await _handler(interaction).on_command(interaction, "me", "", defer=Defer.PUBLIC)

    @tree.command(
        name=ls("review", "review"),
        description=ls("Review your deck (in a private chat with me)", "review.desc"),
    )
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.rename(action=ls("action", "review.action"), value=ls("value", "review.value"))
    @app_commands.describe(
        action=ls("Empty: review the cards due now", "review.action.desc"),
        value=ls(
            "A question or card number, a retention (0.85) or a time (21:00, off)",
            "review.value.desc",
        ),
    )
    @app_commands.choices(action=REVIEW_ACTIONS)
    async def review(
        interaction: discord.Interaction,
        action: Choice[str] | None = None,
        value: Range[str, 1, MAX_VALUE] | None = None,
    ) -> None:
        args = " ".join(part for part in (action.value if action else "", value or "") if part)
        await _handler(interaction).on_command(interaction, "review", args, defer=Defer.PRIVATE)

    @tree.context_menu(name=ls("Add to review deck", "review.add_menu"))
    @app_commands.allowed_contexts(**EVERYWHERE)
    async def review_add(interaction: discord.Interaction, message: discord.Message) -> None:
        # Discord's way to act on one message: /review add, as a reply to the question.
        await _handler(interaction).on_command(
            interaction, "review", "add", defer=Defer.PRIVATE, replied_to=str(message.id)
        )

    @tree.command(
        name=ls("exam", "exam"),
        description=ls("A timed mock exam (in a private chat with me)", "exam.desc"),
    )
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.rename(
        action=ls("action", "exam.action"),
        subject=ls("subject", "exam.subject"),
        questions=ls("questions", "exam.questions"),
        minutes=ls("minutes", "exam.minutes"),
        number=ls("number", "exam.number"),
    )
    @app_commands.describe(
        action=ls("Empty: start a paper, or go back to the open one", "exam.action.desc"),
        subject=ls("The subject of a new paper", "exam.subject.desc"),
        questions=ls("How many questions (default 20)", "exam.questions.desc"),
        minutes=ls("The time limit in minutes (default 20)", "exam.minutes.desc"),
        number=ls("Go to this question of the open paper", "exam.number.desc"),
    )
    @app_commands.choices(action=EXAM_ACTIONS, subject=EXAM_SUBJECTS)
    async def exam(
        interaction: discord.Interaction,
        action: Choice[str] | None = None,
        subject: Choice[str] | None = None,
        questions: Range[int, exams.MIN_QUESTIONS, exams.MAX_QUESTIONS] | None = None,
        minutes: Range[int, exams.MIN_MINUTES, exams.MAX_MINUTES] | None = None,
        number: Range[int, 1, exams.MAX_QUESTIONS] | None = None,
    ) -> None:
        # The words a text platform would type after /exam: "submit", "3", or
        # "information-security 20 30분" (a bare second number would read as minutes too,
        # but naming the unit keeps a lone minutes option from being read as a count).
        if action is not None:
            args = action.value
        elif number is not None:
            args = str(number)
        else:
            parts = [subject.value if subject else ""]
            parts.append(str(questions) if questions is not None else "")
            parts.append(f"{minutes}분" if minutes is not None else "")
            args = " ".join(p for p in parts if p)
        await _handler(interaction).on_command(interaction, "exam", args, defer=Defer.PRIVATE)

    @tree.command(
        name=ls("hard", "hard"),
        description=ls("The questions most people get wrong", "hard.desc"),
    )
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.rename(query=ls("scope", "hard.query"))
    @app_commands.describe(
        query=ls("A subject, chapter or topic (empty: every question)", "hard.query.desc")
    )
    async def hard(
        interaction: discord.Interaction, query: Range[str, 1, MAX_QUERY] | None = None
    ) -> None:
        await _handler(interaction).on_command(interaction, "hard", query or "", defer=Defer.PUBLIC)

    @tree.command(
        name=ls("stats", "stats"),
        description=ls("This channel's statistics and keys to check", "stats.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(period=ls("period", "stats.period"))
    @app_commands.describe(period=ls("Empty: the last 7 days", "stats.period.desc"))
    @app_commands.choices(period=STATS_PERIODS)
    async def stats(interaction: discord.Interaction, period: Choice[str] | None = None) -> None:
        args = period.value if period else ""
        # Deferred privately: the text and picture go to the channel, a refusal stays private.
        await _handler(interaction).on_command(interaction, "stats", args, defer=Defer.PRIVATE)

    @tree.command(name=ls("lang", "lang"), description=ls("The language I use here", "lang.desc"))
    @app_commands.guild_only()
    @app_commands.rename(language=ls("language", "lang.language"))
    @app_commands.describe(language=ls("한국어 or English", "lang.language.desc"))
    @app_commands.choices(
        language=[Choice(name="한국어", value="ko"), Choice(name="English", value="en")]
    )
    async def lang(interaction: discord.Interaction, language: Choice[str]) -> None:
        await _handler(interaction).on_command(interaction, "lang", language.value, defer=Defer.NO)

    @tree.command(
        name=ls("daily", "daily"),
        description=ls("The daily question's settings (instructors)", "daily.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(action=ls("setting", "daily.action"), value=ls("value", "daily.value"))
    @app_commands.describe(
        action=ls("What to change (empty: show the settings)", "daily.action.desc"),
        value=ls("A time (08:30), topics (가상화, 보안) or a time zone", "daily.value.desc"),
    )
    @app_commands.choices(action=DAILY_ACTIONS)
    async def daily(
        interaction: discord.Interaction,
        action: Choice[str] | None = None,
        value: Range[str, 1, MAX_VALUE] | None = None,
    ) -> None:
        args = " ".join(part for part in (action.value if action else "", value or "") if part)
        # Showing the settings is for everyone; changing them may be refused, privately.
        defer = Defer.PRIVATE if action else Defer.PUBLIC
        await _handler(interaction).on_command(interaction, "daily", args, defer=defer)

    @tree.command(
        name=ls("contest", "contest"),
        description=ls("A run of timed questions; faster answers score more", "contest.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(
        count=ls("questions", "contest.count"),
        seconds=ls("seconds", "contest.seconds"),
        stop=ls("stop", "contest.stop"),
    )
    @app_commands.describe(
        count=ls("How many questions", "contest.count.desc"),
        seconds=ls("Seconds for each question", "contest.seconds.desc"),
        stop=ls("Stop the running contest", "contest.stop.desc"),
    )
    async def contest(
        interaction: discord.Interaction,
        count: Range[int, MIN_QUESTIONS, MAX_QUESTIONS] | None = None,
        seconds: Range[int, MIN_SECONDS, MAX_SECONDS] | None = None,
        stop: bool = False,
    ) -> None:
        if stop:
            args = "stop"
        else:
            args = " ".join(str(n) for n in (count, seconds) if n is not None)
        await _handler(interaction).on_command(interaction, "contest", args, defer=Defer.PRIVATE)

    @tree.command(
        name=ls("announce", "announce"),
        description=ls("Write an announcement or manage scheduled ones", "announce.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(action=ls("action", "announce.action"), number=ls("number", "announce.id"))
    @app_commands.describe(
        action=ls("New (default), list, cancel, or to all your chats", "announce.action.desc"),
        number=ls("The scheduled announcement to cancel", "announce.id.desc"),
    )
    @app_commands.choices(action=ANNOUNCE_ACTIONS)
    async def announce(
        interaction: discord.Interaction,
        action: Choice[str] | None = None,
        number: Range[int, 1, 2**53] | None = None,
    ) -> None:
        handler = _handler(interaction)
        chosen = action.value if action else "new"
        if chosen in ("new", "all"):
            # A modal must be the first answer to the interaction, so this one is not deferred.
            await handler.open_announce(interaction, to_all=chosen == "all")
            return
        if chosen == "list" or number is None:
            args = chosen  # without a number the core explains how to cancel
        else:
            args = f"cancel {number}"
        await handler.on_command(interaction, "announce", args, defer=Defer.PRIVATE)

    @tree.command(
        name=ls("instructor", "instructor"),
        description=ls("Add, remove or list instructors", "instructor.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(
        action=ls("action", "instructor.action"), member=ls("member", "instructor.member")
    )
    @app_commands.describe(
        action=ls("Add, remove or list", "instructor.action.desc"),
        member=ls("The member to add or remove", "instructor.member.desc"),
    )
    @app_commands.choices(action=INSTRUCTOR_ACTIONS)
    async def instructor(
        interaction: discord.Interaction,
        action: Choice[str] | None = None,
        member: discord.Member | None = None,
    ) -> None:
        handler = _handler(interaction)
        chosen = action.value if action else "list"
        args = "" if chosen == "list" else chosen
        mentions = (handler.user_ref(member),) if member is not None else ()
        defer = Defer.PUBLIC if chosen == "list" else Defer.PRIVATE
        await handler.on_command(interaction, "instructor", args, defer=defer, mentions=mentions)

    @tree.command(
        name=ls("addq", "addq"),
        description=ls("Add a question to this channel with a form (instructors)", "addq.desc"),
    )
    @app_commands.guild_only()
    async def addq(interaction: discord.Interaction) -> None:
        # Instructors only, checked before the form opens (a modal is the first answer).
        await _handler(interaction).open_question_form(interaction, "addq")

    @tree.command(
        name=ls("qset", "qset"),
        description=ls(
            "This channel's question set: list, share, drafts, export, files", "qset.desc"
        ),
    )
    @app_commands.allowed_contexts(**EVERYWHERE)
    @app_commands.rename(
        action=ls("action", "qset.action"),
        numbers=ls("numbers", "qset.numbers"),
        file=ls("file", "qset.file"),
    )
    @app_commands.describe(
        action=ls("Empty: list the questions", "qset.action.desc"),
        numbers=ls("Draft or question numbers (12 13)", "qset.numbers.desc"),
        file=ls(
            "A CSV, TSV or notes file (private chat), or a question's picture", "qset.file.desc"
        ),
    )
    @app_commands.choices(action=QSET_ACTIONS)
    async def qset(
        interaction: discord.Interaction,
        action: Choice[str] | None = None,
        numbers: Range[str, 0, MAX_VALUE] | None = None,
        file: discord.Attachment | None = None,
    ) -> None:
        handler = _handler(interaction)
        args = " ".join(p for p in (action.value if action else "", numbers or "") if p)
        if file is not None:
            await handler.on_file(interaction, file, f"/qset {args}" if args else "")
            return
        await handler.on_command(interaction, "qset", args, defer=Defer.PRIVATE)

    @tree.command(
        name=ls("suggest", "suggest"),
        description=ls("Suggest a question to the instructors", "suggest.desc"),
    )
    @app_commands.guild_only()
    async def suggest(interaction: discord.Interaction) -> None:
        await _handler(interaction).open_question_form(interaction, "suggest")

    @tree.command(
        name=ls("queue", "queue"),
        description=ls("Review suggested questions (instructors)", "queue.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(action=ls("action", "queue.action"), number=ls("number", "queue.number"))
    @app_commands.describe(
        action=ls("Empty: list the suggestions to review", "queue.action.desc"),
        number=ls("The suggestion to act on", "queue.number.desc"),
    )
    @app_commands.choices(action=QUEUE_ACTIONS)
    async def queue(
        interaction: discord.Interaction,
        action: Choice[str] | None = None,
        number: Range[int, 1, 2**53] | None = None,
    ) -> None:
        handler = _handler(interaction)
        if action is not None and action.value == "edit" and number is not None:
            # The suggestion in a form, filled in, to fix and approve in one go.
            await handler.open_question_form(interaction, "queue", number)
            return
        args = " ".join(p for p in (action.value if action else "", str(number or "")) if p)
        await handler.on_command(interaction, "queue", args, defer=Defer.PRIVATE)

    @tree.command(
        name=ls("report", "report"),
        description=ls("Report a mistake in a question", "report.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(number=ls("number", "report.number"), reason=ls("reason", "report.reason"))
    @app_commands.describe(
        number=ls("The number on the question's card (Question #12)", "report.number.desc"),
        reason=ls("What is wrong with it", "report.reason.desc"),
    )
    async def report(
        interaction: discord.Interaction,
        number: Range[int, 1, 2**53],
        reason: Range[str, 1, REPORT_MAX],
    ) -> None:
        await _handler(interaction).on_command(
            interaction, "report", f"{number} {reason}", defer=Defer.PRIVATE
        )

    @tree.command(
        name=ls("reports", "reports"),
        description=ls("Open reports on this channel's questions (instructors)", "reports.desc"),
    )
    @app_commands.guild_only()
    async def reports(interaction: discord.Interaction) -> None:
        await _handler(interaction).on_command(interaction, "reports", "", defer=Defer.PRIVATE)

    @tree.command(
        name=ls("fix", "fix"),
        description=ls("Fix a question and re-score its answers (instructors)", "fix.desc"),
    )
    @app_commands.guild_only()
    @app_commands.rename(
        target=ls("question", "fix.target"),
        action=ls("change", "fix.action"),
        value=ls("value", "fix.value"),
    )
    @app_commands.describe(
        target=ls("The card's number (12) or the question's id (chat-7)", "fix.target.desc"),
        action=ls("What to change", "fix.action.desc"),
        value=ls("The new key, text or option (3 new text)", "fix.value.desc"),
    )
    @app_commands.choices(action=FIX_ACTIONS)
    async def fix(
        interaction: discord.Interaction,
        target: Range[str, 1, 40],
        action: Choice[str],
        value: Range[str, 1, 1000] | None = None,
    ) -> None:
        args = " ".join(p for p in (target, action.value, value or "") if p)
        await _handler(interaction).on_command(interaction, "fix", args, defer=Defer.PRIVATE)
