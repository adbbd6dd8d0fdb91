"""The studybot command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot import __version__
from bot.config import ConfigError, Settings, load_settings

EPILOG = (
    "Settings come from STUDYBOT_* environment variables and an optional TOML file "
    "(--config or STUDYBOT_CONFIG); see the README."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studybot",
        description="A Telegram and Discord study bot for the Korean civil-service computer exams.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"studybot {__version__}")
    parser.add_argument("--config", metavar="FILE", help="a TOML settings file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    sub.add_parser(
        "run",
        help="run the bot on every platform whose token is set (the console when none is)",
        description="Apply migrations, then run every configured platform adapter, the "
        "scheduler and the core in one event loop. With no platform token set, runs the "
        "console.",
    )
    sub.add_parser(
        "console",
        help="chat with the bot in this terminal (pipe lines in to script a session)",
        description="A local group chat in the terminal. /as NAME speaks as someone else. "
        "When standard input is not a terminal, each line is one message and the console "
        "exits at the end of input.",
    )

    db = sub.add_parser("db", help="database maintenance", description="Database maintenance.")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.required = True
    db_sub.add_parser("upgrade", help="apply every pending migration")
    db_sub.add_parser("current", help="print the applied migration revision")

    discord = sub.add_parser(
        "discord", help="Discord tools", description="Discord application tools."
    )
    d_sub = discord.add_subparsers(dest="discord_command", metavar="ACTION")
    d_sub.required = True
    sync = d_sub.add_parser(
        "sync",
        help="register the slash commands with Discord (globally, or to one guild)",
        description="Upload the slash command tree. Global commands can take up to an hour "
        "to appear; --guild syncs to one server at once, for testing.",
    )
    sync.add_argument("--guild", type=int, help="a guild (server) id to sync to")

    content = sub.add_parser(
        "content", help="check or import study content", description="Study content tools."
    )
    c_sub = content.add_subparsers(dest="content_command", metavar="ACTION")
    c_sub.required = True
    check = c_sub.add_parser(
        "check",
        help="validate every chapter; exit 1 when anything is wrong",
        description="Validate every chapter file: ids, options, answers, 해설, related terms "
        "and the platforms' text limits. Prints file, item and reason per problem.",
    )
    check.add_argument("path", nargs="?", type=Path, help="content folder (default: the bot's)")
    imp = c_sub.add_parser(
        "import",
        help="turn notes in the seed's markdown format into a draft chapter file",
        description="Read notes (headings, term tables, bullet facts, 기출문제 blocks) and "
        "write a draft chapter YAML for review, reporting what could not be placed.",
    )
    imp.add_argument("notes", type=Path, help="the notes file (markdown)")
    imp.add_argument("-o", "--output", type=Path, help="where to write (default: stdout)")
    imp.add_argument("--subject", default="computer-general", help="subject folder name")
    return parser


def _content_check(path: Path | None, settings: Settings) -> int:
    from bot.content.generate import generate_questions
    from bot.content.loader import check_tree, default_content_dir

    root = path or settings.content_dir or default_content_dir()
    chapters, problems = check_tree(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    for chapter in chapters:
        generated = sum(1 for _ in generate_questions(chapter))
        print(
            f"{chapter.path}: ok — {len(chapter.terms)} terms, {len(chapter.questions)} "
            f"questions, {generated} generated"
        )
    return 0


def _content_import(notes: Path, output: Path | None, subject: str) -> int:
    from bot.content.importer import import_file

    if not notes.is_file():
        print(f"studybot: {notes} is not a file", file=sys.stderr)
        return 2
    result = import_file(notes, subject)
    text = result.to_yaml()
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    terms = len(result.chapter.get("terms", []))
    questions = len(result.chapter.get("questions", []))
    print(f"placed {terms} terms and {questions} questions", file=sys.stderr)
    for title, lines in (
        ("could not place", result.unplaced),
        ("placed, but a person should review", result.review),
    ):
        if lines:
            print(f"{title} ({len(lines)}):", file=sys.stderr)
            for line in lines:
                print(f"  {line}", file=sys.stderr)
    return 0


async def _db(action: str, settings: Settings) -> int:
    from bot.storage.db import Database
    from bot.storage.migrate import current_revision, head_revision, upgrade

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.db_url)
    try:
        if action == "upgrade":
            await upgrade(db)
        revision = await current_revision(db)
        print(f"database at revision {revision} (head {head_revision()})")
    finally:
        await db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"studybot: {exc}", file=sys.stderr)
        return 2
    from bot.logsetup import setup_logging

    setup_logging(settings)
    try:
        return _dispatch(args, settings)
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import StartupError, run, run_console
    from bot.content.loader import ContentError

    try:
        if args.command == "content":
            if args.content_command == "check":
                return _content_check(args.path, settings)
            return _content_import(args.notes, args.output, args.subject)
        if args.command == "db":
            return asyncio.run(_db(args.db_command, settings))
        if args.command == "discord":
            from bot.app import discord_sync

            asyncio.run(discord_sync(settings, args.guild))
            return 0
        if args.command == "console":
            asyncio.run(run_console(settings))
            return 0
        asyncio.run(run(settings))
        return 0
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("studybot: the content has problems; run 'studybot content check'", file=sys.stderr)
        return 1
    except StartupError as exc:
        print(f"studybot: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"studybot: {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
