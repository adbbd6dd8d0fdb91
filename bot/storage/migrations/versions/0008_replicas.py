"""replicas: when an outbox send began and what the platform answered; a shared rate budget

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-13

outbox.sending_at is set just before the platform call and cleared when the answer is
recorded (with the message id, outbox.message_ref), so a row left with sending_at and no
sent_at is one whose process died during the send itself. rate_budgets holds one row per
bot token (platform): the time its next message may go, which every replica on PostgreSQL
moves forward with one UPDATE … RETURNING before each send.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sending_at", TS))
        batch.add_column(sa.Column("message_ref", sa.String(64)))
    op.create_table(
        "rate_budgets",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("next_free", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rate_budgets")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("message_ref")
        batch.drop_column("sending_at")
