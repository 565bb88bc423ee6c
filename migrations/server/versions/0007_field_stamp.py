"""Per-field provenance: who set each field of a record, and when (``field_stamp``)

Revision ID: 0007
Revises: 0005

Conflicts report the person who set the conflicting field, not the row's last writer
(crud/provenance.py). Rows updated before this migration have no stamps: their conflicts name
the row's last writer, as before. (Merge note: this revision follows the last server revision
of the branch it lands on; on this branch that is 0004.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_stamp",
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("staff_id", sa.String(36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("table_name", "row_id", "field", name=op.f("pk_field_stamp")),
    )


def downgrade() -> None:
    op.drop_table("field_stamp")
