"""Merged persons and households follow their survivor in scope (issue 14): a
``merged_person`` / ``merged_household`` link (a = the survivor, b = the merged record) for
each stored record whose ``merged_into_id`` is set, as app/server/crud/indexes.py now writes
them. Without it a tombstone leaves every scope once nothing refers to it, and the merge mark
(or its undo) never reaches the laptops that hold it.

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

_KINDS = {"person": "merged_person", "household": "merged_household"}
_record = sa.table(
    "record",
    sa.column("table_name", sa.String),
    sa.column("id", sa.String),
    sa.column("data", sa.JSON),
    sa.column("deleted", sa.Boolean),
)
_link = sa.table(
    "scope_link",
    sa.column("row_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("a", sa.String),
    sa.column("b", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("granted", sa.Boolean),
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        merged_into = sa.literal_column("(record.data ->> 'merged_into_id')", sa.String)
    else:
        merged_into = sa.literal_column("json_extract(record.data, '$.merged_into_id')", sa.String)
    rows = conn.execute(
        sa.select(_record.c.table_name, _record.c.id, merged_into, _record.c.deleted).where(
            _record.c.table_name.in_(sorted(_KINDS)), merged_into.is_not(None)
        )
    ).all()
    if rows:
        op.bulk_insert(
            _link,
            [
                {"row_id": i, "kind": _KINDS[t], "a": a, "b": i, "active": not d, "granted": False}
                for t, i, a, d in rows
            ],
        )


def downgrade() -> None:
    op.get_bind().execute(sa.delete(_link).where(_link.c.kind.in_(sorted(_KINDS.values()))))
