"""One set of command names (issue 11, items 11 and 12): the Korean names in bot/commands.py
reach the same handler everywhere, /help lists them, and replies name a command as the
user's client shows it."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.discord.i18n import KOREAN, command_style
from adapters.telegram.commands import menu
from bot.commands import ALIASES, BY_NAME, TABLE, spell
from bot.dispatcher import parse_command
from bot.handlers import COMMANDS
from bot.i18n import t
from bot.locales import en, ko
from bot.types import CommandReceived
from tests.conftest import Harness, plain
from tests.test_console_e2e import run_console

# The commands of issue 11 (item 11): their strings are all placeholders now. Newer commands
# convert theirs as they land.
CORE = (
    "start", "help", "quiz", "answer", "reveal", "term", "top", "me", "review", "lang",
    "daily", "contest", "announce", "instructor",
)  # fmt: skip
PLACEHOLDER = re.compile(r"\{(/[^{}]+)\}")
# A particle straight after a command placeholder ("{/quiz}를", "{/help} 에서").
PARTICLE_AFTER = re.compile(
    r"\{/[^{}]+\} ?(을|를|이|가|은|는|에|에서|로|으로|의|도|만|와|과)(?![가-힣])"
)


def test_every_korean_name_reaches_the_same_handler_as_the_english_one() -> None:
    for command in TABLE:
        assert command.name in COMMANDS, command.name
        for spelling in (command.ko, *command.also):
            parsed = parse_command(f"/{spelling} 3")
            assert parsed is not None and parsed.name == command.name, spelling
            assert COMMANDS[parsed.name] is COMMANDS[command.name]
            assert parsed.args == "3"
    # Keep the rule: '/정답 N' answers, '/정답공개' reveals.
    assert ALIASES["정답"] == "answer" and ALIASES["정답공개"] == "reveal"
    # No spelling means two commands.
    spellings = [s for c in TABLE for s in (c.name, c.ko, *c.also)]
    assert len(spellings) == len(set(spellings))


def test_discord_and_the_telegram_menu_read_the_same_table() -> None:
    for command in TABLE:
        if command.discord:
            assert KOREAN[command.name] == command.ko
        else:
            assert command.name not in KOREAN
    korean_menu = {c.command: c.description for c in menu("ko")}
    english_menu = {c.command: c.description for c in menu("en")}
    assert list(korean_menu) == [c.name for c in TABLE] == list(english_menu)
    for command in TABLE:
        # Telegram menu entries must be Latin; the Korean label says the Korean name.
        assert f"/{command.ko}" in korean_menu[command.name]
        assert 0 < len(korean_menu[command.name]) <= 256


def test_the_subcommand_words_shown_are_ones_the_handlers_accept() -> None:
    """'/강사 추가' is shown only where the handler reads 추가 as add."""
    from bot.handlers import announcements, contests, daily, instructors, review, scores

    accepted = {
        "instructor": {"add": instructors.ADD, "remove": instructors.REMOVE, "list": {"목록"}},
        "daily": {"on": daily.ON, "off": daily.OFF, "time": daily.TIME, "close": daily.CLOSE,
                  "topics": {"주제"}, "all": daily.ALL_TOPICS},
        "contest": {"stop": contests.STOP},
        "announce": {"list": announcements.LIST, "cancel": announcements.CANCEL,
                     "all": announcements.EVERYWHERE},
        "top": {w: {k for k, v in scores.PERIODS.items() if v == w} for w in scores.PERIODS},
        "help": {"review": set(review.HELP_TOPICS)},
    }  # fmt: skip
    for name, words in accepted.items():
        for english, korean in BY_NAME[name].words.items():
            assert korean in words[english], (name, english, korean)
    for english, korean in BY_NAME["review"].words.items():
        if english != "off":
            assert review.SUBCOMMANDS[korean] == review.SUBCOMMANDS[english]


def test_catalogs_name_commands_by_placeholder_and_agree() -> None:
    assert set(ko.STRINGS) == set(en.STRINGS)
    for catalog in (ko.STRINGS, en.STRINGS):
        for key, text in catalog.items():
            for field in PLACEHOLDER.findall(text):
                assert field[1:].split()[0] in BY_NAME, (key, field)
            # No command written out by hand where a placeholder would follow the client.
            bare = re.findall(r"(?<![{\w/])/(" + "|".join(CORE) + r")\b", text)
            assert not bare, (key, bare)
        for name in CORE:
            assert f"help_cmd_{name}" in catalog, name
    assert {k: v for k, v in ko.STRINGS.items() if PARTICLE_AFTER.search(v)} == {}


def test_spelling_follows_the_style() -> None:
    assert spell("instructor add", "ko") == "/강사 추가"
    assert spell("instructor add", "en") == "/instructor add"
    assert spell("daily tz", "ko") == "/매일문제 tz"  # a word with no Korean one stays
    assert "(/강사 추가)" in t("ko", "need_instructor", action="공지를 보낼")
    assert "(/instructor add)" in t("ko", "need_instructor", action="공지를 보낼", style="en")
    assert "(/instructor add)" in t("en", "need_instructor", action="announce")


async def test_help_lists_the_korean_names_and_the_english_ones(harness: Harness) -> None:
    text = plain(await harness.command("help"))
    for name in CORE:
        command = BY_NAME[name]
        assert f"/{command.ko}" in text and f"/{command.name}" in text, command.name
    assert text.index("/문제 — ") < text.index("/quiz")  # Korean first in a Korean chat


async def test_a_refusal_names_the_command_as_the_client_spells_it(harness: Harness) -> None:
    """Item 12: a Korean Discord client lists /강사; the event says how the client spells."""
    discord_chat = harness.chat

    async def refusal(style: str | None) -> str:
        event = CommandReceived(
            discord_chat, harness.user("민수"), "daily", "on", command_style=style
        )
        return plain(await harness.adapter.deliver(event))

    assert "/강사 추가" in await refusal("ko")
    assert "/instructor add" in await refusal("en")
    assert "/강사 추가" in await refusal(None)  # a Korean chat on a text platform
    await harness.command("lang", "en", admin=True)
    assert "/instructor add" in await refusal(None)
    assert "/강사 추가" in await refusal("ko")
    assert command_style(__import__("discord").Locale.korean) == "ko"
    assert command_style(__import__("discord").Locale.american_english) == "en"


def test_the_console_knows_every_korean_name(tmp_path: Path) -> None:
    lines = [f"/{c.ko}" for c in TABLE] + ["/대회 중지", "/강사 추가 @없는사람"]
    proc = run_console(lines, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "모르는 명령" not in proc.stdout
    # A console refusal names a command one can type there.
    assert "/강사 추가" in proc.stdout
