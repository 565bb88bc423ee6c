"""Partial indexes of merged records (tombstones), read after every sync to finish merges
(app/sync/merge_completion.py): the query then reads the few tombstones, not every person.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("person", "household"):
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_merged ON {table} (merged_into_id)"
            " WHERE merged_into_id IS NOT NULL"
        )


def downgrade() -> None:
    for table in ("person", "household"):
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_merged")
