"""Households edited and merged (issue 14): a membership's join and leave dates (a member who
leaves is kept, with the day they left), a household merged into another (kept as a tombstone
that points at the survivor, like a merged person), and, on a merged person or household, the
record of what the merge moved, so that a coordinator's undo moves back exactly that.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("household_member", sa.Column("joined_on", sa.Date(), nullable=True))
    op.add_column("household_member", sa.Column("left_on", sa.Date(), nullable=True))
    op.add_column("household", sa.Column("merged_into_id", sa.String(36), nullable=True))
    op.add_column("household", sa.Column("merge_record", sa.Text(), nullable=True))
    op.add_column("person", sa.Column("merge_record", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+), never a batch copy: other tables refer to these, and
    # SQLite refuses to drop a referenced table while the foreign keys are on.
    op.drop_column("person", "merge_record")
    op.drop_column("household", "merge_record")
    op.drop_column("household", "merged_into_id")
    op.drop_column("household_member", "left_on")
    op.drop_column("household_member", "joined_on")
