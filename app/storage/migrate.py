"""Running the client's Alembic migrations on open, after an automatic backup."""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.storage.backup import backup_path, backup_to
from app.storage.db import Store
from app.storage.paths import migrations_dir

log = logging.getLogger(__name__)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir("client")))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    assert store.engine is not None
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to(store: Store, revision: str) -> None:
    assert store.engine is not None
    cfg = alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def upgrade_to_head(store: Store, *, backup_first: bool) -> bool:
    """Upgrade if needed. Returns True when a migration ran."""
    current = current_revision(store)
    head = head_revision()
    if current == head:
        return False
    if backup_first and current is not None:
        backup_to(store, backup_path(store.path, f"pre-migrate-{current}"))
        log.info("backed up before migrating from %s to %s", current, head)
    upgrade_to(store, "head")
    return True
