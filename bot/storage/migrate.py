"""Apply the Alembic migrations from inside our own event loop."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.storage.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")
# The first key of the advisory lock every replica takes around its migrations; the second
# is the schema's name hashed, so databases (or test schemas) on one server do not wait on
# each other. Any constant works, as long as every studybot uses the same one.
MIGRATION_LOCK = 0x57B0_0001
LOCK_MIGRATIONS = text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(db: Database, target: str = "head") -> None:
    """Bring the schema to target; any number of processes may call this at once.

    On PostgreSQL the whole upgrade is one transaction that first takes a transaction-scoped
    advisory lock: a second replica starting at the same time waits for the first to commit,
    then reads the new revision and has nothing left to do (Alembic runs inside our
    transaction and leaves the commit to us). SQLite serialises the writers itself.
    """
    cfg = alembic_config()

    def run(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(LOCK_MIGRATIONS, {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, target)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def current_revision(db: Database) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(read)
