"""Seed the six districts and the agencies of the city's shared support system.

Ids are fixed (UUIDv5 of the code) so every laptop and the server agree on them.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.domain.seed import seed_rows

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table, rows in seed_rows():
        for row in rows:
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            stmt = sa.text(f'INSERT OR IGNORE INTO "{table}" ({cols}) VALUES ({marks})')
            op.execute(stmt.bindparams(**row))


def downgrade() -> None:
    for table, rows in reversed(seed_rows()):
        for row in rows:
            op.execute(sa.text(f'DELETE FROM "{table}" WHERE id = :id').bindparams(id=row["id"]))
