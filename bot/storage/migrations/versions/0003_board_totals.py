"""board totals: per-period points per chat and person, rank histograms, daily streaks

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Boards used to aggregate a period's answers on every /top; they now read maintained
totals, applied when a post closes (so nothing open gives away who is right). This
revision creates the tables and builds them from the answers already stored, streaming
each chat's answers in time order so memory stays bounded by one chat's month.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # period: "d" local day, "w" week from Monday, "m" month, in the chat's zone; bucket:
    # the period's start instant in minutes since the epoch.
    op.create_table(
        "board_totals",
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("period", sa.String(1), primary_key=True),
        sa.Column("bucket", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_board_totals_rank",
        "board_totals",
        ["chat_id", "period", "bucket", sa.text("points DESC"), "user_id"],
    )
    # How many people hold each score, per board ("a" is the all-time board, bucket 0):
    # a rank and the player count are sums over distinct scores, not counts over people.
    op.create_table(
        "board_points",
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("period", sa.String(1), primary_key=True),
        sa.Column("bucket", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("points", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("players", sa.Integer, nullable=False),
    )
    op.create_table(
        "streaks",
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("streak", sa.Integer, nullable=False),
        sa.Column("last_post_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "streak_heads",
        sa.Column("chat_id", sa.Integer, sa.ForeignKey("chats.id"), primary_key=True),
        sa.Column("post_id", sa.Integer, nullable=False),
    )
    # The all-time top reads (points DESC, user_id) straight from the index.
    op.drop_index("ix_scores_chat_points", table_name="scores")
    op.create_index("ix_scores_rank", "scores", ["chat_id", sa.text("points DESC"), "user_id"])

    from bot.services.scores import rebuild_totals

    zone = os.environ.get("STUDYBOT_TIMEZONE", "").strip() or "Asia/Seoul"
    rebuild_totals(op.get_bind(), zone)


def downgrade() -> None:
    op.drop_index("ix_scores_rank", table_name="scores")
    op.create_index("ix_scores_chat_points", "scores", ["chat_id", "points"])
    op.drop_table("streak_heads")
    op.drop_table("streaks")
    op.drop_table("board_points")
    op.drop_index("ix_board_totals_rank", table_name="board_totals")
    op.drop_table("board_totals")
