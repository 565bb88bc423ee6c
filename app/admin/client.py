"""Admin API client: users, enrolment codes, devices, audit, master data.

The password is sent once, at sign-in, and never kept; the session token lives in this
object only (never on disk), so locking the app or quitting ends the session. Errors carry
the server's own one-line messages (Japanese and English), e.g. the password strength rule.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import httpx

from app import __version__
from app.sync.transport import API, TIMEOUT, normalize_server_url


class AdminError(Exception):
    """A refused or failed admin request, with the server's messages."""

    def __init__(self, code: str, message_ja: str, message_en: str, status: int = 0) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en
        self.status = status


UNREACHABLE = AdminError(
    "unreachable",
    "サーバーに接続できません。ネットワークとサーバーのアドレスを確かめてください。",
    "The server cannot be reached. Check the network and the server address.",
)
NOT_SIGNED_IN = AdminError(
    "not_signed_in", "管理者としてサインインしていません。", "Not signed in as an administrator."
)


@dataclass(frozen=True)
class AdminSession:
    session_id: str
    user_id: int
    login: str
    expires_at: str


class AdminClient:
    def __init__(self, server_url: str, *, client: httpx.Client | None = None) -> None:
        self.server_url = normalize_server_url(server_url)
        self._client = client or httpx.Client(timeout=TIMEOUT)
        self._token: str | None = None
        self.session: AdminSession | None = None

    # --- session ------------------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self._token is not None

    def sign_in(self, login: str, password: str) -> AdminSession:
        data = self._call("POST", "/auth/session", {"login": login, "password": password},
                          auth=False)  # fmt: skip
        self._token = str(data["token"])
        self.session = AdminSession(
            str(data["session_id"]), int(data["user_id"]), str(data["login"]),
            str(data["expires_at"]),
        )  # fmt: skip
        return self.session

    def sign_out(self, timeout: float | None = None) -> None:
        """End the session on the server (best effort) and forget the token either way."""
        self.end_session(self.forget(), timeout)

    def forget(self) -> str | None:
        """Forget the session at once (locking): returns its token for ``end_session``."""
        token, self._token, self.session = self._token, None, None
        return token

    def end_session(self, token: str | None, timeout: float | None = None) -> None:
        """``DELETE /auth/session`` for ``token`` (best effort, ``timeout`` seconds at most
        when given): any thread, the client's connection pool is shared safely."""
        if token is None:
            return
        headers = {**self._headers(False), "Authorization": f"Bearer {token}"}
        wait: Any = httpx.Timeout(timeout) if timeout is not None else httpx.USE_CLIENT_DEFAULT
        with contextlib.suppress(httpx.HTTPError):
            self._client.request(
                "DELETE", self.server_url + API + "/auth/session", headers=headers, timeout=wait
            )

    def use_token(self, token: str) -> None:
        """An existing admin token (the CLI's ``--token`` or a test)."""
        self._token = token

    # --- users --------------------------------------------------------------------------------

    def users(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/admin/users", None))

    def add_user(self, **body: Any) -> dict[str, Any]:
        return dict(
            self._call("POST", "/admin/users", {k: v for k, v in body.items() if v is not None})
        )

    def change_user(self, user_id: int, **changes: Any) -> dict[str, Any]:
        return dict(self._call("PATCH", f"/admin/users/{int(user_id)}", changes))

    def disable_user(self, user_id: int) -> dict[str, Any]:
        return dict(self._call("POST", f"/admin/users/{int(user_id)}/disable", {}))

    def enroll_code(self, user_id: int, ttl: str | None = None) -> dict[str, Any]:
        query = f"?ttl={ttl}" if ttl else ""
        return dict(self._call("POST", f"/admin/users/{int(user_id)}/enroll-code{query}", {}))

    # --- devices ------------------------------------------------------------------------------

    def devices(self, stale_days: int = 7) -> list[dict[str, Any]]:
        return list(self._call("GET", f"/admin/devices?stale_days={int(stale_days)}", None))

    def revoke_device(self, device_id: str, reason: str | None = None) -> dict[str, Any]:
        body = {"reason": reason} if reason else None
        return dict(self._call("POST", f"/admin/devices/{device_id}/revoke", body))

    # --- audit --------------------------------------------------------------------------------

    def audit(
        self, *, before_id: int | None = None, limit: int = 200, **flt: Any
    ) -> dict[str, Any]:
        params = {k: v for k, v in flt.items() if v not in (None, "")}
        if before_id is not None:
            params["before_id"] = before_id
        params["limit"] = limit
        return dict(self._call("GET", "/admin/audit/events", None, params=params))

    def audit_csv(self, **flt: Any) -> bytes:
        params = {k: v for k, v in flt.items() if v not in (None, "")}
        return self._raw("GET", "/admin/audit/export.csv", params=params)

    def case_access(self, case_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/admin/cases/{case_id}/access", None))

    # --- master data --------------------------------------------------------------------------

    def master(self, table: str) -> list[dict[str, Any]]:
        return list(self._call("GET", f"/admin/master/{table}", None))

    def put_master(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("PUT", f"/admin/master/{table}", row))

    # --- plumbing -----------------------------------------------------------------------------

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {"User-Agent": f"yorisoi-admin/{__version__}", "Accept": "application/json"}
        if auth:
            if self._token is None:
                raise NOT_SIGNED_IN
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _send(self, method: str, path: str, body: Any, params: dict[str, Any] | None,
              auth: bool) -> httpx.Response:  # fmt: skip
        try:
            resp = self._client.request(
                method, self.server_url + API + path, json=body, params=params,
                headers=self._headers(auth),
            )  # fmt: skip
        except httpx.TransportError:
            raise UNREACHABLE from None
        if resp.status_code >= 400:
            raise _error(resp)
        return resp

    def _call(self, method: str, path: str, body: Any, *, auth: bool = True,
              params: dict[str, Any] | None = None) -> Any:  # fmt: skip
        resp = self._send(method, path, body, params, auth)
        return resp.json() if resp.content else {}

    def _raw(self, method: str, path: str, *, params: dict[str, Any] | None = None) -> bytes:
        return self._send(method, path, None, params, True).content


def _error(resp: httpx.Response) -> AdminError:
    try:
        data = resp.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    code = str(data.get("error") or "http_error")
    ja = str(data.get("message_ja") or f"サーバーがエラーを返しました（{resp.status_code}）。")
    en = str(data.get("message_en") or f"The server answered {resp.status_code}.")
    if code == "invalid" and isinstance(data.get("detail"), list) and data["detail"]:
        first = data["detail"][0]
        if isinstance(first, dict) and first.get("msg"):
            en = f"{en} ({first.get('loc', [''])[-1]}: {first['msg']})"
    return AdminError(code, ja, en, resp.status_code)
