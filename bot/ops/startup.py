"""Open the database for a start: each way it can be wrong becomes one StartupError line.

`run`, `console` and the `db` commands go through here, so a damaged file, a database
that does not exist, a server that never answers or somebody else's tables end the start
with one line that says what was tried and what to do, never with a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, make_url

from bot.errors import StartupError
from bot.ops.backup import sqlite_file
from bot.ops.doctor import reason, shown_url
from bot.storage.db import CONNECT_TIMEOUT_S, Database, sqlite_quick_check
from bot.storage.migrate import current_revision, upgrade
from bot.storage.tables import metadata

log = logging.getLogger(__name__)

RESTORE_HINT = "stop every studybot and restore a backup: studybot db restore BACKUP_FILE"


def check_sqlite_file(db_file: Path) -> None:
    """Refuse a file SQLite cannot read or whose pages fail PRAGMA quick_check."""
    if not db_file.exists():
        return
    problem = sqlite_quick_check(db_file)
    if problem is not None:
        raise StartupError(f"the database {db_file} is damaged ({problem}); {RESTORE_HINT}")


def _where(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def _ours(connection: Connection) -> list[str]:
    present = set(inspect(connection).get_table_names())
    return sorted(present & set(metadata.tables))


async def prepare_database(db: Database, *, migrate: bool = True) -> None:
    """Check the database is usable and studybot's own, then apply pending migrations."""
    url = db.url
    shown = shown_url(url)
    db_file = sqlite_file(url)
    if db_file is not None:
        check_sqlite_file(db_file)
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_S + 5):
            revision = await current_revision(db)
            if revision is None:
                async with db.engine.connect() as conn:
                    foreign = await conn.run_sync(_ours)
                if foreign and await current_revision(db) is None:
                    # (A replica starting beside us may have just committed its migrations.)
                    raise StartupError(
                        f"{shown} already has tables named like studybot's ({', '.join(foreign)}) "
                        "but no studybot migration record: it belongs to something else; "
                        "point STUDYBOT_DATABASE_URL (or STUDYBOT_DATA_DIR) at a new database"
                    )
    except StartupError:
        raise
    except TimeoutError:
        raise StartupError(
            f"cannot use {shown}: no answer from {_where(url)} within "
            f"{CONNECT_TIMEOUT_S:.0f}s; check the host, the port and the firewall"
        ) from None
    except Exception as exc:
        log.debug("opening %s failed", shown, exc_info=True)
        why = reason(exc, url)
        if db_file is None:
            why += f" (tried {_where(url)})"
        raise StartupError(f"cannot use {shown}: {why}") from None
    if not migrate:
        return
    try:
        await upgrade(db)
    except Exception as exc:
        log.debug("migrating %s failed", shown, exc_info=True)
        raise StartupError(f"cannot migrate {shown}: {reason(exc, url)}") from None
