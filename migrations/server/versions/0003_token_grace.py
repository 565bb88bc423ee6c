"""Previous device token stays valid for a short grace period after a refresh

Revision ID: 0003
Revises: 0002

If the answer to /auth/refresh is lost, the laptop still holds the old token; without a grace
period it would be locked out and need re-enrolling.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("prev_token_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("prev_token_valid_until", sa.DateTime(), nullable=True))
        batch.create_index("ix_device_prev_token_hash", ["prev_token_hash"])


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_index("ix_device_prev_token_hash")
        batch.drop_column("prev_token_valid_until")
        batch.drop_column("prev_token_hash")
