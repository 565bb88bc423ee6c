"""Master data administrators edit (issue 16): 小学校区 (``school_zone``) and issue categories
(``issue_category``) are master-data records like districts and agencies, so the partial index
a limited pull reads master data by (``ix_record_master_seq``, migration 0004) now names them;
``yorisoi-server migrate`` seeds their rows (app.domain.seed) after this revision.

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

# As in app/server/models.py (a migration keeps its own copy).
_MASTER = (
    "table_name IN ('agency', 'district', 'issue_category', 'resource', 'school_zone', 'staff')"
)
_BEFORE = "table_name IN ('agency', 'district', 'resource', 'staff')"


def _index(predicate: str) -> None:
    op.drop_index("ix_record_master_seq", table_name="record")
    op.create_index(
        "ix_record_master_seq",
        "record",
        ["seq"],
        postgresql_where=sa.text(predicate),
        sqlite_where=sa.text(predicate),
    )


def upgrade() -> None:
    _index(_MASTER)


def downgrade() -> None:
    _index(_BEFORE)
