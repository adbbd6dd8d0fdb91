"""오류신고 and re-scoring: reports on questions, and re-score jobs

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

question_reports keeps each person's report of a wrong question (one per person, chat and
question). rescore_jobs records that every stored answer to a question must be scored
against a new key; a job is claimed and applied in one transaction with its effects, so a
restart half-way leaves it pending and the next start finishes it. content_keys remembers
each bundled question's key and options as the last start saw them, so a corrected key is
told apart from reordered options.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "question_reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("resolved_at", TS),
        sa.Column("resolved_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.UniqueConstraint("chat_id", "question_id", "user_id", name="uq_question_reports_once"),
    )
    op.create_index(
        "ix_question_reports_open", "question_reports", ["chat_id", "resolved_at", "id"]
    )
    op.create_table(
        "rescore_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("new_key", sa.String(32), nullable=False),
        sa.Column("old_key", sa.String(32)),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("requested_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("claimed_at", TS),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("done_at", TS),
        sa.Column("answers_changed", sa.Integer),
    )
    op.create_index("ix_rescore_jobs_pending", "rescore_jobs", ["done_at", "id"])
    op.create_table(
        "content_keys",
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("answers", sa.String(32), nullable=False),
        sa.Column("options_hash", sa.String(64), nullable=False),
        sa.Column("seen_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("content_keys")
    op.drop_index("ix_rescore_jobs_pending", table_name="rescore_jobs")
    op.drop_table("rescore_jobs")
    op.drop_index("ix_question_reports_open", table_name="question_reports")
    op.drop_table("question_reports")
