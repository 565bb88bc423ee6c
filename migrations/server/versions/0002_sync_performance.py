"""sync performance: record.data as json text

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 03:00:00

``record.data`` becomes ``json`` on PostgreSQL: the server never queries inside it, ``json``
is cheaper to write than ``jsonb`` and a pull returns the stored text without re-encoding.
SQLite already stores JSON as text: nothing changes there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "record",
            "data",
            type_=sa.JSON(),
            existing_type=postgresql.JSONB(astext_type=sa.Text()),
            postgresql_using="data::json",
            existing_nullable=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "record",
            "data",
            type_=postgresql.JSONB(astext_type=sa.Text()),
            existing_type=sa.JSON(),
            postgresql_using="data::jsonb",
            existing_nullable=False,
        )
