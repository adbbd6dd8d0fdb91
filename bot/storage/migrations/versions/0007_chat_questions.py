"""a chat's own questions: authored, suggested and reviewed in the chat, shared between chats

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12

chat_questions holds every question a study group wrote (draft, pending review, live,
retired or rejected); question_shares lets another chat of the same instructor draw on a
chat's set; authoring_sessions keeps a person's half-finished question (a Telegram quiz poll
waiting for its group, 해설 and topic) across a restart.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "chat_questions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("stem", sa.Text, nullable=False),
        sa.Column("options", sa.Text, nullable=False),  # JSON list of texts
        sa.Column("answers", sa.String(32), nullable=False),  # "3" or "2,3"
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("topics", sa.Text, nullable=False),  # JSON list of texts
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("reviewed_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("reviewed_at", TS),
    )
    op.create_index("ix_chat_questions_chat", "chat_questions", ["chat_id", "state", "id"])
    op.create_table(
        "question_shares",
        sa.Column("from_chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("to_chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("shared_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("shared_at", TS, nullable=False),
    )
    op.create_index("ix_question_shares_to", "question_shares", ["to_chat_id"])
    op.create_table(
        "authoring_sessions",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),  # JSON: the draft and the choices
        sa.Column("updated_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("authoring_sessions")
    op.drop_index("ix_question_shares_to", table_name="question_shares")
    op.drop_table("question_shares")
    op.drop_index("ix_chat_questions_chat", table_name="chat_questions")
    op.drop_table("chat_questions")
