"""group study: daily subscriptions, outbox, instructors, announcements, contests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("posts", sa.Column("native_ref", sa.String(128)))
    op.add_column("posts", sa.Column("contest_id", sa.Integer))
    op.create_index("ix_posts_native_ref", "posts", ["native_ref"])
    op.add_column("chats", sa.Column("gone_at", TS))
    op.create_table(
        "instructors",
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("added_at", TS, nullable=False),
    )
    op.create_index("ix_instructors_user", "instructors", ["user_id"])
    op.create_table(
        "daily_subscriptions",
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("at_time", sa.String(5), nullable=False),
        sa.Column("close_time", sa.String(5), nullable=False),
        sa.Column("topics", sa.Text, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("origin_chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("due_at", TS, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id")),
        sa.Column("announcement_id", sa.Integer, sa.ForeignKey("announcements.id")),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("claimed_at", TS),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("sent_at", TS),
        sa.Column("cancelled_at", TS),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String(200)),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["sent_at", "cancelled_at", "due_at"])
    op.create_table(
        "contests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), nullable=False),
        sa.Column("started_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Integer, nullable=False),
        sa.Column("asked", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
    )
    # One running contest per chat, enforced by the database rather than by memory.
    op.create_index(
        "uq_contests_running",
        "contests",
        ["chat_id"],
        unique=True,
        sqlite_where=sa.text("state = 'running'"),
        postgresql_where=sa.text("state = 'running'"),
    )


def downgrade() -> None:
    op.drop_index("uq_contests_running", table_name="contests")
    op.drop_table("contests")
    op.drop_table("outbox")
    op.drop_table("announcements")
    op.drop_table("daily_subscriptions")
    op.drop_table("instructors")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("gone_at")
    op.drop_index("ix_posts_native_ref", table_name="posts")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("contest_id")
        batch.drop_column("native_ref")
