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
from app.storage.backup import backup_path, backup_to
from app.storage.lifecycle import create_database, open_database, restore_from


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
        out = backup_path(store.path, "backup")
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


def self_check(
    db: Path | None = None, passphrase: Callable[[], str] | None = None
) -> dict[str, Any]:
    """Versions, a throwaway encrypted database created and reopened, and, given ``db``, that
    database: opened with ``passphrase()``, its integrity and its schema version (read only:
    nothing is migrated or written)."""
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
    report.update(_font_check())
    if db is not None:
        report["db"] = check_database(db, passphrase)
        report["ok"] = bool(report["ok"] and report["db"]["ok"])
    return report


def _font_check() -> dict[str, Any]:
    """The printing fonts: the main one is bundled (its absence fails the check); the fallback
    for rare name characters is optional, so a missing one is reported with what to do, and
    the check still passes."""
    from app.i18n import pick
    from app.reports import fonts

    out: dict[str, Any] = {}
    try:
        fonts.register_fonts()
        out["font"] = fonts.FONT
    except Exception as exc:  # a broken bundle: the documents cannot be printed at all
        out["font"] = f"missing ({type(exc).__name__})"
        out["ok"] = False
    path = fonts.fallback_path()
    out["fallback_font"] = str(path) if path else "missing"
    # Whether it is the app's own copy (the one build.spec bundles), not the system's.
    out["fallback_font_bundled"] = bool(path and path.parent == fonts.bundled_fonts_dir())
    if path is None:
        out["fallback_font_note"] = pick(fonts.FALLBACK_HELP_JA, fonts.FALLBACK_HELP_EN)
    return out


def check_database(path: Path, passphrase: Callable[[], str] | None) -> dict[str, Any]:
    """Open ``path`` without migrating it, run SQLite's full integrity check, compare its
    schema revision with this app's. Problems are reported in the result, not raised, except
    a missing passphrase (a usage error)."""
    import sqlcipher3

    from app.domain.errors import YorisoiError
    from app.i18n import pick
    from app.storage.migrate import alembic_config, current_revision, head_revision

    out: dict[str, Any] = {"path": str(path), "ok": False}
    if not path.exists() or path.stat().st_size == 0:
        out["error"] = pick("データベースが見つかりません。", "No database found.")
        return out
    out["size_bytes"] = path.stat().st_size
    with path.open("rb") as f:
        out["encrypted"] = not f.read(16).startswith(b"SQLite format 3")
    secret = passphrase() if passphrase is not None else None
    try:
        store = open_database(path, secret, migrate=False, integrity=False)
    except YorisoiError as exc:
        out["opened"] = False
        out["error"] = exc.message()
        return out
    out["opened"] = True
    try:
        with store.raw() as raw:
            conn = raw.driver_connection
            try:
                rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
                problems = [str(r[0]) for r in rows if r[0] != "ok"]
                # SQLCipher's own check: every page's HMAC (tampering, torn writes).
                problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
            except sqlcipher3.DatabaseError as exc:
                problems = [type(exc).__name__]
        out["integrity"] = "ok" if not problems else "damaged"
        if problems:
            out["integrity_messages"] = problems
        from sqlalchemy.exc import DBAPIError

        try:
            revision: str | None = current_revision(store)
            readable = True
        except DBAPIError:  # a damaged file may not even say its version
            revision, readable = None, False
    finally:
        store.lock()
    from alembic.script import ScriptDirectory

    head = head_revision()
    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if not readable:
        schema = "unreadable"
    elif revision == head:
        schema = "current"
    elif revision in known:
        schema = "older"  # upgraded (after a backup) the next time the app opens it
    else:
        schema = "newer"  # written by a newer yorisoi: this version must not open it
    out.update(schema_revision=revision, schema_head=head, schema=schema)
    out["ok"] = bool(
        out["encrypted"] and out["integrity"] == "ok" and schema in ("current", "older")
    )
    if not out["ok"] and "error" not in out:
        out["error"] = (
            pick("データベースが破損しています。", "The database is damaged.")
            if out["integrity"] != "ok"
            else pick("このデータベースはより新しい版の寄り添いで作られています。",
                      "This database was written by a newer version of Yorisoi.")
        )  # fmt: skip
    return out


def cmd_self_check(ctx: Context) -> int:
    db = getattr(ctx.args, "db", None)
    report = self_check(Path(db) if db else None, ctx.passphrase if db else None)
    lines = [f"{k}: {v}" for k, v in report.items() if k != "db"]
    if "db" in report:
        lines += [f"db.{k}: {v}" for k, v in report["db"].items()]
    ctx.emit(report, lines)
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

    p = add(
        "self-check",
        "print versions, test a throwaway encrypted database, and check the "
        "--db database if one is given (opened read only: integrity, schema version)",
    )
    # SUPPRESS: without it the subcommand's default would hide a --db given before its name.
    p.add_argument("--db", default=argparse.SUPPRESS, help="database file to check")
    p.set_defaults(func=cmd_self_check)


__all__ = ["register", "self_check", "UsageError"]
