"""review cards: each person's FSRS card per question, the review log, per-person settings

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08

The personal review deck (오답노트): a card per person and question holding the fsrs
package's Card state column by column, every review FSRS was told of, and each person's
desired retention and daily reminder. Posts get an index on question_id so the rating
can compare an answer's time with others' answers to the same question.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("in_deck", sa.Boolean, nullable=False),
        sa.Column("deck_no", sa.Integer),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("step", sa.SmallInteger),
        sa.Column("stability", sa.Float),
        sa.Column("difficulty", sa.Float),
        sa.Column("due", TS, nullable=False),
        sa.Column("last_review", TS),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("lapses", sa.Integer, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("user_id", "question_id", name="uq_review_cards_user_question"),
        sa.UniqueConstraint("user_id", "deck_no", name="uq_review_cards_user_no"),
    )
    op.create_index("ix_review_cards_due", "review_cards", ["user_id", "in_deck", "due"])
    op.create_table(
        "review_logs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("card_id", sa.Integer, sa.ForeignKey("review_cards.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id")),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rating", sa.SmallInteger, nullable=False),
        sa.Column("reviewed_at", TS, nullable=False),
        sa.Column("duration_ms", sa.Integer),
        sa.UniqueConstraint("user_id", "post_id", name="uq_review_logs_user_post"),
    )
    op.create_index("ix_review_logs_card", "review_logs", ["card_id", "reviewed_at"])
    op.create_table(
        "review_settings",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("retention", sa.Float, nullable=False),
        sa.Column("remind_at", sa.String(5)),
        sa.Column("remind_zone", sa.String(64)),
        sa.Column("dm_chat_id", sa.Integer, sa.ForeignKey("chats.id")),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_posts_question", "posts", ["question_id", "kind"])


def downgrade() -> None:
    op.drop_index("ix_posts_question", table_name="posts")
    op.drop_table("review_settings")
    op.drop_index("ix_review_logs_card", table_name="review_logs")
    op.drop_table("review_logs")
    op.drop_index("ix_review_cards_due", table_name="review_cards")
    op.drop_table("review_cards")
