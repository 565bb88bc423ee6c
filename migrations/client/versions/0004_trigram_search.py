"""Trigram search table beside the bigram one (queries of 3+ characters use it), filled from
the current rows.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from app.storage import search

    op.execute(search.TRI_DDL)
    conn = op.get_bind().connection.driver_connection
    # Rebuild every entry (both tables) from the rows as they are now.
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_doc")
    ids = {
        t: [r[0] for r in conn.execute(f'SELECT id FROM "{t}" WHERE deleted = 0')]
        for t in ("person", "case", "resource")
    }
    search.reindex(conn, persons=ids["person"], cases=ids["case"], resources=ids["resource"])


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_tri")
