"""HTTP client for the sync protocol (docs/sync-protocol.md): headers, timeouts, named errors.

Thread use: one ``Transport`` per sync run, used from one thread. Tests may hand in their own
``httpx.Client`` (an in-process server, or a fault-injecting transport at the network boundary).
Otherwise every ``Transport`` of the process shares one kept-alive ``httpx.Client``
(``shared_client``): building a client loads the system CA store (~40 ms) and a new connection
costs a TCP and TLS handshake, both of which an incremental sync would otherwise pay every run.
The token is sent per request, never kept in the shared client.
"""

from __future__ import annotations

import atexit
import logging
import threading
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from app import SCHEMA_VERSION, __version__
from app.sync.errors import (
    DeviceRevoked,
    EnrollmentFailed,
    InsecureServerUrl,
    InvalidServerUrl,
    ServerError,
    ServerUnreachable,
    SyncError,
    SyncRejected,
    TokenInvalid,
    UpgradeRequired,
    UserDisabled,
)

log = logging.getLogger(__name__)

API = "/api/v1"
TIMEOUT = httpx.Timeout(connect=5.0, read=120.0, write=60.0, pool=10.0)
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
# Idle connections are dropped before a server's usual keep-alive timeout (uvicorn: 5 s), so a
# request is not sent on a connection the server is closing at that moment.
LIMITS = httpx.Limits(max_connections=8, max_keepalive_connections=4, keepalive_expiry=4.0)

_shared: httpx.Client | None = None
_shared_guard = threading.Lock()


def shared_client() -> httpx.Client:
    """The process's kept-alive HTTP client (thread-safe; built on first use)."""
    global _shared
    with _shared_guard:
        if _shared is None or _shared.is_closed:
            _shared = httpx.Client(timeout=TIMEOUT, http2=False, limits=LIMITS)
        return _shared


@atexit.register
def close_shared_client() -> None:
    global _shared
    with _shared_guard:
        if _shared is not None:
            _shared.close()
            _shared = None


def normalize_server_url(url: str) -> str:
    """``https://host[:port]`` without a trailing slash or API prefix. Plain http only to loopback."""
    url = url.strip().rstrip("/")
    if url.endswith(API):
        url = url[: -len(API)]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidServerUrl()
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise InsecureServerUrl()
    return url


class Transport:
    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        client: httpx.Client | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self._token = token
        self.client = client or shared_client()
        self.last_server_time: str | None = None

    def __repr__(self) -> str:
        return f"Transport({self.server_url!r})"

    def set_token(self, token: str) -> None:
        self._token = token

    def close(self) -> None:
        """Nothing to release: a client handed in belongs to its owner, the shared one stays
        open for the next run (``close_shared_client`` closes it)."""

    # --- endpoints ----------------------------------------------------------------------------

    def enroll(self, code: str, device_name: str) -> dict[str, Any]:
        try:
            return self._call("POST", "/auth/enroll", {"code": code, "device_name": device_name},
                              auth=False)  # fmt: skip
        except (TokenInvalid, SyncRejected) as exc:
            if isinstance(exc, SyncRejected) and exc.status >= 500:
                raise
            raise EnrollmentFailed() from None

    def login(
        self, login: str, password: str, device_name: str, device_id: str | None = None
    ) -> dict[str, Any]:
        """Enrol by password (``/auth/login``); an enrolled laptop sends its ``device_id`` and
        keeps that device (a new token), so logging in again adds no device."""
        body = {"login": login, "password": password, "device_name": device_name}
        if device_id:
            body["device_id"] = device_id
        try:
            return self._call("POST", "/auth/login", body, auth=False)
        except (TokenInvalid, SyncRejected) as exc:
            if isinstance(exc, SyncRejected) and exc.status >= 500:
                raise
            raise EnrollmentFailed() from None

    def refresh(self) -> dict[str, Any]:
        return self._call("POST", "/auth/refresh", {})

    def status(self) -> dict[str, Any]:
        return self._call("GET", "/sync/status", None)

    def push(self, batch_id: str, changes: list[dict[str, Any]]) -> dict[str, Any]:
        return self._call("POST", "/sync/push", {"batch_id": batch_id, "changes": changes})

    def pull(
        self, cursor: int, limit: int, report: tuple[int, int] | None = None
    ) -> dict[str, Any]:
        """``report``: (changes waiting to be pushed, refused changes not dismissed), sent as
        headers for the administrators' device health (counts only; the app and schema
        versions already go with every request)."""
        extra = None
        if report is not None:
            extra = {"X-Yorisoi-Pending": str(int(report[0])),
                     "X-Yorisoi-Rejected": str(int(report[1]))}  # fmt: skip
        path = f"/sync/pull?cursor={int(cursor)}&limit={int(limit)}"
        return self._call("GET", path, None, extra=extra)

    def report_summary(self, query: dict[str, str]) -> dict[str, Any]:
        """GET /reports/summary (実績報告 computed on the server)."""
        from urllib.parse import urlencode

        return self._call("GET", f"/reports/summary?{urlencode(query)}", None)

    # --- plumbing -----------------------------------------------------------------------------

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {
            "X-Yorisoi-Schema": str(SCHEMA_VERSION),
            "User-Agent": f"yorisoi/{__version__}",
            "Accept": "application/json",
        }
        if auth and self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _call(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        auth: bool = True,
        extra: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        headers = self._headers(auth)
        if extra:
            headers.update(extra)
        content = None
        if body is not None:
            content = orjson.dumps(body)  # compact UTF-8, ~15x faster than json.dumps
            headers["Content-Type"] = "application/json"
        try:
            # Streamed and joined here rather than ``resp.content``: httpx keeps each response in
            # a reference cycle (with httpcore's pool request) that only the cyclic garbage
            # collector frees, and a response holding its body would keep every pulled page's
            # megabytes alive until then.
            with self.client.stream(
                method, self.server_url + API + path, content=content, headers=headers
            ) as resp:
                raw = b"".join(resp.iter_bytes())
                status = resp.status_code
        except httpx.TransportError as exc:
            log.info("sync request failed: %s", type(exc).__name__)
            raise ServerUnreachable() from None
        try:
            data = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            data = {}
        del raw
        if not isinstance(data, dict):
            data = {}
        if status >= 400:
            raise map_error(status, data)
        if "server_time" in data:
            self.last_server_time = str(data["server_time"])
        return data


def map_error(status: int, data: dict[str, Any]) -> SyncError:
    code = str(data.get("error") or "")
    if status == 426 or code == "upgrade_required":
        return UpgradeRequired(data.get("min_schema"), data.get("max_schema"))
    if status == 403 and code == "device_revoked":
        return DeviceRevoked()
    if status == 403 and code == "user_disabled":
        return UserDisabled()
    if status == 401:
        return TokenInvalid()
    if status >= 500:
        return ServerError()
    if status == 404 and not code:
        # Not a Yorisoi server (or a wrong path): treat as unreachable, keep everything.
        return ServerUnreachable()
    return SyncRejected(code or "invalid", status)
