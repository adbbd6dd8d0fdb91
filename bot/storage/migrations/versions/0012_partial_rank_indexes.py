"""partial rank indexes: the board indexes hold positive scores only

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

A board's top rows read ix_scores_rank or ix_board_totals_rank (points DESC, user_id); the
caller's row is read by (chat_id[, period, bucket], user_id). Both indexes could serve that
lookup, and a cached generic plan (asyncpg prepares every statement; PostgreSQL switches
to a generic plan after five executions) estimates a bucket by its average size, so it may
pick the rank index and read the whole bucket for one row. With "WHERE points > 0" the
rank indexes can serve only a query that says points > 0 itself (the top rows; zero scores
are never ranked), and the caller's lookup is left with the primary key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

POSITIVE = sa.text("points > 0")
INDEXES: dict[str, tuple[str, list[str | sa.TextClause]]] = {
    "ix_scores_rank": ("scores", ["chat_id", sa.text("points DESC"), "user_id"]),
    "ix_board_totals_rank": (
        "board_totals",
        ["chat_id", "period", "bucket", sa.text("points DESC"), "user_id"],
    ),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, postgresql_where=POSITIVE, sqlite_where=POSITIVE)


def downgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
