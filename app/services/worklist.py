"""やること: the follow-up worklist of one user or of the whole team on this laptop.

Everything is computed from the local store (it works offline): visits due (the next-action
date of a case's latest contact record), 役割分担 tasks due (RoleAssignment), referrals
waiting for a reply, consents about to lapse and open cases nobody has contacted for a while.
The day thresholds are local settings (``LocalSetting``) with the defaults of ``DEFAULTS``.
No Qt here; the GUI view (ui/views/worklist.py) and ``yorisoi todo`` share this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from app.domain.errors import ValidationError
from app.domain.records import Actor
from app.services.lookup import Names
from app.services.profile import get_setting, set_setting
from app.storage.models import Case, CaseTeamMember, ContactRecord, Person, Referral, RoleAssignment

# The kinds of item, in the order the worklist shows them.
KINDS: dict[str, tuple[str, str]] = {
    "visit": ("訪問予定", "Visit due"),
    "task": ("役割分担", "Task due"),
    "referral": ("紹介の返信待ち", "Referral awaiting reply"),
    "consent": ("同意の期限", "Consent expiring"),
    "no_contact": ("長く連絡なし", "No recent contact"),
}

# Local settings (key -> default days). A visit or task shows from ``due_soon_days`` before its
# date; a referral sent ``referral_reply_days`` ago without a reply; a consent given
# ``consent_valid_days`` ago lapses then and shows ``consent_warn_days`` before; an open case
# with no contact record for ``no_contact_days`` (counted from its opening if it has none).
DEFAULTS: dict[str, int] = {
    "due_soon_days": 7,
    "referral_reply_days": 14,
    "consent_valid_days": 365,
    "consent_warn_days": 30,
    "no_contact_days": 30,
}
_PREFIX = "worklist."
_NARROW_MAX = 5000  # at most this many own case ids are bound into the queries
# Referral states that still wait for the receiving agency's reply.
_WAITING = ("sent", "received")


@dataclass(frozen=True)
class Thresholds:
    due_soon_days: int = DEFAULTS["due_soon_days"]
    referral_reply_days: int = DEFAULTS["referral_reply_days"]
    consent_valid_days: int = DEFAULTS["consent_valid_days"]
    consent_warn_days: int = DEFAULTS["consent_warn_days"]
    no_contact_days: int = DEFAULTS["no_contact_days"]


@dataclass(frozen=True)
class TodoItem:
    """One thing to do. ``due`` is the date it is (or was) due; ``days_late`` is positive when
    overdue, zero on the day, negative before. ``ref_id`` names the record behind it (a contact
    record, task or referral; the case itself for consent and no-contact items)."""

    kind: str
    case_id: str
    case_number: str
    person_name: str | None
    staff_id: str | None
    staff_name: str | None
    due: dt.date
    days_late: int
    text: str
    ref_id: str


@dataclass(frozen=True)
class Worklist:
    scope: str  # mine / team
    today: dt.date
    thresholds: Thresholds
    items: tuple[TodoItem, ...]

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for i in self.items:
            out[i.kind] += 1
        return out

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.days_late > 0)


def thresholds(session: Session) -> Thresholds:
    values: dict[str, int] = {}
    for key, default in DEFAULTS.items():
        raw = get_setting(session, _PREFIX + key, default)
        values[key] = raw if isinstance(raw, int) and raw >= 0 else default
    return Thresholds(**values)


def set_threshold(session: Session, key: str, days: Any) -> Thresholds:
    """Store one threshold (days, 0..3650) as a local setting."""
    if key not in DEFAULTS:
        raise ValidationError(
            f"設定「{key}」はありません（{', '.join(DEFAULTS)}）。",
            f"No setting {key!r} (one of {', '.join(DEFAULTS)}).",
            field=key,
        )
    try:
        n = int(days)
    except (TypeError, ValueError):
        n = -1
    if not 0 <= n <= 3650:
        raise ValidationError(
            "日数は 0 から 3650 の整数で指定してください。",
            "Give the days as a whole number from 0 to 3650.",
            field=key,
        )
    set_setting(session, _PREFIX + key, n)
    return replace(thresholds(session), **{key: n})


def _my_case_ids(session: Session, staff_id: str) -> set[str]:
    team = select(CaseTeamMember.case_id).where(
        CaseTeamMember.staff_id == staff_id, CaseTeamMember.deleted.is_(False)
    )
    return set(
        session.scalars(
            select(Case.id).where(
                Case.deleted.is_(False), or_(Case.assigned_staff_id == staff_id, Case.id.in_(team))
            )
        )
    )


def worklist(
    session: Session,
    actor: Actor,
    *,
    scope: str = "mine",
    today: dt.date | None = None,
    kinds: tuple[str, ...] = (),
    staff_id: str | None = None,
    district_id: str | None = None,
    overdue_only: bool = False,
) -> Worklist:
    """The worklist. ``scope`` "mine": the actor's own cases and tasks; "team": every case this
    laptop holds (its user's team, or a coordinator's districts). ``staff_id`` narrows to one
    worker (the case's assigned worker, or the task's assignee)."""
    if scope not in ("mine", "team"):
        raise ValidationError(
            "範囲は mine（自分）か team（チーム）です。", "Scope is mine or team.", field="scope"
        )
    for k in kinds:
        if k not in KINDS:
            raise ValidationError(
                f"種類「{k}」はありません（{', '.join(KINDS)}）。",
                f"No kind {k!r} (one of {', '.join(KINDS)}).",
                field="kind",
            )
    today = today or dt.date.today()
    th = thresholds(session)
    names = Names(session)
    me = actor.staff_id
    mine = _my_case_ids(session, me) if scope == "mine" and me else None
    # A user's own cases are few: every query below is narrowed to them in SQL.
    narrow = sorted(mine) if mine is not None and len(mine) <= _NARROW_MAX else None
    cases: dict[str, Any] = {}
    stmt = (
        select(Case.id, Case.case_number, Case.assigned_staff_id, Case.district_id,
               Case.consent_status, Case.consent_date, Case.opened_on, Case.created_at,
               Person.name)
        .outerjoin(Person, Person.id == Case.person_id)
        .where(Case.deleted.is_(False), Case.status != "closed")
    )  # fmt: skip
    if district_id:
        stmt = stmt.where(Case.district_id == district_id)
    if narrow is not None:
        stmt = stmt.where(Case.id.in_(narrow))
    for row in session.execute(stmt):
        if mine is not None and row[0] not in mine:
            continue
        cases[row[0]] = row
    items: list[TodoItem] = []
    staff_names = names.staff

    def add(kind: str, c: Any, staff: str | None, due: dt.date, text: str, ref: str) -> None:
        items.append(
            TodoItem(kind=kind, case_id=c[0], case_number=c[1], person_name=c[8],
                     staff_id=staff, staff_name=staff_names.get(staff or ""), due=due,
                     days_late=(today - due).days, text=text, ref_id=ref)
        )  # fmt: skip

    horizon = today + dt.timedelta(days=th.due_soon_days)
    # Visits: the next-action date of each open case's latest contact record.
    latest = (
        select(
            ContactRecord.case_id,
            func.max(ContactRecord.contact_at).label("at"),
        )
        .where(ContactRecord.deleted.is_(False))
        .where(ContactRecord.case_id.in_(narrow) if narrow is not None else true())
        .group_by(ContactRecord.case_id)
        .subquery()
    )
    last_contact: dict[str, dt.datetime] = {}
    for cr in session.execute(
        select(ContactRecord.id, ContactRecord.case_id, ContactRecord.contact_at,
               ContactRecord.next_action, ContactRecord.next_action_date,
               ContactRecord.staff_id)
        .join(latest, (latest.c.case_id == ContactRecord.case_id)
              & (latest.c.at == ContactRecord.contact_at))
        .where(ContactRecord.deleted.is_(False))
    ):  # fmt: skip
        last_contact[cr[1]] = cr[2]
        c = cases.get(cr[1])
        if c is None or cr[4] is None or cr[4] > horizon:
            continue
        add("visit", c, c[2] or cr[5], cr[4], cr[3] or "", cr[0])
    # Tasks (役割分担) not done.
    task_stmt = select(
        RoleAssignment.id, RoleAssignment.case_id, RoleAssignment.staff_id,
        RoleAssignment.task, RoleAssignment.due_date,
    ).where(RoleAssignment.deleted.is_(False), RoleAssignment.done.is_(False),
            RoleAssignment.due_date.is_not(None), RoleAssignment.due_date <= horizon)  # fmt: skip
    if narrow is not None:
        task_stmt = task_stmt.where(
            or_(RoleAssignment.staff_id == me, RoleAssignment.case_id.in_(narrow))
        )
    for t in session.execute(task_stmt):
        c = cases.get(t[1])
        if c is None and not (scope == "mine" and me and t[2] == me):
            continue
        if scope == "mine" and me and t[2] not in (me, None):
            continue  # someone else's task on one of my cases
        if c is None:
            c = session.execute(
                select(Case.id, Case.case_number, Case.assigned_staff_id, Case.district_id,
                       Case.consent_status, Case.consent_date, Case.opened_on, Case.created_at,
                       Person.name)
                .outerjoin(Person, Person.id == Case.person_id).where(Case.id == t[1])
            ).first()  # fmt: skip
            if c is None:
                continue
        if t[4] is not None:
            add("task", c, t[2], t[4], t[3], t[0])
    # Referrals waiting for a reply.
    cutoff = today - dt.timedelta(days=th.referral_reply_days)
    for r in session.execute(
        select(Referral.id, Referral.case_id, Referral.receipt_number, Referral.referral_date,
               Referral.from_staff_id, Referral.to_agency_id)
        .where(Referral.deleted.is_(False), Referral.status.in_(_WAITING),
               Referral.reply_date.is_(None), Referral.referral_date.is_not(None),
               Referral.referral_date <= cutoff,
               Referral.case_id.in_(narrow) if narrow is not None else true())
    ):  # fmt: skip
        c = cases.get(r[1])
        if c is None or r[3] is None:
            continue
        due = r[3] + dt.timedelta(days=th.referral_reply_days)
        to = names.agency(r[5]) or ""
        add("referral", c, r[4] or c[2], due, f"{r[2]} → {to}", r[0])
    for c in cases.values():
        # Consents about to lapse.
        if c[4] == "given" and c[5] is not None:
            lapses = c[5] + dt.timedelta(days=th.consent_valid_days)
            if lapses - today <= dt.timedelta(days=th.consent_warn_days):
                add("consent", c, c[2], lapses, f"{c[5].isoformat()} の同意", c[0])
        # No contact for a while.
        last = last_contact.get(c[0])
        since = last.date() if last else (c[6] or c[7].date())
        due = since + dt.timedelta(days=th.no_contact_days)
        if due <= today:
            add("no_contact", c, c[2], due, f"最終 {since.isoformat()}", c[0])
    if kinds:
        items = [i for i in items if i.kind in kinds]
    if staff_id:
        items = [i for i in items if i.staff_id == staff_id]
    if overdue_only:
        items = [i for i in items if i.days_late > 0]
    order = {k: n for n, k in enumerate(KINDS)}
    items.sort(key=lambda i: (i.due, order[i.kind], i.case_number))
    return Worklist(scope=scope, today=today, thresholds=th, items=tuple(items))


def counts(session: Session, actor: Actor, today: dt.date | None = None) -> dict[str, int]:
    """The navigation's badge: the actor's items in all, and how many are overdue."""
    wl = worklist(session, actor, scope="mine", today=today)
    return {"total": len(wl.items), "overdue": wl.overdue, **wl.counts}
