"""A device's scope check can be skipped while nothing it depends on changed; master data
by sequence

``ix_record_master_seq`` (partial: master-data rows only) lets a pull find the new master
rows of its window without walking the window's case data.

Revision ID: 0004
Revises: 0003

``device.scope_seen_at``: the sequence value at the pull that last compared the device's scope
with what it was sent; ``scope_viewer``: whose scope that was (role, staff, agency,
districts); ``scope_acked_from``: the cursor from which the device has received every scope
change announced to it. The ``scope`` counter row (written by pushes) holds the sequence
number of the latest write to the scope index tables. NULL: not known, the check runs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# As in app/server/models.py (a migration keeps its own copy).
_MASTER = "table_name IN ('agency', 'district', 'resource', 'staff')"


def upgrade() -> None:
    op.create_index(
        "ix_record_master_seq",
        "record",
        ["seq"],
        postgresql_where=sa.text(_MASTER),
        sqlite_where=sa.text(_MASTER),
    )
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("scope_seen_at", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("scope_viewer", sa.String(64), nullable=True))
        batch.add_column(sa.Column("scope_acked_from", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # The counter row would no longer be kept up to date: drop it with the columns.
    op.execute("DELETE FROM counter WHERE name = 'scope'")
    with op.batch_alter_table("device") as batch:
        batch.drop_column("scope_acked_from")
        batch.drop_column("scope_viewer")
        batch.drop_column("scope_seen_at")
    op.drop_index("ix_record_master_seq", table_name="record")
