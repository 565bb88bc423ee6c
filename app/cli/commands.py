"""Database lifecycle commands: init, demo, backup, restore, rekey, self-check."""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import __version__
from app.cli.context import Context, UsageError
from app.domain import vocab
from app.domain.seed import agency_id, district_id
from app.storage import passphrase as pp
from app.storage.backup import backup_to, restore_from
from app.storage.db import create_database, open_database
from app.storage.paths import backups_dir


def cmd_init(ctx: Context) -> int:
    a = ctx.args
    path = ctx.db_path()
    secret = ctx.passphrase(
        prompt_ja="新しいパスフレーズ", prompt_en="New passphrase", confirm=True
    )
    role = vocab.parse(vocab.ROLE, a.role, "role")
    store = create_database(path, secret)
    try:
        from app.services.profile import set_profile_user

        with store.session() as s:
            actor = set_profile_user(
                s,
                name=a.name,
                role=role,
                login=a.login,
                agency_id=agency_id(a.agency) if a.agency else None,
                district_ids=[district_id(d) for d in a.district or []],
            )
    finally:
        store.lock()
    ctx.emit(
        {"db": str(path), "staff_id": actor.staff_id, "device_id": actor.device_id},
        f"作成しました / created: {path}",
    )
    return 0


def cmd_demo(ctx: Context) -> int:
    from app.services.demo import build_demo
    from app.services.profile import current_actor, set_profile_user

    path = ctx.db_path()
    if not path.exists():
        secret = ctx.passphrase(
            prompt_ja="新しいパスフレーズ", prompt_en="New passphrase", confirm=True
        )
        ctx._store = create_database(path, secret)
    store = ctx.open_store()
    from app.sync.enroll import refuse_demo_if_enrolled

    refuse_demo_if_enrolled(store)  # demo cases would never reach the server
    started = time.perf_counter()
    counts = build_demo(store, persons=ctx.args.persons, seed=ctx.args.seed)
    with store.session() as s:
        if current_actor(s).staff_id is None:
            from sqlalchemy import select

            from app.storage.models import Staff

            first = s.scalars(select(Staff).where(Staff.role == "outreach").limit(1)).first()
            if first is not None:
                set_profile_user(s, name=first.name, staff_id=first.id)
    elapsed = time.perf_counter() - started
    ctx.emit(
        {"db": str(path), "seconds": round(elapsed, 2), **vars(counts)},
        f"デモデータを作成しました / demo data: {vars(counts)} ({elapsed:.1f}s)",
    )
    return 0


def cmd_backup(ctx: Context) -> int:
    store = ctx.open_store()
    out = Path(ctx.args.out) if ctx.args.out else None
    if out is None:
        out = backups_dir(store.path) / f"backup-{time.strftime('%Y%m%dT%H%M%S')}.db"
    target = backup_to(store, out)
    from app.services import audit

    with store.session() as s:
        from app.services.profile import current_actor

        audit.record(s, current_actor(s), "export", "database", None, "backup")
    ctx.emit({"backup": str(target)}, f"バックアップしました / backup written: {target}")
    return 0


def cmd_restore(ctx: Context) -> int:
    path = ctx.db_path()
    kept = restore_from(Path(ctx.args.backup), path, ctx.passphrase())
    ctx.emit(
        {"db": str(path), "previous_kept_at": str(kept)},
        [f"復元しました / restored: {path}", f"以前のデータベース / previous database: {kept}"],
    )
    return 0


def cmd_rekey(ctx: Context) -> int:
    old = ctx.passphrase(prompt_ja="現在のパスフレーズ", prompt_en="Current passphrase")
    new = pp.from_new_env() or ctx.passphrase(
        prompt_ja="新しいパスフレーズ", prompt_en="New passphrase", env=False, confirm=True
    )
    store = open_database(ctx.db_path(), old)
    try:
        store.rekey(old, new)
    finally:
        store.lock()
    ctx.emit(
        {"db": str(ctx.db_path()), "rekeyed": True},
        "パスフレーズを変更しました / passphrase changed",
    )
    return 0


# Callables returning extra self-check fields; the desktop launcher adds the Qt probe.
EXTRA_CHECKS: list[Callable[[], dict[str, Any]]] = []


def self_check() -> dict[str, Any]:
    import sqlcipher3

    report: dict[str, Any] = {
        "yorisoi": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
    }
    for probe in EXTRA_CHECKS:  # e.g. the Qt probe, registered by ui.launcher (app has no Qt)
        report.update(probe())
    report["sqlite"] = sqlcipher3.sqlite_version
    with tempfile.TemporaryDirectory(prefix="yorisoi-check-") as tmp:
        path = Path(tmp) / "check.db"
        secret = "self check passphrase for a throwaway database"
        store = create_database(path, secret)
        with store.raw() as conn:
            report["sqlcipher"] = conn.driver_connection.execute(
                "PRAGMA cipher_version"
            ).fetchone()[0]
        store.lock()
        reopened = open_database(path, secret)
        with reopened.session() as s:
            from sqlalchemy import text

            report["districts_seeded"] = s.execute(text("SELECT count(*) FROM district")).scalar()
        reopened.lock()
        header = path.read_bytes()[:16]
        report["encrypted"] = not header.startswith(b"SQLite format 3")
    report["ok"] = bool(report["encrypted"] and report["districts_seeded"] == 6)
    return report


def cmd_self_check(ctx: Context) -> int:
    report = self_check()
    ctx.emit(report, [f"{k}: {v}" for k, v in report.items()])
    return 0 if report["ok"] else 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_)
        p.add_argument("--json", action="store_true", help="JSON output")
        return p

    p = add("init", "create an encrypted database for this laptop's user")
    p.add_argument("--name", required=True, help="the user's name")
    p.add_argument("--role", default="outreach", help="outreach | coordinator | admin")
    p.add_argument("--login")
    p.add_argument("--agency", help="agency code, e.g. hwc_south")
    p.add_argument("--district", action="append", help="district code (coordinators)")
    p.set_defaults(func=cmd_init)

    p = add("demo", "fill the database with fictional demo data (creates it if missing)")
    p.add_argument("--persons", type=int, default=500)
    p.add_argument("--seed", type=int, default=20261127)
    p.set_defaults(func=cmd_demo)

    p = add("backup", "write an encrypted, consistent copy (works while the app is open)")
    p.add_argument("out", nargs="?", help="output file (default: the profile's backups folder)")
    p.set_defaults(func=cmd_backup)

    p = add("restore", "replace the database with a backup, atomically")
    p.add_argument("backup", help="backup file")
    p.set_defaults(func=cmd_restore)

    p = add("rekey", "change the passphrase (new one from YORISOI_NEW_PASSPHRASE or a prompt)")
    p.set_defaults(func=cmd_rekey)

    p = add("self-check", "print versions and test a throwaway encrypted database")
    p.set_defaults(func=cmd_self_check)


__all__ = ["register", "self_check", "UsageError"]
