"""Drop ix_contact_record_case_id: ix_contact_record_case_at (case_id, contact_at) serves every
lookup by case, and the extra index made each of the largest table's inserts dearer.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_contact_record_case_id", table_name="contact_record")


def downgrade() -> None:
    op.create_index("ix_contact_record_case_id", "contact_record", ["case_id"])
