"""Supervision of caseloads: who carries which cases, and handing cases to another worker.

A coordinator sees the open cases this laptop holds grouped by worker, district, status and
urgency, drills down to the case list, and reassigns cases in bulk. A reassignment is an
ordinary edit (it goes through the outbox and syncs): the case's ``assigned_staff_id`` moves,
the old worker's support-team rows are tombstoned and the new worker joins the team, and the
handover note becomes a 役割分担 task of the new worker (so it is on their worklist when their
laptop receives the case). The server then purges the case from a laptop whose user no longer
holds it (app/sync/purge.py). The server refuses such pushes from outreach workers
(app/server/crud/write_rules.py); this module refuses them first, with a clear message.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import NotFound, ValidationError
from app.domain.records import Actor
from app.services import audit
from app.services.lookup import Names
from app.storage.models import Case, CaseTeamMember, RoleAssignment, Staff

COORDINATOR_ROLES = frozenset({"coordinator", "admin"})
HANDOVER_DAYS = 7  # the handover task is due this many days after the reassignment
UNASSIGNED = ""  # the group key of cases without a worker


@dataclass(frozen=True)
class LoadRow:
    """One worker's (or, grouped by district, one district's) open cases, counted by
    district, worker, status and urgency."""

    staff_id: str  # the group's key: a staff id (or a district id); UNASSIGNED for none
    staff_name: str  # the group's label
    total: int
    by_district: dict[str, int]
    by_status: dict[str, int]
    by_urgency: dict[str, int]
    by_staff: dict[str, int] | None = None
    group: str = "staff"  # staff / district


@dataclass(frozen=True)
class ReassignResult:
    moved: tuple[str, ...]  # case ids handed over
    unchanged: tuple[str, ...]  # already the new worker's
    to_staff_id: str
    task_ids: tuple[str, ...]


def require_coordinator(actor: Actor) -> None:
    if actor.role not in COORDINATOR_ROLES:
        raise ValidationError(
            "ケースの割当・引き継ぎはコーディネーター（包括化推進員など）が行います。",
            "Only coordinators and administrators assign and reassign cases.",
        )


def caseload(
    session: Session, *, include_closed: bool = False, district_id: str | None = None,
    group: str = "staff",
) -> list[LoadRow]:  # fmt: skip
    """Rows per worker (``group="district"``: per district), the unassigned last, busiest
    first."""
    if group not in ("staff", "district"):
        raise ValidationError(
            "集計の単位は staff か district です。", "Group by staff or district."
        )
    names = Names(session)
    stmt = select(Case.assigned_staff_id, Case.district_id, Case.status, Case.urgency).where(
        Case.deleted.is_(False)
    )
    if not include_closed:
        stmt = stmt.where(Case.status != "closed")
    if district_id:
        stmt = stmt.where(Case.district_id == district_id)
    groups: dict[str, tuple[Counter[str], Counter[str], Counter[str], Counter[str]]] = {}
    for staff, district, status, urgency in session.execute(stmt):
        key = (staff if group == "staff" else district) or UNASSIGNED
        d, s, u, w = groups.setdefault(key, (Counter(), Counter(), Counter(), Counter()))
        d[district or ""] += 1
        s[status] += 1
        u[urgency] += 1
        w[staff or ""] += 1
    label = names.staff_name if group == "staff" else names.district
    rows = [
        LoadRow(staff_id=k, staff_name=label(k) or "" if k else "",
                total=sum(d.values()), by_district=dict(d), by_status=dict(s),
                by_urgency=dict(u), by_staff=dict(w), group=group)
        for k, (d, s, u, w) in groups.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: (r.staff_id == UNASSIGNED, -r.total, r.staff_name))
    return rows


def load_case_ids(
    session: Session,
    *,
    staff_id: str | None,
    district_id: str | None = None,
    status: str | None = None,
    urgency: str | None = None,
    include_closed: bool = False,
) -> list[str]:
    """The drill-down: the cases of one cell (``staff_id`` UNASSIGNED: nobody's), newest
    change first."""
    stmt = select(Case.id).where(Case.deleted.is_(False))
    if staff_id is not None:
        stmt = stmt.where(
            Case.assigned_staff_id.is_(None)
            if staff_id == UNASSIGNED
            else Case.assigned_staff_id == staff_id
        )
    if district_id is not None:
        stmt = stmt.where(
            Case.district_id.is_(None) if district_id == "" else Case.district_id == district_id
        )
    if status:
        stmt = stmt.where(Case.status == status)
    elif not include_closed:
        stmt = stmt.where(Case.status != "closed")
    if urgency:
        stmt = stmt.where(Case.urgency == urgency)
    return list(session.scalars(stmt.order_by(Case.updated_at.desc(), Case.id.desc())))


def reassign_cases(
    session: Session,
    actor: Actor,
    case_ids: list[str],
    *,
    to_staff_id: str,
    reason: str,
    note: str = "",
    today: dt.date | None = None,
) -> ReassignResult:
    """Hand ``case_ids`` to ``to_staff_id``, in the caller's transaction (all or nothing)."""
    require_coordinator(actor)
    reason = (reason or "").strip()
    note = (note or "").strip()
    if not reason:
        raise ValidationError(
            "引き継ぎの理由を入力してください。", "Give a reason for the handover.", field="reason"
        )
    if len(reason) > 200:
        raise ValidationError(
            "理由は200文字以内です。", "Reason: 200 characters at most.", field="reason"
        )
    if not case_ids:
        raise ValidationError(
            "引き継ぐケースを選んでください。", "Select the cases to hand over.", field="cases"
        )
    to = session.get(Staff, to_staff_id)
    if to is None or to.deleted or not to.active:
        raise ValidationError(
            "引き継ぎ先の職員が見つかりません。", "No such (active) staff member.", field="to"
        )
    today = today or dt.date.today()
    moved: list[str] = []
    unchanged: list[str] = []
    tasks: list[str] = []
    for case_id in dict.fromkeys(case_ids):
        c = session.get(Case, case_id)
        if c is None or c.deleted:
            raise NotFound.of("case", case_id)
        if c.assigned_staff_id == to_staff_id:
            unchanged.append(case_id)
            continue
        old = c.assigned_staff_id
        c.assigned_staff_id = to_staff_id
        team = list(
            session.scalars(
                select(CaseTeamMember).where(
                    CaseTeamMember.case_id == case_id, CaseTeamMember.deleted.is_(False)
                )
            )
        )
        for t in team:
            if old and t.staff_id == old:
                t.deleted = True  # the old worker leaves the team (a tombstone, kept)
        if not any(t.staff_id == to_staff_id for t in team):
            session.add(
                CaseTeamMember(case_id=case_id, staff_id=to_staff_id, agency_id=to.agency_id,
                               role="主担当")
            )  # fmt: skip
        task = RoleAssignment(
            case_id=case_id,
            staff_id=to_staff_id,
            agency_id=to.agency_id,
            task=f"引き継ぎ（{reason}）" + (f": {note}" if note else ""),
            due_date=today + dt.timedelta(days=HANDOVER_DAYS),
        )
        session.add(task)
        session.flush()
        tasks.append(task.id)
        moved.append(case_id)
        # Ids only (no reason text: it may name the person).
        audit.record(session, actor, "update", "case", case_id,
                     f"reassigned {old or '-'} -> {to_staff_id}")  # fmt: skip
    return ReassignResult(
        moved=tuple(moved), unchanged=tuple(unchanged), to_staff_id=to_staff_id,
        task_ids=tuple(tasks),
    )  # fmt: skip


def cases_of(session: Session, staff_id: str) -> list[str]:
    """All open cases ``staff_id`` is the assigned worker of (for "hand over all")."""
    return load_case_ids(session, staff_id=staff_id)
