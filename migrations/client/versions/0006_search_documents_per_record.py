"""Search documents hold only their own record's text (a case search joins the persons it
matches at query time), each kind in its own rowid range: rebuild the whole index.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from app.storage import search

    search.rebuild_all(op.get_bind().connection.driver_connection)


def downgrade() -> None:
    # The old layout cannot be rebuilt from here (its code is gone); an empty index at least
    # never answers wrongly. Re-run the upgrade to fill it again.
    conn = op.get_bind().connection.driver_connection
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    conn.execute("INSERT INTO search_tri(search_tri) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_doc")
