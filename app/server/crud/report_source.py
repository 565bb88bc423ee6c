"""The 実績報告 source on the server: the generic ``record`` table read as the laptop's typed
tables (same column names, see app.protocol.reports.Source), limited to what the viewer may see.

Fields are read out of the wire-form JSON (``data ->> 'x'`` on PostgreSQL, ``json_extract``
on SQLite); the case id of a child row is ``record.owner`` (an indexed column), so joins to
cases need no JSON. Scope: an administrator sees everything; anyone else sees the cases of
``scope.visible_cases`` (a coordinator: their districts, teams, pledged meetings), the rows
owned by those cases, and the meetings that discussed them, exactly what a pull sends.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Integer, Text, column, func, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, FromClause

from app.protocol.reports import Source, contains_for, day_number_for, probe_for
from app.server.crud import scope
from app.server.crud.scope import Viewer
from app.server.models import Link, Record


def _table(
    name: str,
    fields: dict[str, str],
    viewer: Viewer | None,
    dialect: str,
    *,
    owner_as: str | None = None,
    scope_by: str | None = None,
    bools: tuple[str, ...] = (),
    ints: tuple[str, ...] = (),
) -> FromClause:
    """``fields``: output name -> JSON key. ``scope_by``: "id" (a case row), "owner" (a row
    owned by a case) or "meeting" (a meeting row) for a limited viewer."""
    r = aliased(Record, name=f"rec_{name}")
    cols: list[ColumnElement[Any]] = [r.id.label("id")]
    if owner_as:
        cols.append(r.owner.label(owner_as))

    def kind(out: str) -> Any:
        return Boolean() if out in bools else Integer() if out in ints else Text()

    if dialect == "postgresql":
        # ``json`` is text: each ->> would parse the whole record again. json_to_record
        # parses it once per row and yields every field asked for (typed; a list as its
        # JSON text). Functions in FROM see the row before them (implicitly LATERAL).
        keys = list(dict.fromkeys(fields.values()))
        out_of = {key: out for out, key in fields.items()}
        fn = func.json_to_record(r.data).table_valued(
            *[column(key, kind(out_of[key])) for key in keys]
        )
        tv = fn.render_derived(name=f"j_{name}", with_types=True)
        cols += [tv.c[key].label(out) for out, key in fields.items()]
        stmt = select(*cols).select_from(r).join(tv, true())
    else:
        for out, key in fields.items():
            value = r.data[key]
            if out in bools:
                cols.append(value.as_boolean().label(out))
            elif out in ints:
                cols.append(value.as_integer().label(out))
            else:
                cols.append(value.as_string().label(out))
        stmt = select(*cols)
    stmt = stmt.where(r.table_name == name, r.deleted.is_(False))
    if viewer is not None and not viewer.sees_everything and scope_by:
        cases = scope.visible_cases(viewer)
        if scope_by == "id":
            stmt = stmt.where(r.id.in_(cases))
        elif scope_by == "owner":
            stmt = stmt.where(r.owner.in_(cases))
        else:
            link = aliased(Link)
            stmt = stmt.where(
                r.id.in_(
                    select(link.a).where(
                        link.kind == "meeting_case", link.active, link.b.in_(cases)
                    )
                )
            )
    return stmt.subquery(name)


def issue_vocab(session: Any) -> dict[str, tuple[str, str]]:
    """code -> (ja, en) of the issue-category records (retired and removed ones too: a
    report counts what cases hold), in the master order; empty when there are none."""
    rows = [
        d for d in session.execute(
            select(Record.data).where(Record.table_name == "issue_category")
        ).scalars()
    ]  # fmt: skip
    rows.sort(key=lambda d: (d.get("sort_order") or 0, str(d.get("code") or "")))
    return {
        str(d["code"]): (str(d.get("name") or d["code"]), str(d.get("name_en") or d.get("name")))
        for d in rows
        if d.get("code")
    }


def server_source(viewer: Viewer, dialect: str) -> Source:
    """What ``viewer`` may see of the server's records, shaped for ``stats.compute``."""
    v: Viewer | None = viewer
    case = _table("case", {"district_id": "district_id", "status": "status",
                           "opened": "opened_on", "closed": "closed_on",
                           "cats": "issue_categories"}, v, dialect, scope_by="id")  # fmt: skip
    referral = _table("referral", {"day": "referral_date", "status": "status",
                                   "to_agency_id": "to_agency_id", "reply_day": "reply_date"},
                      v, dialect, owner_as="case_id", scope_by="owner")  # fmt: skip
    contact = _table("contact_record", {"at": "contact_at", "kind": "kind"}, v, dialect,
                     owner_as="case_id", scope_by="owner")  # fmt: skip
    meeting = _table("support_meeting", {"day": "held_on", "district_id": "district_id",
                                         "kind": "kind"}, v, dialect, scope_by="meeting")  # fmt: skip
    meeting_case = _table("meeting_case", {"meeting_id": "meeting_id"}, v, dialect,
                          owner_as="case_id", scope_by="owner")  # fmt: skip
    task = _table("role_assignment", {"due": "due_date", "done": "done",
                                      "completed": "completed_on"}, v, dialect,
                  owner_as="case_id", scope_by="owner", bools=("done",))  # fmt: skip
    district = _table("district", {"code": "code", "name": "name", "sort_order": "sort_order"},
                      None, dialect, ints=("sort_order",))  # fmt: skip
    agency = _table("agency", {"code": "code", "name": "name"}, None, dialect)
    return Source(
        case=case, referral=referral, contact=contact, meeting=meeting,
        meeting_case=meeting_case, task=task, district=district, agency=agency,
        day_number=day_number_for(dialect), contains=contains_for(dialect),
        probe=probe_for(dialect),
        scope="server:all" if viewer.sees_everything else "server:scope",
        params={} if viewer.sees_everything else scope.scope_params(viewer),
    )  # fmt: skip
