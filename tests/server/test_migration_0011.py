"""Server migration 0011 links each stored merged person or household to its survivor (the
scope rule that lets a tombstone follow the survivor, crud/scope.py)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from app.server.core.migrate import alembic_config


def test_upgrade_links_merged_records_to_their_survivor(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    cfg = alembic_config(url)
    command.upgrade(cfg, "0010")
    engine = sa.create_engine(url)
    rec = "INSERT INTO record (table_name, id, data, version, deleted, seq, owner, updated_at) VALUES (:t, :i, :d, 1, 0, :s, :i, '2026-01-01')"
    with engine.begin() as c:
        for n, (t, i, d) in enumerate([
            ("person", "p1", '{"id": "p1", "name": "x", "merged_into_id": null}'),
            ("person", "p2", '{"id": "p2", "name": "x", "merged_into_id": "p1"}'),
            ("household", "h2", '{"id": "h2", "name": "x", "merged_into_id": "h1"}'),
            ("case", "c1", '{"id": "c1", "merged_into_id": "p1"}'),
        ]):  # fmt: skip
            c.execute(sa.text(rec), {"t": t, "i": i, "d": d, "s": n + 1})
    command.upgrade(cfg, "0011")
    with engine.connect() as c:
        rows = {
            r.row_id: (r.kind, r.a, r.b, r.active)
            for r in c.execute(sa.text("SELECT * FROM scope_link"))
        }
    assert rows == {"p2": ("merged_person", "p1", "p2", True),
                    "h2": ("merged_household", "h1", "h2", True)}  # fmt: skip
    command.downgrade(cfg, "0010")
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM scope_link")).scalar() == 0
    engine.dispose()
