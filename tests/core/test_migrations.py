"""Alembic migrations run on open, after an automatic encrypted backup, keeping data."""

from __future__ import annotations

import stat
import sys

from sqlalchemy import text

from app.storage.db import Store, connect
from app.storage.lifecycle import open_database
from app.storage.migrate import current_revision, head_revision, upgrade_to
from app.storage.paths import backups_dir
from tests.conftest import PASSPHRASE


def _make_at_first_revision(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connect(path, PASSPHRASE).close()
    store = Store.keyed(path, PASSPHRASE)
    upgrade_to(store, "0001")
    with store.session() as s:
        s.execute(
            text(
                "INSERT INTO person (id, name, kana, created_at, updated_at, version, deleted) "
                "VALUES ('p1', '移行 太郎', 'いこう たろう', '2026-01-01', '2026-01-01', 1, 0)"
            )
        )
        assert s.execute(text("SELECT count(*) FROM district")).scalar() == 0
    assert current_revision(store) == "0001"
    store.lock()


def test_upgrade_from_first_migration_keeps_data_and_backs_up(db_path):
    _make_at_first_revision(db_path)
    store = open_database(db_path, PASSPHRASE)
    try:
        assert current_revision(store) == head_revision()
        with store.session() as s:
            assert s.execute(text("SELECT name FROM person WHERE id='p1'")).scalar() == "移行 太郎"
            assert s.execute(text("SELECT count(*) FROM district")).scalar() == 6
            assert s.execute(text("SELECT count(*) FROM agency")).scalar() >= 17
    finally:
        store.lock()
    backups = list(backups_dir(db_path).glob("yorisoi.db.pre-migrate-0001-*.db"))
    assert len(backups) == 1
    if sys.platform != "win32":
        assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    old = open_database(backups[0], PASSPHRASE, migrate=False)
    assert current_revision(old) == "0001"
    old.lock()


def test_open_at_head_makes_no_backup(store, db_path):
    store.lock()
    open_database(db_path, PASSPHRASE).lock()
    assert not backups_dir(db_path).exists() or not list(backups_dir(db_path).iterdir())


def test_downgrade_and_upgrade_round_trip(store):
    from alembic import command

    from app.storage.migrate import alembic_config

    cfg = alembic_config()
    assert store.engine is not None
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert current_revision(store) == "0001"
    upgrade_to(store, "head")
    assert current_revision(store) == head_revision()
