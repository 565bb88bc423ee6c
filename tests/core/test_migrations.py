"""Alembic migrations run on open, after an automatic encrypted backup, keeping data."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from app.storage.db import Store, connect
from app.storage.lifecycle import open_database
from app.storage.migrate import current_revision, head_revision, upgrade_to
from app.storage.paths import backups_dir
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


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


def _downgrade(store: Store, target: str) -> None:
    """Alembic's downgrade to ``target`` on the store's own (keyed) connection."""
    from alembic import command

    from app.storage.migrate import alembic_config

    cfg = alembic_config()
    assert store.engine is not None
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, target)


def test_downgrade_and_upgrade_round_trip(store):
    _downgrade(store, "0001")
    assert current_revision(store) == "0001"
    upgrade_to(store, "head")
    assert current_revision(store) == head_revision()


def test_the_file_names_give_alembics_head():
    """The open path trusts the versions folder's file names (0009_form_fields.py holds
    revision 0009); Alembic's own reading of the scripts must agree, or a database one
    revision behind would be taken as current."""
    from alembic.script import ScriptDirectory

    from app.storage.migrate import alembic_config, known_head

    scripts = ScriptDirectory.from_config(alembic_config())
    assert known_head() == head_revision()
    for rev in scripts.walk_revisions():
        assert rev.path is not None
        assert Path(rev.path).name.startswith(f"{rev.revision}_"), rev.path


_OPEN_WITHOUT_ALEMBIC = """
import sys
from pathlib import Path
from app.storage.lifecycle import open_database
store = open_database(Path(sys.argv[1]), sys.argv[2])
with store.session() as s:
    s.execute(__import__("sqlalchemy").text("SELECT count(*) FROM person")).scalar()
store.lock()
print(sorted(m for m in sys.modules if m == "alembic" or m.startswith("alembic.")))
"""


def _open_in_subprocess(path: Path) -> list[str]:
    r = subprocess.run([sys.executable, "-c", _OPEN_WITHOUT_ALEMBIC, str(path), PASSPHRASE],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1].replace("'", '"'))


def test_a_migrated_database_opens_without_importing_alembic(store, db_path):
    store.lock()
    assert _open_in_subprocess(db_path) == []
    # One revision behind: now Alembic runs (and backs up first), then the next open is quiet.
    old = db_path.with_name("old.db")
    _make_at_first_revision(old)
    assert "alembic" in _open_in_subprocess(old)
    assert list(backups_dir(old).glob("old.db.pre-migrate-0001-*.db"))
    assert _open_in_subprocess(old) == []


def _migration(name: str):
    import importlib.util
    from pathlib import Path

    path = next((Path(__file__).parents[2] / "migrations" / "client" / "versions").glob(name))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_migration_imports_application_code():
    """A migration does next year what it does today: it freezes what it needs instead of
    importing app/ (whose code moves on). Only the Alembic environments (env.py) import app/."""
    import ast
    from pathlib import Path

    offenders = []
    for p in (Path(__file__).parents[2] / "migrations").glob("*/versions/*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            offenders += [f"{p.name}: {n}" for n in names if n.split(".")[0] in ("app", "ui")]
    assert offenders == []


def test_frozen_seed_matches_the_live_seed_today():
    # The server seeds from app.domain.seed; laptops got these rows from migration 0002. If the
    # live seed changes, this fails: the change needs its own migration.
    from app.domain.seed import seed_rows

    frozen = _migration("0002_*.py").seed_rows()
    assert frozen == seed_rows()
    assert [list(rows[0]) for _t, rows in frozen] == [list(rows[0]) for _t, rows in seed_rows()]


def test_frozen_search_text_matches_the_live_search_today():
    from app.storage import search

    samples = [
        ["山田 太郎", "ヤマダ タロウ", "090-1234-5678", "尼崎市ＡＢＣ１丁目", None],
        ["ｶﾀｶﾅ", "", "x", "Ab_c!!d", "ヽヾ"],
        [None, "a", "東京都港区", "İstanbul", "ß"],
    ]
    for name in ("0004_*.py", "0006_*.py"):
        frozen = _migration(name)
        for fields in samples:
            assert frozen._bodies(fields) == search.bodies(fields), (name, fields)
        assert frozen._ALL_CASES_SQL == search._ALL_CASES_SQL
        assert [s for _k, s in frozen._SOURCES] == [s for _k, s in search._REBUILD_SOURCES]


def test_frozen_master_seed_of_0013_matches_the_live_seed_today():
    # 小学校区 and issue categories: laptops get them from migration 0013, the server from
    # app.domain.seed (``yorisoi-server migrate``); both must make the same rows and ids.
    from app.domain import vocab
    from app.domain.seed import master_seed_rows

    frozen = _migration("0013_*.py").master_seed_rows()
    assert frozen == master_seed_rows()
    cats = dict(master_seed_rows())["issue_category"]
    # Every code of the former fixed list is a seed row: existing cases keep their meaning.
    assert [c["code"] for c in cats] == list(vocab.ISSUE_CATEGORY)


def test_0013_seeds_master_tables_and_report_indexes(store):
    from app.services import masters
    from app.storage.models import IssueCategory, SchoolZone

    with store.session() as s:
        assert s.query(IssueCategory).count() == 14
        assert s.query(SchoolZone).count() == 29
        assert masters.issue_vocab(s)["housing"] == ("住まい", "Housing")
        names = set(
            s.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
        )
    assert {"ix_case_report", "ix_case_id_district", "ix_contact_record_report",
            "ix_referral_report", "ix_role_assignment_report"} <= names  # fmt: skip


def test_0013_upgrades_a_database_whose_agencies_are_referenced(db_path):
    """Agencies referred to by staff and cases (every real laptop): 0013 adds its column
    without copying the table (a copy would drop a referenced table)."""
    path = db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    connect(path, PASSPHRASE).close()
    store = Store.keyed(path, PASSPHRASE)
    upgrade_to(store, "0012")
    with store.session() as s:
        agency = s.execute(text("SELECT id FROM agency LIMIT 1")).scalar_one()
        s.execute(
            text(
                "INSERT INTO staff (id, name, role, agency_id, district_ids, active, created_at,"
                " updated_at, version, deleted) VALUES ('s1', '職員', 'outreach', :a, '[]', 1,"
                " '2026-01-01', '2026-01-01', 1, 0)"
            ),
            {"a": agency},
        )
    upgrade_to(store, "head")
    with store.session() as s:
        assert s.execute(text("SELECT default_organiser FROM agency WHERE id = :a"),
                         {"a": agency}).scalar_one() == 0  # fmt: skip
        assert s.execute(text("SELECT agency_id FROM staff WHERE id = 's1'")).scalar_one() == agency
    store.lock()


def test_0009_0010_upgrade_a_database_whose_meetings_are_referenced(db_path):
    """A laptop at 0007 with a meeting and its attendee: 0009 and 0010 add the meeting's columns
    in place (a table copy would drop a referenced table and fail with the foreign keys on), and
    every later migration keeps both rows."""
    path = db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    connect(path, PASSPHRASE).close()
    store = Store.keyed(path, PASSPHRASE)
    upgrade_to(store, "0007")
    stamp = "'2026-01-01', '2026-01-01', 1, 0"
    with store.session() as s:
        s.execute(text("INSERT INTO support_meeting (id, kind, held_on, title, created_at,"
                       f" updated_at, version, deleted) VALUES ('m1', 'support', '2026-02-01',"
                       f" '第1回', {stamp})"))  # fmt: skip
        s.execute(text("INSERT INTO meeting_attendee (id, meeting_id, name, pledge_signed,"
                       f" created_at, updated_at, version, deleted) VALUES ('a1', 'm1', '委員',"
                       f" 1, {stamp})"))  # fmt: skip
    upgrade_to(store, "head")
    with store.session() as s:
        assert s.execute(text("SELECT standing_pledge_allowed FROM support_meeting"
                              " WHERE id = 'm1'")).scalar_one() == 0  # fmt: skip
        assert s.execute(text("SELECT meeting_id FROM meeting_attendee")).scalar_one() == "m1"
        assert s.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    store.lock()


def test_a_populated_laptop_downgrades_and_upgrades_keeping_every_row(demo_store):
    """Every downgrade down to the seeded master data runs on a laptop full of records that
    refer to each other (staff, cases, meetings, referrals): columns are dropped in place,
    never by copying a table that other rows refer to (which the foreign keys refuse), and
    upgrading again keeps every row and every reference."""

    def counts() -> dict[str, int]:
        with demo_store.session() as s:
            tables = s.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                     " 'sqlite_%' AND name NOT LIKE '%_fts%' AND name != 'alembic_version'")
            ).scalars()  # fmt: skip
            return {
                t: s.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                for t in tables
                if t
                in {
                    "agency",
                    "staff",
                    "person",
                    "household",
                    "household_member",
                    "case",
                    "contact_record",
                    "referral",
                    "support_meeting",
                    "meeting_attendee",
                    "meeting_case",
                    "role_assignment",
                }  # fmt: skip
            }

    before = counts()
    assert before["referral"] and before["meeting_attendee"] and before["household_member"]
    _downgrade(demo_store, "0002")
    assert current_revision(demo_store) == "0002"
    upgrade_to(demo_store, "head")
    assert current_revision(demo_store) == head_revision()
    assert counts() == before
    with demo_store.session() as s:
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []
