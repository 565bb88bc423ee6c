"""Who received what: the cases each device was sent

Revision ID: 0005
Revises: 0004

``device_case_receipt``: one row per device and case it was sent (by id): when a pull first
and last carried the case's rows, and when a purge of it was announced (NULL while the device
holds it). Answers "which devices and users hold case X, since when".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_case_receipt",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("first_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        # By case first: "who holds case X" is the question; one index only.
        sa.PrimaryKeyConstraint("case_id", "device_id", name="pk_device_case_receipt"),
    )


def downgrade() -> None:
    op.drop_table("device_case_receipt")
