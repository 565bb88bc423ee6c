"""Running the client's Alembic migrations on open, after an automatic backup.

Opening a database that is already at the head revision must not pay for Alembic: importing it
and reading every migration script costs about a tenth of a second on each ``yorisoi`` command
(issue 17, item 11). So the open path first compares the database's ``alembic_version`` with
the newest revision named in the versions folder (file names only, nothing imported or read),
and imports and runs Alembic only when they differ, which is also the only case that needs the
pre-migration backup. tests/core/test_migrations.py checks that the file names give the same head
as Alembic's own reading of the scripts.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from app.storage.backup import backup_path, backup_to
from app.storage.db import Store
from app.storage.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# Client revisions are numbered and their files named after the number: 0009_form_fields.py
# holds revision "0009".
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir("client")))
    return cfg


def head_revision() -> str:
    """The head as Alembic reads it from the scripts (imports Alembic: not for the open path)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_head() -> str | None:
    """The newest revision named in the versions folder, from the file names alone; None when
    the folder holds no numbered script (then only Alembic can tell)."""
    try:
        names = [p.name for p in (migrations_dir("client") / "versions").iterdir()]
    except OSError:
        return None
    numbers = [m.group(1) for m in map(_REVISION_FILE.match, names) if m]
    return max(numbers) if numbers else None


def stored_revision(store: Store) -> str | None:
    """The database's ``alembic_version``, read with one plain query; None when there is no
    table or not exactly one row (a new database, or one only Alembic can judge)."""
    with store.raw() as conn:
        cur = conn.driver_connection.cursor()
        try:
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            )
            if cur.fetchone() is None:
                return None
            rows = cur.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            cur.close()
    return str(rows[0][0]) if len(rows) == 1 else None


def current_revision(store: Store) -> str | None:
    from alembic.runtime.migration import MigrationContext

    assert store.engine is not None
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to(store: Store, revision: str) -> None:
    from alembic import command

    assert store.engine is not None
    cfg = alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def upgrade_to_head(store: Store, *, backup_first: bool) -> bool:
    """Upgrade if needed. Returns True when a migration ran."""
    head = known_head()
    if head is not None and stored_revision(store) == head:
        return False  # the everyday case: no Alembic import, no script read
    current = current_revision(store)
    head = head_revision()
    if current == head:
        return False
    if backup_first and current is not None:
        backup_to(store, backup_path(store.path, f"pre-migrate-{current}"))
        log.info("backed up before migrating from %s to %s", current, head)
    upgrade_to(store, "head")
    return True
