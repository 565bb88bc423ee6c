"""yorisoi-server: migrate, serve, create-admin, user add/set/password/disable,
device enroll/revoke/list, case holders.

Output is Japanese first (English with YORISOI_LANG=en). Errors print a message and exit 1,
never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from app.i18n import pick
from app.server.core.config import Settings
from app.server.core.db import make_engine, make_sessionmaker
from app.server.core.security import password_problem
from app.server.crud import devices, users
from app.server.models import User


class CliError(Exception):
    def __init__(self, ja: str, en: str) -> None:
        super().__init__(en)
        self.ja, self.en = ja, en


def _sessions(args: argparse.Namespace) -> Any:
    from app.server.core.migrate import is_current

    url = Settings.from_env(args.database_url).database_url
    if not is_current(url):
        raise CliError(
            "データベースが最新ではありません。先に yorisoi-server migrate を実行してください。",
            "The database is not migrated. Run yorisoi-server migrate first.",
        )
    return make_sessionmaker(make_engine(url))


def cmd_migrate(args: argparse.Namespace) -> None:
    from app.server.core.migrate import upgrade

    upgrade(Settings.from_env(args.database_url).database_url)
    print(pick("データベースを最新の形式にしました。", "The database is up to date."))


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to a public address


def _trusted_proxies(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            try:
                if "/" in item:
                    out.append(str(ipaddress.ip_network(item, strict=False)))
                else:
                    out.append(str(ipaddress.ip_address(item)))
            except ValueError:
                raise CliError(
                    f"--trusted-proxy にはアドレスか CIDR を指定してください: {item[:60]}",
                    f"--trusted-proxy takes addresses or CIDRs: {item[:60]}",
                ) from None
    return out


def serve_options(args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn's options for ``serve``, checked: TLS unless the host is loopback or
    ``--insecure-http`` is given (with a warning), and X-Forwarded-For believed only from the
    ``--trusted-proxy`` addresses (none by default: the connecting address is the client's)."""
    if (args.certfile is None) != (args.keyfile is None):
        raise CliError(
            "--certfile と --keyfile は両方指定してください。",
            "Give both --certfile and --keyfile.",
        )
    for path in (args.certfile, args.keyfile):
        if path is not None and not os.path.isfile(path):
            raise CliError(
                f"証明書ファイルがありません: {path}", f"No such certificate file: {path}"
            )
    if args.workers < 1:
        raise CliError("--workers は1以上にしてください。", "--workers must be 1 or more.")
    if args.certfile is None and not _is_loopback(args.host):
        if not args.insecure_http:
            raise CliError(
                f"{args.host} で待ち受けるには証明書が必要です（--certfile と --keyfile）。"
                "暗号化しない場合は --insecure-http を明示してください。",
                f"Serving on {args.host} needs a certificate (--certfile and --keyfile); "
                "give --insecure-http to serve plain HTTP anyway.",
            )
        print(
            pick(
                f"警告: {args.host} で暗号化なしの HTTP を提供します。通信内容とトークンが"
                "盗聴されるおそれがあります（--insecure-http）。",
                f"WARNING: serving plain HTTP on {args.host}: traffic and tokens can be read "
                "on the network (--insecure-http).",
            ),
            file=sys.stderr,
            flush=True,
        )
    trusted = _trusted_proxies(args.trusted_proxy or [])
    return {
        "host": args.host,
        "port": args.port,
        "ssl_certfile": args.certfile,
        "ssl_keyfile": args.keyfile,
        "log_level": "warning",
        "access_log": False,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default (and from the
        # FORWARDED_ALLOW_IPS variable): here only from the proxies named.
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or [],
    }


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.server.core.logging import setup
    from app.server.main import serving_app

    options = serve_options(args)  # refused before the database is touched
    settings = Settings.from_env(args.database_url)
    from app.server.core.migrate import is_current, upgrade

    if args.migrate:
        upgrade(settings.database_url)
    elif not is_current(settings.database_url):
        raise CliError(
            "データベースが最新ではありません。先に yorisoi-server migrate を実行してください。",
            "The database is not migrated. Run yorisoi-server migrate first.",
        )
    setup(args.log_level.upper())
    if args.workers == 1:
        uvicorn.run(serving_app(settings), **options)
        return
    # Several worker processes share the port; each builds its app from the environment
    # (the server is stateless: everything lives in the database).
    os.environ["YORISOI_DATABASE_URL"] = settings.database_url
    os.environ["YORISOI_LOG_LEVEL"] = args.log_level.upper()
    from app.server.workers import reuse_port_available, run_workers

    if not reuse_port_available():  # Windows, macOS: the workers share one socket
        uvicorn.run("app.server.main:app_from_env", factory=True, workers=args.workers, **options)
        return
    config = uvicorn.Config(
        "app.server.main:app_from_env", factory=True, workers=args.workers, **options
    )
    try:
        run_workers(config)  # one SO_REUSEPORT socket per worker: connections spread evenly
    except OSError as exc:
        raise CliError(
            f"{args.host}:{args.port} で待ち受けられません: {exc.strerror or exc}",
            f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
        ) from None
    except KeyboardInterrupt:
        pass


def _read_password(args: argparse.Namespace, *hints: str | None) -> str:
    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(pick("パスワード: ", "Password: "))
    problem = password_problem(password, hints=tuple(h for h in hints if h))
    if problem is not None:
        raise CliError(f"パスワードが弱すぎます: {problem[0]}", f"Weak password: {problem[1]}")
    return password


def _reference_error(exc: users.UnknownReference) -> CliError:
    valid = ", ".join(exc.valid[:40]) or "-"
    option = "--district" if exc.kind == "district" else "--agency"
    return CliError(
        f"{option} {exc.value} はありません。有効なコード: {valid}",
        f"No such {exc.kind} for {option}: {exc.value}. Valid codes: {valid}",
    )


def _add_user(args: argparse.Namespace, role: str) -> None:
    password = None
    if getattr(args, "password_stdin", False) or (
        args.command == "create-admin" and not args.no_password
    ):
        password = _read_password(args, args.login, args.name)
    sessions = _sessions(args)
    with sessions() as s, s.begin():
        try:
            user = users.create_user(
                s,
                login=args.login,
                name=args.name or args.login,
                role=role,
                password=password,
                staff_id=args.staff_id,
                agency_id=args.agency_id,
                district_ids=args.district or [],
            )
        except users.UserExists:
            raise CliError(
                "そのログイン名は使われています。", "That login name is taken."
            ) from None
        except users.UnknownReference as exc:
            raise _reference_error(exc) from None
        print(
            json.dumps(
                {"id": user.id, "login": user.login, "role": user.role, "staff_id": user.staff_id}
            )
        )


def cmd_create_admin(args: argparse.Namespace) -> None:
    _add_user(args, "admin")


def cmd_user_add(args: argparse.Namespace) -> None:
    _add_user(args, args.role)


def _user(s: Any, login: str) -> User:
    user = users.get_by_login(s, login)
    if user is None:
        raise CliError("その利用者はいません。", "No such user.")
    return user


def cmd_user_list(args: argparse.Namespace) -> None:
    """Every user (as the workspace's users list): login, 氏名, role, agency, districts."""
    from sqlalchemy import select

    with _sessions(args)() as s:
        rows = [
            {
                "id": u.id,
                "login": u.login,
                "name": users.staff_name(s, u.staff_id),
                "role": u.role,
                "staff_id": u.staff_id,
                "agency_id": u.agency_id,
                "district_ids": list(u.district_ids or []),
                "disabled": bool(u.disabled),
            }
            for u in s.execute(select(User).order_by(User.login)).scalars()
        ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        state = pick("（無効）", " (disabled)") if r["disabled"] else ""
        print(f"{r['login']}\t{r['name'] or '-'}\t{r['role']}{state}")


def cmd_user_disable(args: argparse.Namespace) -> None:
    with _sessions(args)() as s, s.begin():
        user = _user(s, args.login)
        users.update_user(s, user=user, disabled=True)
        done = {"login": user.login, "disabled": True}
    if args.json:
        print(json.dumps(done))
        return
    print(
        pick(
            "利用者を無効にし、その端末の登録を取り消しました。",
            "The user is disabled and their devices are revoked.",
        )
    )


def cmd_user_set(args: argparse.Namespace) -> None:
    """Change a user's role, agency or districts (ids or codes, checked)."""
    changes: dict[str, Any] = {}
    if args.role is not None:
        changes["role"] = args.role
    if args.agency_id is not None:
        changes["agency_id"] = args.agency_id
    if args.district:
        changes["district_ids"] = args.district
    if not changes:
        raise CliError("変更する項目を指定してください。", "Give something to change.")
    with _sessions(args)() as s, s.begin():
        try:
            user = users.update_user(s, user=_user(s, args.login), **changes)
        except users.UnknownReference as exc:
            raise _reference_error(exc) from None
        out = {
            "id": user.id,
            "login": user.login,
            "role": user.role,
            "agency_id": user.agency_id,
            "district_ids": list(user.district_ids or []),
        }
    print(json.dumps(out))


def cmd_user_password(args: argparse.Namespace) -> None:
    """Set (reset) a user's password; their device tokens end (see users.update_user)."""
    with _sessions(args)() as s, s.begin():
        user = _user(s, args.login)
        password = _read_password(args, user.login)
        users.update_user(s, user=user, password=password)
    if args.json:
        print(json.dumps({"login": args.login, "password_changed": True}))
        return
    print(
        pick(
            "パスワードを変更し、その利用者の端末の登録を取り消しました。",
            "The password is changed and the user's devices are revoked.",
        )
    )


def cmd_device_enroll(args: argparse.Namespace) -> None:
    settings = Settings.from_env(args.database_url)
    ttl = settings.enroll_code_ttl_seconds
    if args.ttl is not None:
        parsed = devices.parse_ttl(args.ttl)
        if parsed is None:
            raise CliError(
                "--ttl は 30m、2h、1d のように 1 分から 30 日の間で指定してください。",
                "Give --ttl like 30m, 2h or 1d, between one minute and 30 days.",
            )
        ttl = parsed
    with _sessions(args)() as s, s.begin():
        user = _user(s, args.user)
        if user.disabled:
            raise CliError("その利用者は無効化されています。", "That user is disabled.")
        code, expires = devices.create_code(s, user=user, ttl_seconds=ttl)
    if args.json:
        print(json.dumps({"code": code, "expires_at": expires.isoformat() + "Z"}))
    else:
        print(
            pick(
                f"登録コード: {code}（有効期限 {expires:%Y-%m-%d %H:%M} UTC、1回限り）",
                f"Enrollment code: {code} (expires {expires:%Y-%m-%d %H:%M} UTC, single use)",
            )
        )


def cmd_case_holders(args: argparse.Namespace) -> None:
    """Which devices and users were sent the case, since when (crud/receipts.py)."""
    from app.server.crud import audit, receipts

    case_id = args.case_id.strip()
    if not case_id or len(case_id) > 36:
        raise CliError("ケースIDが正しくありません。", "That is not a case id.")
    with _sessions(args)() as s, s.begin():
        held = receipts.holders(s, case_id, include_purged=not args.current)
        audit.add(s, action="cli.case_holders", case_id=case_id, devices=len(held))
    if args.json:
        print(json.dumps({"case_id": case_id, "devices": held}, ensure_ascii=False))
        return
    if not held:
        print(pick("このケースを受け取った端末はありません。", "No device was sent this case."))
    for h in held:
        state = (
            pick(f"削除通知 {h['purged_at']}", f"purge announced {h['purged_at']}")
            if h["purged_at"]
            else pick("保持中", "holds it")
        )
        print(
            f"{h['device_id']}  {h['login']} ({h['role']})  {h['first_received_at']} .. "
            f"{h['last_received_at']}  {state}"
        )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yorisoi-server", description="Yorisoi sync server")
    p.add_argument(
        "--database-url",
        default=None,
        help="SQLAlchemy URL (default: YORISOI_DATABASE_URL or a local SQLite file)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "migrate", help="データベースを最新の版にする / bring the database schema up to date"
    ).set_defaults(func=cmd_migrate)
    s = sub.add_parser("serve", help="同期サーバーを起動 / run the sync server")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8400)
    s.add_argument("--certfile")
    s.add_argument("--keyfile")
    s.add_argument("--migrate", action="store_true", help="migrate before serving")
    s.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes on the port (default 1; on Linux each listens on its own "
        "SO_REUSEPORT socket so connections spread evenly)",
    )
    s.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    s.add_argument(
        "--insecure-http",
        action="store_true",
        help="serve plain HTTP on a non-loopback host (refused without it)",
    )
    s.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDR|CIDR",
        help="a reverse proxy whose X-Forwarded-For is believed (repeatable or comma-separated; "
        "default none)",
    )
    s.set_defaults(func=cmd_serve)

    def place_args(q: argparse.ArgumentParser) -> None:
        q.add_argument(
            "--agency", "--agency-id", dest="agency_id", help="agency code (as init) or id"
        )
        q.add_argument(
            "--district", action="append", help="district code (as init) or id (repeatable)"
        )

    def user_args(q: argparse.ArgumentParser) -> None:
        q.add_argument("login")
        q.add_argument("--name")
        q.add_argument("--staff-id")
        place_args(q)
        q.add_argument("--password-stdin", action="store_true")

    a = sub.add_parser("create-admin", help="最初の管理者を作成 / create an administrator")
    user_args(a)
    a.add_argument("--no-password", action="store_true")
    a.set_defaults(func=cmd_create_admin)
    user = sub.add_parser("user", help="利用者 / users").add_subparsers(
        dest="user_command", required=True
    )
    ua = user.add_parser("add", help="利用者を追加 / add a user")
    user_args(ua)
    ua.add_argument("--role", required=True, choices=["outreach", "coordinator", "admin"])
    ua.set_defaults(func=cmd_user_add)
    ul = user.add_parser("list", help="利用者の一覧 / every user: login, name, role, place")
    ul.add_argument("--json", action="store_true")
    ul.set_defaults(func=cmd_user_list)
    ud = user.add_parser("disable", help="disable a user and revoke their devices")
    ud.add_argument("login")
    ud.add_argument("--json", action="store_true")
    ud.set_defaults(func=cmd_user_disable)
    us = user.add_parser("set", help="change a user's role, agency or districts")
    us.add_argument("login")
    us.add_argument("--role", choices=["outreach", "coordinator", "admin"])
    place_args(us)
    us.set_defaults(func=cmd_user_set)
    up = user.add_parser("password", help="set a user's password and revoke their devices")
    up.add_argument("login")
    up.add_argument("--password-stdin", action="store_true")
    up.add_argument("--json", action="store_true")
    up.set_defaults(func=cmd_user_password)
    dev = sub.add_parser("device", help="端末 / devices").add_subparsers(
        dest="device_command", required=True
    )
    de = dev.add_parser("enroll", help="登録コードを発行 / issue an enrolment code")
    de.add_argument("--user", required=True)
    de.add_argument("--json", action="store_true")
    de.add_argument("--ttl", help="how long the code lives: 30m, 2h, 1d (default 24h)")
    de.set_defaults(func=cmd_device_enroll)
    case = sub.add_parser("case", help="ケースの受け渡し記録 / who holds a case").add_subparsers(
        dest="case_command", required=True
    )
    # device list/revoke, audit, case access, master: the administration workspace's commands
    from app.server import cli_admin

    cli_admin.add_commands(sub, dev, case, _sessions)
    ch = case.add_parser("holders", help="devices and users that were sent a case, since when")
    ch.add_argument("case_id")
    ch.add_argument("--current", action="store_true", help="only devices with no purge announced")
    ch.add_argument("--json", action="store_true")
    ch.set_defaults(func=cmd_case_holders)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], None] = args.func
    try:
        func(args)
    except CliError as exc:
        print(pick(exc.ja, exc.en), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one boundary: a message, never a traceback
        print(
            pick(f"エラー: {type(exc).__name__}", f"Error: {type(exc).__name__}"), file=sys.stderr
        )
        if os.environ.get("YORISOI_DEBUG"):
            raise
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
