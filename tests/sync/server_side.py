"""The server side of sync tests: an administrator over the real HTTP admin API, and an oracle
that reads the real server's database to say what a user may see (the server's own scope rules).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.server.crud import scope
from app.server.crud.tables import MASTER_TABLES, PUSH_ONLY_TABLES
from app.server.crud.users import viewer_of
from app.server.crud.values import normalise
from app.server.models import AppliedOp, Record, User
from app.storage.models import SYNCED_MODELS
from tests.serverproc import ServerProc, client_headers

COMPARE_SKIP = {"created_at", "updated_at", "version"}


@dataclass
class Admin:
    """An enrolled administrator device talking to the real server's admin API."""

    srv: ServerProc
    token: str

    @classmethod
    def create(cls, srv: ServerProc, login: str = "admin") -> Admin:
        srv.add_user(login, "admin")
        admin = cls(srv, srv.enroll(login)["token"])
        admin.seed_master()
        return admin

    def seed_master(self) -> None:
        """The districts and agencies every laptop is created with (same fixed ids)."""
        from app.domain.seed import seed_rows

        with httpx.Client(headers=client_headers(self.token)) as http:
            for table, rows in seed_rows():
                for row in rows:
                    body = {
                        k: v
                        for k, v in row.items()
                        if k not in ("created_at", "updated_at", "version", "deleted")
                    }
                    http.put(f"{self.srv.api}/admin/master/{table}", json=body).raise_for_status()

    def _post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        r = httpx.post(f"{self.srv.api}{path}", json=body or {}, headers=client_headers(self.token))
        r.raise_for_status()
        return dict(r.json())

    def add_user(self, login: str, role: str = "outreach", **kw: Any) -> dict[str, Any]:
        return self._post("/admin/users", {"login": login, "name": kw.pop("name", login),
                                           "role": role, **kw})  # fmt: skip

    def code(self, user_id: int) -> str:
        return str(self._post(f"/admin/users/{user_id}/enroll-code")["code"])

    def revoke(self, device_id: str) -> None:
        self._post(f"/admin/devices/{device_id}/revoke")


class Oracle:
    """Reads the server's database (SQLite file of the real server process)."""

    def __init__(self, srv: ServerProc) -> None:
        self.engine = create_engine(srv.database_url)

    def close(self) -> None:
        self.engine.dispose()

    def visible(self, login: str, tables: set[str]) -> dict[tuple[str, str], dict[str, Any]]:
        """What a pull by ``login`` would hold now: {(table, id): data minus bookkeeping}."""
        with Session(self.engine) as s:
            user = s.execute(select(User).where(User.login == login)).scalar_one()
            viewer = viewer_of(user)
            q = select(Record.table_name, Record.id, Record.data, Record.owner).where(
                Record.table_name.in_(sorted(tables - PUSH_ONLY_TABLES))
            )
            if not viewer.sees_everything:
                params = scope.scope_params(viewer) if hasattr(scope, "scope_params") else {}
                owners = {o for (o,) in s.execute(scope.visible_owner_ids(viewer), params)}
                rows = [r for r in s.execute(q) if r[0] in MASTER_TABLES or r[3] in owners]
            else:
                rows = list(s.execute(q))
            return {(r[0], r[1]): canonical(r[0], r[2]) for r in rows}

    def results(self, op_ids: list[str]) -> dict[str, dict[str, Any]]:
        with Session(self.engine) as s:
            out = {}
            for i in range(0, len(op_ids), 500):
                chunk = op_ids[i : i + 500]
                q = select(AppliedOp.op_id, AppliedOp.result).where(AppliedOp.op_id.in_(chunk))
                out.update({r[0]: r[1] for r in s.execute(q)})
            return out

    def count(self, table: str) -> int:
        with Session(self.engine) as s:
            return len(s.execute(select(Record.id).where(Record.table_name == table)).all())


def canonical(table: str, data: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(data, str):
        data = json.loads(data)
    cols = SYNCED_MODELS[table].__table__.columns  # type: ignore[attr-defined]
    out = {}
    for k, v in data.items():
        if k in COMPARE_SKIP or k not in cols:
            continue
        kind = type(cols[k].type).__name__.lower()
        out[k] = normalise(
            "datetime" if kind == "datetime" else "date" if kind == "date" else "", v
        )
        if kind == "boolean" and v is not None:
            out[k] = bool(v)
    return out
