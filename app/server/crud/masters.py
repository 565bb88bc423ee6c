"""Master data an administrator edits (admin API ``PUT /admin/master/{table}`` and
``yorisoi-server master add|set``): districts, agencies, 小学校区, issue categories, and the
regional resources. One set of checks for both, so a laptop never pulls a row it would refuse
(a malformed id, a code another row already has, a text too long)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.protocol.ids import new_id
from app.server.crud import users
from app.server.crud.tables import TABLES, check_value
from app.server.crud.values import normalise
from app.server.models import Record

# The tables the admin API and the CLI edit (staff rows are written by ``user add``).
EDITABLE = ("district", "agency", "school_zone", "issue_category", "resource")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Codes are stored in cases (issue categories) and matched as quoted JSON text by reports.
CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


class MasterInvalid(Exception):
    """Why the row cannot be written (English, one line, no value echoed back)."""

    def __init__(self, problem: str, ja: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.ja = ja or f"マスタの値が正しくありません（{problem}）。"


def rows(session: Session, table: str) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in session.execute(
            select(Record.data).where(Record.table_name == table).order_by(Record.seq)
        ).scalars()
    ]


def check(table: str, body: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The row id (None: a new row) and the normalised values; MasterInvalid otherwise."""
    if table not in EDITABLE:
        raise MasterInvalid(f"unknown master table: {table[:40]}")
    info = TABLES[table]
    row_id = body.get("id")
    if row_id is not None and (not isinstance(row_id, str) or not UUID.fullmatch(row_id)):
        # Laptops pull whatever is stored here, and refuse a batch touching a malformed id:
        # only the system's own id form (a lower-case UUID, as new_id and the seed make).
        raise MasterInvalid(
            "id: a UUID like 0190f5d2-7a3c-7b21-9c4e-2f1a3b4c5d6e expected",
            "id は UUID（例 0190f5d2-7a3c-7b21-9c4e-2f1a3b4c5d6e）で指定してください。",
        )
    values: dict[str, Any] = {}
    for name, value in body.items():
        if name == "id":
            continue
        col = info.columns.get(name)
        problem = f"unknown field: {name[:60]}" if col is None else check_value(col, value)
        if problem or col is None:
            raise MasterInvalid(problem or "invalid")
        values[name] = normalise(col.kind, value)
    code = values.get("code")
    if "code" in values and (not isinstance(code, str) or not CODE.fullmatch(code)):
        raise MasterInvalid(
            "code: letters, digits, - and _ only (at most 40)",
            "コードは半角英数字と - _ の 40 文字以内で指定してください。",
        )
    if "name" in values and not str(values["name"] or "").strip():
        raise MasterInvalid("name: required", "名称を入力してください。")
    return row_id, values


def put(
    session: Session, table: str, body: dict[str, Any], *, by: str | None, must_exist: bool = False
) -> dict[str, Any]:
    """Create (no ``id``) or change a master row in ``session``'s transaction; returns its data.
    A code another live row of the table holds is refused (laptops keep codes unique)."""
    row_id, values = check(table, body)
    existing = None
    if row_id is not None:
        existing = session.execute(
            select(Record.data).where(Record.table_name == table, Record.id == row_id)
        ).scalar_one_or_none()
    if existing is None and must_exist:
        raise MasterInvalid("no such row", "その行はありません。")
    if existing is None:
        missing = [
            c.name
            for c in TABLES[table].columns.values()
            if not c.nullable and c.default is None and c.name not in values
        ]
        if missing:
            raise MasterInvalid(f"{missing[0]}: required", f"{missing[0]} を指定してください。")
    if "code" in values and (existing is None or existing.get("code") != values["code"]):
        taken = any(
            r.get("code") == values["code"] and r.get("id") != row_id and not r.get("deleted")
            for r in rows(session, table)
        )
        if taken:
            raise MasterInvalid(
                "code: another row already has it", "そのコードは別の行で使われています。"
            )
    if table == "agency" and values.get("default_organiser"):
        # One default organiser: the flag moves to this agency.
        for r in rows(session, "agency"):
            if r.get("default_organiser") and r.get("id") != row_id:
                users.write_record(
                    session, table="agency", row_id=str(r["id"]),
                    values={"default_organiser": False}, by=by,
                )  # fmt: skip
    return users.write_record(session, table=table, row_id=row_id or new_id(), values=values, by=by)
