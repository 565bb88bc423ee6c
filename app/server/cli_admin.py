"""``yorisoi-server`` commands of the administration workspace: device health, the audit
viewer (filters, keyset pages, CSV export), a case's access history and master data. Each
does what the workspace does through the admin API, straight on the database, with
``--json``; exports and case lookups are audited as the API's are."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from app.i18n import pick
from app.server.api.routes.admin_devices import DEFAULT_STALE_DAYS, _out
from app.server.cli import CliError
from app.server.crud import audit, audit_query, devices, masters, sequence, users
from app.server.crud.tables import TABLES
from app.server.models import Device, User, utcnow


def _when(value: str | None, flag: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CliError(f"{flag} は 2026-04-01 のような日付で指定してください。",
                       f"Give {flag} as a date like 2026-04-01.") from None  # fmt: skip
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def device_list(sessions: Any, args: argparse.Namespace) -> None:
    cut = utcnow() - dt.timedelta(days=args.stale_days)
    with sessions() as s:
        top = sequence.committed_value(s)
        rows = s.execute(
            select(Device, User.login).outerjoin(User, User.id == Device.user_id)
            .order_by(Device.enrolled_at)
        ).all()  # fmt: skip
        out = [_out(d, top, login, cut).model_dump() for d, login in rows]
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    for d in out:
        flag = (
            pick("失効", "revoked")
            if d["revoked"]
            else pick("未同期", "stale")
            if d["stale"]
            else "ok"
        )
        print(f"{d['id']}  {d['name']}  {d['login']}  {d['last_sync_at'] or '-'}  "
              f"app={d['app_version'] or '-'} pending={d['pending_changes']} "
              f"rejected={d['rejected_changes']}  {flag}")  # fmt: skip


def device_revoke(sessions: Any, args: argparse.Namespace) -> None:
    reason = (args.reason or "").strip()[:200]
    with sessions() as s, s.begin():
        device = s.get(Device, args.device_id)
        if device is None:
            raise CliError("その端末はありません。", "No such device.")
        if device.revoked_at is None and reason:
            device.revoke_reason = reason
        devices.revoke(s, device=device)
        audit.add(s, action="cli.device_revoke", target_device=device.id)
        result = {"id": device.id, "revoked": True, "revoke_reason": device.revoke_reason}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(pick("端末の登録を取り消しました。", "The device is revoked."))


def _filter(s: Any, args: argparse.Namespace) -> audit_query.AuditFilter:
    user_id = None
    if args.user:
        user = users.get_by_login(s, args.user)
        if user is None:
            raise CliError("その利用者はいません。", "No such user.")
        user_id = user.id
    return audit_query.AuditFilter(
        user_id=user_id, device_id=args.device, case_id=args.case, action=args.action,
        since=_when(args.since, "--since"), until=_when(args.until, "--until"),
    )  # fmt: skip


def audit_list(sessions: Any, args: argparse.Namespace) -> None:
    """One page (newest first) or, with ``--csv FILE``, the whole filtered view."""
    with sessions() as s, s.begin():
        f = _filter(s, args)
        if args.csv:
            count, cursor = 0, None
            with open(args.csv, "w", newline="", encoding="utf-8-sig") as fh:
                w = csv.writer(fh)
                w.writerow(["id", "at", "user_id", "device_id", "action", "detail", "remote"])
                while True:
                    rows, cursor = audit_query.page(
                        s, f, before_id=cursor, limit=audit_query.MAX_PAGE
                    )
                    for r in rows:
                        w.writerow([r["id"], r["at"], r["user_id"] or "", r["device_id"] or "",
                                    r["action"], json.dumps(r["detail"] or {}), r["remote"] or ""])  # fmt: skip
                    count += len(rows)
                    if cursor is None:
                        break
            audit.add(s, action="cli.audit_export", rows=count,
                      filter={k: str(v) for k, v in vars(f).items() if v is not None},
                      case_id=f.case_id)  # fmt: skip
            result: dict[str, Any] = {"file": args.csv, "rows": count}
            print(
                json.dumps(result)
                if args.json
                else pick(f"{count} 件を書き出しました。", f"{count} rows exported.")
            )
            return
        rows, nxt = audit_query.page(s, f, before_id=args.before_id, limit=args.limit)
    if args.json:
        print(json.dumps({"events": rows, "next_before_id": nxt}, ensure_ascii=False))
        return
    for r in rows:
        print(f"{r['id']}  {r['at']}  user={r['user_id']}  device={r['device_id']}  {r['action']}  "
              f"{json.dumps(r['detail'], ensure_ascii=False)}")  # fmt: skip
    if nxt is not None:
        print(pick(f"（続き: --before-id {nxt}）", f"(more: --before-id {nxt})"))


def case_access(sessions: Any, args: argparse.Namespace) -> None:
    case_id = args.case_id.strip()
    if not case_id or len(case_id) > 36:
        raise CliError("ケースIDが正しくありません。", "That is not a case id.")
    with sessions() as s, s.begin():
        out = audit_query.case_access(s, case_id)
        audit.add(s, action="cli.case_access", case_id=case_id)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    for e in out["laptop_events"]:
        print(f"{e['at']}  {e['login'] or e['staff_id']}  {e['action']}")
    for d in out["devices"]:
        print(
            f"{d['device_id']}  {d['login']}  {d['first_received_at']} .. {d['last_received_at']}"
        )


def master_list(sessions: Any, args: argparse.Namespace) -> None:
    with sessions() as s:
        rows = masters.rows(s, args.table)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        extra = r.get("addressee") or r.get("name_en") or ""
        flags = " ".join(
            x for x, on in (("（主催者）", r.get("default_organiser")),
                            ("（使用停止）", r.get("active") is False)) if on
        )  # fmt: skip
        print(f"{r.get('id')}  {r.get('code') or ''}  {r.get('name')}  {extra}  {flags}".rstrip())


def _fields(table: str, pairs: list[str]) -> dict[str, Any]:
    """``name=value`` pairs as wire values (masters.check validates them)."""
    info = TABLES[table]
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        col = info.columns.get(name)
        if not sep or col is None or name == "id":
            raise CliError(f"項目は 名前=値 で指定してください: {pair[:40]}",
                           f"Give fields as name=value: {pair[:40]}")  # fmt: skip
        value: Any = raw if raw != "" else None
        try:
            if col.kind == "int" and value is not None:
                value = int(value)
            elif col.kind == "bool" and value is not None:
                value = {"true": True, "1": True, "yes": True, "false": False, "0": False,
                         "no": False}[value.lower()]  # fmt: skip
        except (ValueError, KeyError):
            raise CliError(f"{name} の値が正しくありません: {raw[:40]}",
                           f"Invalid value for {name}: {raw[:40]}") from None  # fmt: skip
        values[name] = value
    return values


def _put(sessions: Any, args: argparse.Namespace, body: dict[str, Any], exists: bool) -> None:
    try:
        with sessions() as s, s.begin():
            data = masters.put(s, args.table, body, by=None, must_exist=exists)
            audit.add(s, action="cli.master_put", table=args.table, row_id=str(data["id"]))
    except masters.MasterInvalid as exc:
        raise CliError(exc.ja, f"Invalid master data: {exc.problem}") from None
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(pick(f"保存しました（{data['id']}）。", f"Saved ({data['id']})."))


def master_set(sessions: Any, args: argparse.Namespace) -> None:
    """Change fields of a master row (``name=...``, ``addressee=...``, ``active=false``);
    laptops get it at their next sync."""
    _put(sessions, args, {"id": args.row_id, **_fields(args.table, args.fields)}, True)


def master_add(sessions: Any, args: argparse.Namespace) -> None:
    """A new master row (``code=... name=...``) with a new UUID."""
    _put(sessions, args, _fields(args.table, args.fields), False)


def add_commands(sub: Any, dev: Any, case: Any, sessions_of: Any) -> None:
    """Register the commands on ``yorisoi-server``'s parser (cli.build_parser)."""

    def run(fn: Any) -> Any:
        return lambda args: fn(sessions_of(args), args)

    dl = dev.add_parser("list", help="devices: user, last sync, versions, queues, stale")
    dl.add_argument("--stale-days", type=int, default=DEFAULT_STALE_DAYS)
    dl.add_argument("--json", action="store_true")
    dl.set_defaults(func=run(device_list))
    dr = dev.add_parser("revoke")
    dr.add_argument("device_id")
    dr.add_argument("--reason", help="why (lost, returned…); kept on the device")
    dr.add_argument("--json", action="store_true")
    dr.set_defaults(func=run(device_revoke))
    ca = case.add_parser("access", help="a case's access history (laptops' views, receipts)")
    ca.add_argument("case_id")
    ca.add_argument("--json", action="store_true")
    ca.set_defaults(func=run(case_access))
    au = sub.add_parser("audit", help="監査記録 / audit trail").add_subparsers(
        dest="audit_command", required=True
    )
    al = au.add_parser("list", help="audit rows newest first, filtered; --csv FILE exports all")
    for flag in ("--user", "--device", "--case", "--action", "--since", "--until", "--csv"):
        al.add_argument(flag)
    al.add_argument("--before-id", type=int)
    al.add_argument("--limit", type=int, default=200)
    al.add_argument("--json", action="store_true")
    al.set_defaults(func=run(audit_list))
    ma = sub.add_parser("master", help="マスタ（機関・地区など） / master data").add_subparsers(
        dest="master_command", required=True
    )
    ml = ma.add_parser("list")
    ml.add_argument("table", choices=masters.EDITABLE)
    ml.add_argument("--json", action="store_true")
    ml.set_defaults(func=run(master_list))
    ms = ma.add_parser("set", help="e.g. master set agency ID addressee=重層的支援推進担当課長")
    ms.add_argument("table", choices=masters.EDITABLE)
    ms.add_argument("row_id")
    ms.add_argument("fields", nargs="+")
    ms.add_argument("--json", action="store_true")
    ms.set_defaults(func=run(master_set))
    mn = ma.add_parser("add", help="e.g. master add issue_category code=gambling name=ギャンブル")
    mn.add_argument("table", choices=masters.EDITABLE)
    mn.add_argument("fields", nargs="+")
    mn.add_argument("--json", action="store_true")
    mn.set_defaults(func=run(master_add))
