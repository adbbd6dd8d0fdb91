"""question images: a picture a chat's question carries, kept in the database

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03

question_images holds the bytes of each picture an instructor sent for a question (a
Telegram photo, a Discord attachment, a file on the console), checked by its bytes and
capped in size before it is stored; chat_questions.image_id points at it.
chat_questions.source keeps the source column of an imported set (never a 기출 label).
The database, not the data folder, so every replica on one PostgreSQL shows the same picture and a
backup of the database carries it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "question_images",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    with op.batch_alter_table("chat_questions") as batch:
        batch.add_column(
            sa.Column(
                "image_id",
                sa.Integer,
                sa.ForeignKey("question_images.id", name="fk_chat_questions_image"),
            )
        )
        batch.add_column(sa.Column("source", sa.String(120)))


def downgrade() -> None:
    with op.batch_alter_table("chat_questions") as batch:
        batch.drop_column("source")
        batch.drop_column("image_id")
    op.drop_table("question_images")
