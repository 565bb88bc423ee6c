"""A person record merged into another (issue 14, duplicate persons): the merged record is kept
(nothing a person recorded is deleted) and points at the record that survives.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("person", sa.Column("merged_into_id", sa.String(36), nullable=True))


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+), never a batch copy: other tables refer to these, and
    # SQLite refuses to drop a referenced table while the foreign keys are on.
    op.drop_column("person", "merged_into_id")
