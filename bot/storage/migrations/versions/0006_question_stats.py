"""question stats: each question's answers across every chat, by option

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10

The reveal's 전체 정답률, /hard and /stats's suspicious keys read these maintained counts;
they are built here from the closed posts already stored (reviews are not counted).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_stats",
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("option", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("picks", sa.Integer, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
    )
    op.execute(
        """
        INSERT INTO question_stats (question_id, option, picks, accepted)
        SELECT p.question_id, a.option, COUNT(*),
               SUM(CASE WHEN a.correct THEN 1 ELSE 0 END)
        FROM answers a JOIN posts p ON p.id = a.post_id
        WHERE p.closed_at IS NOT NULL AND p.kind <> 'review'
        GROUP BY p.question_id, a.option
        """
    )


def downgrade() -> None:
    op.drop_table("question_stats")
