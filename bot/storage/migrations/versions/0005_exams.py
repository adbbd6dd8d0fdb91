"""exams: timed mock exams (모의고사), a paper per sitting and its questions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10

A paper stores its deadline, so a restart re-arms the timer with the time that is left
and grades a paper whose deadline passed while the bot was down. One open paper per
person (a partial unique index on both engines). Each question keeps the key it was set
with, the post its card is answered through, and the answer, which may change until the
paper is graded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    op.create_table(
        "exam_papers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("total", sa.SmallInteger, nullable=False),
        sa.Column("minutes", sa.SmallInteger, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("deadline", TS, nullable=False),
        sa.Column("at_slot", sa.SmallInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("ended_at", TS),
        sa.Column("ended_by", sa.String(16)),
        sa.Column("right_count", sa.SmallInteger),
        sa.Column("score", sa.SmallInteger),
    )
    op.create_index(
        "uq_exam_papers_open",
        "exam_papers",
        ["user_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index("ix_exam_papers_user", "exam_papers", ["user_id", "id"])
    op.create_index("ix_exam_papers_due", "exam_papers", ["state", "deadline"])
    op.create_table(
        "exam_items",
        sa.Column("paper_id", sa.Integer, sa.ForeignKey("exam_papers.id"), primary_key=True),
        sa.Column("slot", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("topic", sa.String(120), nullable=False),
        sa.Column("answer_key", sa.String(32), nullable=False),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id"), nullable=False),
        sa.Column("option", sa.SmallInteger),
        sa.Column("shown_at", TS),
        sa.Column("answered_at", TS),
        sa.Column("correct", sa.Boolean),
        sa.UniqueConstraint("paper_id", "question_id", name="uq_exam_items_question"),
        sa.UniqueConstraint("post_id", name="uq_exam_items_post"),
    )


def downgrade() -> None:
    op.drop_table("exam_items")
    op.drop_index("ix_exam_papers_due", table_name="exam_papers")
    op.drop_index("ix_exam_papers_user", table_name="exam_papers")
    op.drop_index("uq_exam_papers_open", table_name="exam_papers")
    op.drop_table("exam_papers")
