"""chats, users, posts, answers and scores

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "chats",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("chat_key", sa.String(64), nullable=False),
        sa.Column("is_group", sa.Boolean, nullable=False),
        sa.Column("title", sa.String(200)),
        sa.Column("locale", sa.String(8)),
        sa.Column("timezone", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("platform", "chat_key", name="uq_chats_platform_key"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.UniqueConstraint("platform", "user_key", name="uq_users_platform_key"),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("options_count", sa.SmallInteger, nullable=False),
        sa.Column("correct", sa.String(32), nullable=False),
        sa.Column("opened_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closes_at", TS),
        sa.Column("closed_at", TS),
        sa.Column("message_ref", sa.String(64)),
    )
    op.create_index("ix_posts_chat_open", "posts", ["chat_id", "closed_at"])
    op.create_index("ix_posts_open_due", "posts", ["closed_at", "closes_at"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id"), nullable=False),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("option", sa.SmallInteger, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("elapsed_ms", sa.Integer, nullable=False),
        sa.Column("answered_at", TS, nullable=False),
        sa.UniqueConstraint("post_id", "user_id", name="uq_answers_post_user"),
    )
    op.create_index("ix_answers_chat_time", "answers", ["chat_id", "answered_at"])
    op.create_table(
        "scores",
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
    )
    op.create_index("ix_scores_chat_points", "scores", ["chat_id", "points"])


def downgrade() -> None:
    op.drop_table("scores")
    op.drop_table("answers")
    op.drop_table("posts")
    op.drop_table("users")
    op.drop_table("chats")
