"""a backlog of group answers whose review-card write is done after the answer

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04

Recording a group answer wrote the person's review card in the same transaction: three
to five statements more than the answer itself, which made a burst of answers take three
times as long and put recording an answer over 2 ms at the 99th percentile on PostgreSQL.
The answer's transaction now stores a row here instead; bot.services.review_backlog
applies the reviews shortly after, and before anything reads the person's cards.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_backlog",
        sa.Column("answer_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
    )
    op.create_index("ix_review_backlog_user", "review_backlog", ["user_id", "answer_id"])


def downgrade() -> None:
    op.drop_index("ix_review_backlog_user", table_name="review_backlog")
    op.drop_table("review_backlog")
