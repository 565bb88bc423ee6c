"""Run a REAL ``yorisoi-server serve`` process for tests and benchmarks.

    with running_server(tmp_path) as srv:                # SQLite file under tmp_path
    with running_server(tmp_path, database_url=pg_url) as srv:
        srv.url                      # http://127.0.0.1:PORT (API under srv.api = url + /api/v1)
        info = srv.add_user("sato", "outreach", staff_id=..., district_ids=[...], agency_id=...)
        code = srv.enroll_code("sato")                  # one-time enrollment code
        dev = srv.enroll("sato")                        # {"device_id","token","staff",...}
        srv.cli("device", "revoke", dev["device_id"])   # any yorisoi-server admin command
        srv.admin_headers()                             # headers of a bootstrap admin device
        srv.log_text()                                  # the server's structured log so far

Users and codes go through the admin API (a bootstrap administrator is made once with\nthe CLI); ``cli`` runs any command against the same database. The process migrates its database first (``serve --migrate``), is started on a free loopback
port, waited for until /api/v1/health answers, and stopped (terminate, then kill) on exit.
``start_server``/``ServerProc.stop`` do the same without a with-block. ``workers=N`` runs
``serve --workers N`` (N uvicorn worker processes behind one port).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

SCHEMA_HEADER = "X-Yorisoi-Schema"


def server_command() -> list[str]:
    script = Path(sys.executable).parent / (
        "yorisoi-server.exe" if os.name == "nt" else "yorisoi-server"
    )
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.server.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProc:
    database_url: str
    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    serve_args: tuple[str, ...] = ()  # more ``serve`` options (the last --host wins)
    scheme: str = "http"  # "https" with serve_args giving --certfile/--keyfile
    verify: Any = True  # httpx's verify for wait_ready (a CA file for a self-signed cert)
    # A loaded machine (several test sessions at once) can take a while to import and migrate.
    ready_timeout: float = 60.0
    _admin_token: str | None = None
    _user_ids: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"server-{self.port}.log"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def cli(
        self, *args: str, stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        cmd = [*server_command(), "--database-url", self.database_url, *args]
        done = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
            encoding="utf-8",
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"yorisoi-server {args[0]} failed: {done.stderr.strip()}")
        return done

    def admin_headers(self) -> dict[str, str]:
        """A bootstrap administrator's device token (made once with the CLI)."""
        if self._admin_token is None:
            self.cli("create-admin", f"serverproc-admin-{self.port}", "--no-password")
            code = json.loads(
                self.cli(
                    "device", "enroll", "--user", f"serverproc-admin-{self.port}", "--json"
                ).stdout
            )["code"]
            r = httpx.post(
                f"{self.api}/auth/enroll",
                json={"code": code, "device_name": "serverproc"},
                verify=self.verify,
            )
            r.raise_for_status()
            self._admin_token = str(r.json()["token"])
        return client_headers(self._admin_token)

    def add_user(
        self,
        login: str,
        role: str,
        *,
        name: str | None = None,
        staff_id: str | None = None,
        district_ids: list[str] | tuple[str, ...] = (),
        agency_id: str | None = None,
        password: str | None = None,
    ) -> dict[str, Any]:
        """Create a user through the admin API; returns its id, login, role and staff_id."""
        body: dict[str, Any] = {
            "login": login,
            "name": name or login,
            "role": role,
            "district_ids": list(district_ids),
        }
        for key, value in (
            ("staff_id", staff_id),
            ("agency_id", agency_id),
            ("password", password),
        ):
            if value is not None:
                body[key] = value
        r = httpx.post(
            f"{self.api}/admin/users", json=body, headers=self.admin_headers(), verify=self.verify
        )
        if r.status_code != 201:
            raise RuntimeError(f"add_user failed: {r.status_code} {r.text}")
        user = dict(r.json())
        self._user_ids[login] = int(user["id"])
        return user

    def user_id(self, login: str) -> int:
        if login not in self._user_ids:
            r = httpx.get(
                f"{self.api}/admin/users", headers=self.admin_headers(), verify=self.verify
            )
            r.raise_for_status()
            self._user_ids.update({u["login"]: int(u["id"]) for u in r.json()})
        return self._user_ids[login]

    def enroll_code(self, login: str) -> str:
        """A one-time enrollment code for the user (admin API)."""
        r = httpx.post(
            f"{self.api}/admin/users/{self.user_id(login)}/enroll-code",
            headers=self.admin_headers(),
            verify=self.verify,
        )
        r.raise_for_status()
        return str(r.json()["code"])

    def enroll(self, login: str, device_name: str = "test laptop") -> dict[str, Any]:
        r = httpx.post(
            f"{self.api}/auth/enroll",
            json={"code": self.enroll_code(login), "device_name": device_name},
            verify=self.verify,
        )
        r.raise_for_status()
        return dict(r.json())

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_text()[-2000:]}")
            try:
                health = httpx.get(f"{self.api}/health", timeout=1.0, verify=self.verify)
                if health.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError("server did not answer in time")

    def start(self) -> ServerProc:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                *server_command(),
                "--database-url",
                self.database_url,
                "serve",
                "--migrate",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *(["--workers", str(self.workers)] if self.workers > 1 else []),
                *self.serve_args,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=self.workdir,
        )
        log.close()
        try:
            self.wait_ready(self.ready_timeout)
        except BaseException:
            # A server that did not come up is not left behind: with --workers its supervisor
            # would keep restarting workers against a database the caller is about to drop.
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def start_server(
    workdir: Path,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    workers: int = 1,
    **options: Any,
) -> ServerProc:
    """``options``: more ServerProc fields (serve_args, scheme, verify)."""
    workdir.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{(workdir / 'server.db').as_posix()}"
    env = {**os.environ, "YORISOI_HOME": str(workdir / "home"), **(extra_env or {})}
    env.pop("YORISOI_DATABASE_URL", None)
    srv = ServerProc(
        database_url=url, port=free_port(), workdir=workdir, env=env, workers=workers, **options
    )
    try:
        return srv.start()
    except BaseException:
        srv.stop()  # a server that did not answer in time is not left running
        raise


@contextmanager
def running_server(
    tmp_path: Path,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    workers: int = 1,
    **options: Any,
) -> Iterator[ServerProc]:
    srv = start_server(tmp_path, database_url, extra_env, workers, **options)
    try:
        yield srv
    finally:
        srv.stop()


def client_headers(token: str, schema: int | None = None) -> dict[str, str]:
    from app import SCHEMA_VERSION

    return {"Authorization": f"Bearer {token}", SCHEMA_HEADER: str(schema or SCHEMA_VERSION)}
