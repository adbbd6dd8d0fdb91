"""The studybot command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

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
    db_sub.add_parser(
        "check",
        help="compare the board totals with the answers they came from",
        description="Rebuild every board total (all-time, day, week, month, streaks) from "
        "the stored answers, chat by chat, and compare; exit 1 on any difference.",
    )
    backup = db_sub.add_parser(
        "backup",
        help="copy the live SQLite database to PATH (safe while the bot runs)",
        description="Take a consistent copy of the SQLite database with SQLite's online "
        "backup API while the bot keeps running, check it, and write it to PATH (a new "
        "file, or a folder to put a time-stamped file in). PostgreSQL: use pg_dump.",
    )
    backup.add_argument("path", type=Path, help="the new file, or an existing folder")
    restore = db_sub.add_parser(
        "restore",
        help="replace the SQLite database with a backup (stop the bot first)",
        description="Check the backup (integrity, migration level), then put it in place "
        "of the database in one atomic rename. The old file is kept beside it as "
        "<name>.before-restore-<time>. Refuses while a bot is using the database.",
    )
    restore.add_argument("path", type=Path, help="a file made by 'studybot db backup'")
    export = db_sub.add_parser(
        "export",
        help="write every table to FILE (JSON Lines; .gz compresses)",
        description="Copy every table, from one consistent snapshot, into FILE, to move "
        "between SQLite and PostgreSQL with 'studybot db import'.",
    )
    export.add_argument("file", type=Path, help="where to write (e.g. studybot.jsonl.gz)")
    load = db_sub.add_parser(
        "import",
        help="load FILE from 'db export' into an empty database",
        description="Migrate the configured database, check that it is empty, and load "
        "every row of FILE in one transaction (nothing is kept if anything is wrong).",
    )
    load.add_argument("file", type=Path, help="a file made by 'studybot db export'")

    doctor = sub.add_parser(
        "doctor",
        help="check configuration, database, content and platform tokens",
        description="Check the settings, the data folder, the database and its migration "
        "level, the study content and, for each platform whose token is set, that the "
        "platform accepts the token. One OK or FAIL line each; exit 1 on any FAIL.",
    )
    doctor.add_argument(
        "--quick", action="store_true", help="skip the network calls to the platforms"
    )
    doctor.add_argument(
        "--full", action="store_true", help="also compare the board totals with the answers"
    )

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
    sync.add_argument(
        "--clear",
        action="store_true",
        help="remove this guild's copy of the commands (after a global sync); needs --guild",
    )

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
    questions = c_sub.add_parser(
        "questions",
        help="list every question the bot can ask, written and generated",
        description="Every question of every chapter (or of one with --chapter): id, form, "
        "stem, options, accepted answers, 해설 and source, written first, then generated. "
        "--json prints one stable JSON array (keys id, kind, form, stem, options, answers "
        "(1-based), explanation, generated, source, past_exam, terms, topics, chapter).",
    )
    questions.add_argument("--chapter", metavar="KEY", help="e.g. computer-general/virtualization")
    questions.add_argument("--json", action="store_true", help="print JSON instead of text")
    questions.add_argument("path", nargs="?", type=Path, help="content folder (default: the bot's)")
    imp = c_sub.add_parser(
        "import",
        help="turn notes in the seed's markdown format into a draft chapter file",
        description="Read notes (headings, term tables, bullet facts, 기출문제 blocks) and "
        "write a draft chapter YAML for review, reporting what could not be placed.",
    )
    imp.add_argument("notes", type=Path, help="the notes file (markdown)")
    imp.add_argument("-o", "--output", type=Path, help="where to write (default: stdout)")
    imp.add_argument(
        "--subject",
        default=None,
        help="subject folder name (computer-general, information-security); "
        "inferred from the notes' words when left out",
    )
    csv_imp = c_sub.add_parser(
        "import-csv",
        help="add a CSV, TSV or notes file's questions to a chat as drafts",
        description="Columns stem, options (separated by |), answer, 해설, topic, source, "
        "with or without a header row; UTF-8 (BOM or not), UTF-16 with BOM or cp949. Broken "
        "rows are listed and left out; the rest become drafts to publish with /qset publish.",
    )
    csv_imp.add_argument("file", type=Path, help="the .csv, .tsv or .md file")
    csv_imp.add_argument(
        "--chat", required=True, help="the chat: its number, or platform:id (telegram:-100…)"
    )
    return parser


def _content_check(path: Path | None, settings: Settings) -> int:
    from bot.content.generate import generate_report
    from bot.content.loader import check_tree, default_content_dir
    from bot.content.soundness import check_questions

    root = path or settings.content_dir or default_content_dir()
    chapters, problems = check_tree(root)
    # The soundness gate on the written questions (generated ones that fail are not made).
    problems += [p for chapter in chapters for p in check_questions(chapter)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    for chapter in chapters:
        report = generate_report(chapter)
        rejected = ""
        if report.rejected:
            rejected = f" ({len(report.rejected)} more rejected by the soundness gate)"
        print(
            f"{chapter.path}: ok — {len(chapter.terms)} terms, {len(chapter.questions)} "
            f"questions, {len(report.questions)} generated{rejected}"
        )
    return 0


def _content_questions(
    path: Path | None, chapter_key: str | None, as_json: bool, settings: Settings
) -> int:
    import json

    from bot.content.generate import generate_questions
    from bot.content.loader import check_tree, default_content_dir

    root = path or settings.content_dir or default_content_dir()
    chapters, problems = check_tree(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if chapter_key is not None:
        chapters = [c for c in chapters if c.key == chapter_key]
        if not chapters:
            print(f"studybot: no chapter '{chapter_key}' in {root}", file=sys.stderr)
            return 2
    rows: list[dict[str, Any]] = []
    for chapter in chapters:
        for q in (*chapter.questions, *generate_questions(chapter)):
            rows.append(
                {
                    "id": q.id,
                    "kind": q.kind,
                    "form": q.form or ("ox" if q.kind == "ox" else "written"),
                    "stem": q.stem,
                    "options": list(q.options),
                    "answers": list(q.answers),
                    "explanation": q.explanation,
                    "generated": q.generated,
                    "source": q.source,
                    "past_exam": q.past_exam,
                    "terms": list(q.terms),
                    "topics": list(q.topics),
                    "chapter": chapter.key,
                }
            )
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 1 if problems else 0
    marks = "①②③④⑤⑥⑦⑧⑨⑩"
    for row in rows:
        origin = "generated" if row["generated"] else (row["source"] or "written")
        print(f"[{row['id']}] {row['form']} · {origin}")
        print(row["stem"])
        for i, option in enumerate(row["options"], 1):
            tick = " ✓" if i in row["answers"] else ""
            print(f"  {marks[i - 1] if i <= len(marks) else i} {option}{tick}")
        print(f"  해설: {row['explanation']}")
        print()
    print(f"{len(rows)} questions", file=sys.stderr)
    return 1 if problems else 0


async def _content_import_csv(file: Path, chat: str, settings: Settings) -> int:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from bot.content.loader import load_library
    from bot.content.upload import FILE_MAX, read_set
    from bot.services.bank import DRAFT, QuestionBank
    from bot.storage.db import Database
    from bot.storage.tables import chats, instructors

    def head() -> bytes:  # no more than one byte past the limit: read_set says it is too big
        with file.open("rb") as handle:
            return handle.read(FILE_MAX + 1)

    try:
        data = await asyncio.to_thread(head)
    except OSError as exc:
        print(f"studybot: cannot read {file}: {exc.strerror}", file=sys.stderr)
        return 2
    library = load_library(settings.content_dir)
    read = read_set(file.name, data, library.terms)
    for problem in read.problems:
        print(f"{file.name}: {problem.code} {dict(problem.values)}", file=sys.stderr)
    if read.problems:
        return 1
    for row in read.broken:
        reasons = ", ".join(i.code for i in row.issues)
        print(f"row {row.number}: left out ({reasons}): {row.draft.stem[:40]}", file=sys.stderr)
    db = Database(settings.db_url)
    try:
        platform, _, key = chat.rpartition(":")
        where = chats.c.id == int(chat) if chat.isdigit() else (
            (chats.c.platform == platform) & (chats.c.chat_key == key)
        )  # fmt: skip
        async with db.read() as conn:
            found = (await conn.execute(select(chats.c.id).where(where))).first()
            if found is None:
                print(f"studybot: no chat {chat} in the database", file=sys.stderr)
                return 2
            author = (
                await conn.execute(
                    select(instructors.c.user_id).where(instructors.c.chat_id == found.id)
                )
            ).first()
        if author is None:
            print(f"studybot: chat {chat} has no instructor to own the drafts", file=sys.stderr)
            return 2
        drafts = [r.draft for r in read.good]
        bank = QuestionBank(db, library)
        numbers = await bank.add_many(found.id, author.user_id, drafts, DRAFT, datetime.now(UTC))
    finally:
        await db.dispose()
    for number, row in zip(numbers, read.good, strict=True):
        print(f"row {row.number}: chat-{number} {row.draft.stem[:60]}")
    print(f"{len(numbers)} drafts added; publish them with /qset publish", file=sys.stderr)
    return 0


def _content_import(notes: Path, output: Path | None, subject: str | None) -> int:
    from bot.content.importer import import_file
    from bot.content.importer.subjects import guess_subject, unclear_message

    if not notes.is_file():
        print(f"studybot: {notes} is not a file", file=sys.stderr)
        return 2
    if subject is None:
        guess = guess_subject(notes.read_text(encoding="utf-8-sig"))
        if guess.subject is None:
            print(f"studybot: {unclear_message(guess)}", file=sys.stderr)
            return 2
        subject = guess.subject
        print(
            f"subject: {subject} (from the notes' words: {guess.security} lines of "
            f"정보보호론, {guess.computer} of 컴퓨터일반; --subject overrides)",
            file=sys.stderr,
        )
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
    from bot.storage.migrate import current_revision, head_revision

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.db_url)
    try:
        if action == "check":
            from bot.services.scores import ScoreService

            problems = await ScoreService(db).check(settings.timezone)
            for problem in problems:
                print(problem)
            if problems:
                print("studybot: the board totals differ from the answers", file=sys.stderr)
                return 1
            print("board totals agree with the answers")
            return 0
        if action == "upgrade":
            from bot.ops.startup import prepare_database

            await prepare_database(db)
        revision = await current_revision(db)
        print(f"database at revision {revision} (head {head_revision()})")
    finally:
        await db.dispose()
    return 0


def _db_backup(path: Path, settings: Settings) -> int:
    from bot.ops.backup import PG_DUMP_HINT, backup_sqlite, sqlite_file

    source = sqlite_file(settings.db_url)
    if source is None:
        print(f"studybot: {PG_DUMP_HINT}", file=sys.stderr)
        return 2
    info = backup_sqlite(source, path)
    print(f"backed up {source} to {info.describe()}")
    return 0


def _db_restore(path: Path, settings: Settings) -> int:
    from bot.ops.backup import PG_DUMP_HINT, database_lock, restore_sqlite, sqlite_file

    if sqlite_file(settings.db_url) is None:
        print(f"studybot: {PG_DUMP_HINT}", file=sys.stderr)
        return 2
    with database_lock(settings.db_url, exclusive=True):
        info, saved = restore_sqlite(path, settings.db_url)
    print(f"restored {info.describe()}")
    if saved is not None:
        print(f"the database it replaced is kept as {saved}")
    print("the next start applies any newer migrations")
    return 0


async def _db_transfer(action: str, path: Path, settings: Settings) -> int:
    from bot.ops.backup import database_lock
    from bot.ops.doctor import shown_url
    from bot.ops.transfer import export_database, import_database
    from bot.storage.db import Database

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with database_lock(settings.db_url, exclusive=False):
        db = Database(settings.db_url)
        try:
            if action == "export":
                counts = await export_database(db, path)
            else:
                from bot.ops.startup import prepare_database

                await prepare_database(db, migrate=False)
                counts = await import_database(db, path)
        finally:
            await db.dispose()
    rows = ", ".join(f"{n} {table}" for table, n in counts.items())
    where = f"from {shown_url(settings.db_url)} to {path}"
    if action == "import":
        where = f"from {path} into {shown_url(settings.db_url)}"
    print(f"{action}ed {sum(counts.values())} rows {where} ({rows})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "doctor":
        # The doctor reports a broken configuration as one of its checks.
        from bot.ops.doctor import run_doctor

        return asyncio.run(run_doctor(args.config, quick=args.quick, full=args.full))
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"studybot: {exc}", file=sys.stderr)
        return 2
    from bot.logsetup import setup_logging

    setup_logging(settings, console=_talks_on_the_console(args, settings))
    try:
        return _dispatch(args, settings)
    except KeyboardInterrupt:
        return 130


def _talks_on_the_console(args: argparse.Namespace, settings: Settings) -> bool:
    """The terminal is the conversation: `console`, or `run` with no platform token."""
    if args.command == "console":
        return True
    return args.command == "run" and not (settings.telegram_token or settings.discord_token)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import StopCutShort, run, run_console
    from bot.content.loader import ContentError
    from bot.errors import StartupError
    from bot.ops.backup import BackupError
    from bot.ops.transfer import TransferError

    try:
        if args.command == "content":
            if args.content_command == "check":
                return _content_check(args.path, settings)
            if args.content_command == "questions":
                return _content_questions(args.path, args.chapter, args.json, settings)
            if args.content_command == "import-csv":
                return asyncio.run(_content_import_csv(args.file, args.chat, settings))
            return _content_import(args.notes, args.output, args.subject)
        if args.command == "db":
            if args.db_command == "backup":
                return _db_backup(args.path, settings)
            if args.db_command == "restore":
                return _db_restore(args.path, settings)
            if args.db_command in ("export", "import"):
                return asyncio.run(_db_transfer(args.db_command, args.file, settings))
            return asyncio.run(_db(args.db_command, settings))
        if args.command == "discord":
            from bot.app import discord_sync

            if args.clear and args.guild is None:
                print("studybot: --clear needs --guild", file=sys.stderr)
                return 2
            asyncio.run(discord_sync(settings, args.guild, clear=args.clear))
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
    except (BackupError, TransferError) as exc:
        print(f"studybot: {exc}", file=sys.stderr)
        return 1
    except StopCutShort as exc:
        print(f"studybot: {exc}; what was left is picked up on the next start", file=sys.stderr)
        return 1
    except OSError as exc:
        # Name the path: "Permission denied" alone does not say which folder to fix.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"studybot: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
