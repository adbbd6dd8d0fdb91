"""A throwaway PostgreSQL database, for the command line (which cannot set search_path)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from bot.storage.db import make_engine

PG_ENV = "STUDYBOT_TEST_POSTGRES_URL"


@pytest.fixture
async def pg_database() -> AsyncIterator[str]:
    """The URL of a new, empty database on the test server; dropped afterwards."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set, so this PostgreSQL test is skipped")
    name = f"studybot_ops_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()
