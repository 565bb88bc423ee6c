"""The bigram search table without token positions (``detail=none``): it only ever answers
single-token queries (see app/storage/search.py). Recreated and the whole index rebuilt from
the rows as they are now.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "body, content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 0')"
)


def _rebuild(ddl: str) -> None:
    from app.storage import search

    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute(ddl)
    search.rebuild_all(op.get_bind().connection.driver_connection)


def upgrade() -> None:
    from app.storage import search

    _rebuild(search.FTS_DDL)


def downgrade() -> None:
    _rebuild(_OLD_DDL)
