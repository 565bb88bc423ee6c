"""Server migration 0008 rebuilds the attendee links of stored meetings with the pledge rule
(a database migrated at 0007 held links active for any ticked pledge)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from app.server.core.migrate import alembic_config


def test_upgrade_rebuilds_links_with_the_pledge_rule(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    cfg = alembic_config(url)
    command.upgrade(cfg, "0007")
    engine = sa.create_engine(url)
    rec = "INSERT INTO record (table_name, id, data, version, deleted, seq, owner, updated_at) VALUES (:t, :i, :d, 1, 0, :s, :o, '2026-01-01')"
    link = "INSERT INTO scope_link (row_id, kind, a, b, active) VALUES (:r, 'attendee', :a, :b, 1)"
    meeting = '{"id": "m1", "kind": "shien_kaigi", "held_on": "2026-05-20", "deleted": false}'
    on_time = '{"id": "a1", "meeting_id": "m1", "staff_id": "s1", "pledge_signed": true, "pledge_date": "2026-05-01"}'
    late = '{"id": "a2", "meeting_id": "m1", "staff_id": "s2", "pledge_signed": true, "pledge_date": "2026-05-21"}'
    with engine.begin() as c:
        c.execute(
            sa.text(rec), {"t": "support_meeting", "i": "m1", "d": meeting, "s": 1, "o": "m1"}
        )
        c.execute(
            sa.text(rec), {"t": "meeting_attendee", "i": "a1", "d": on_time, "s": 2, "o": "m1"}
        )
        c.execute(sa.text(rec), {"t": "meeting_attendee", "i": "a2", "d": late, "s": 3, "o": "m1"})
        c.execute(sa.text(link), {"r": "a1", "a": "m1", "b": "s1"})
        c.execute(sa.text(link), {"r": "a2", "a": "m1", "b": "s2"})
    command.upgrade(cfg, "0008")
    with engine.connect() as c:
        rows = {
            r.row_id: (r.kind, r.active, r.granted)
            for r in c.execute(sa.text("SELECT * FROM scope_link"))
        }
    assert rows == {
        "m1": ("meeting", True, False),
        "a1": ("attendee", True, True),
        "a2": ("attendee", True, False),  # attending, but the pledge is dated after the meeting
    }
    command.downgrade(cfg, "0007")
    with engine.connect() as c:
        rows = {r.row_id: r.active for r in c.execute(sa.text("SELECT * FROM scope_link"))}
    assert rows == {"a1": True, "a2": False}
    engine.dispose()
