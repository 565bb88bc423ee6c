"""Who received what: the cases (ids) each device was sent, and when.

Every pull page that carries rows of a case (the case row itself or a row it owns) upserts
one ``device_case_receipt`` row per case: first and latest time, and clears ``purged_at``;
a purge announced to the device sets ``purged_at``. On PostgreSQL both statements are sent
with the pull's commit (no round trip of their own). An administrator asks "which devices
and users hold case X, since when" (admin API ``/admin/cases/{id}/holders``, CLI
``yorisoi-server case holders``). Only ids and times are kept, never case content.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.server.crud import bulk
from app.server.models import Device, DeviceCaseReceipt, User

# ``last_at`` is moved on only when it is this much older (or the case was purged), so a
# device that syncs its own cases every few minutes does not rewrite their rows each time.
LAST_AT_GRANULARITY = dt.timedelta(minutes=10)

# One INSERT ... ON CONFLICT per page, sent with the pull's commit, was the cheapest of the
# variants measured (5,000 cases a page, PostgreSQL, loaded 2-core machine): leaving fresh
# receipts out first (NOT EXISTS: an anti-join, 4-7x slower on a repeat pull; LATERAL ...
# LIMIT 1: 10-30 % faster on a repeat, ~30 % slower on a first pull) or ON CONFLICT DO NOTHING
# plus an UPDATE of the stale ones (~1.4x slower) did not pay. Writing them after the commit
# would do the same work, lose "recorded if and only if the page was served", and add a round
# trip.
_PG_RECEIVED = """
INSERT INTO device_case_receipt AS r (case_id, device_id, first_at, last_at)
SELECT c, %(device)s, %(at)s, %(at)s FROM unnest(%(ids)s::varchar[]) AS c
ON CONFLICT (case_id, device_id) DO UPDATE
SET last_at = EXCLUDED.last_at, purged_at = NULL
WHERE r.purged_at IS NOT NULL OR r.last_at < %(stale)s"""
_PG_PURGED = """
UPDATE device_case_receipt SET purged_at = %(at)s
WHERE device_id = %(device)s AND case_id = ANY(%(ids)s::varchar[]) AND purged_at IS NULL"""


def note(
    session: Session, device_id: str, received: list[str], purged: list[str], at: dt.datetime
) -> None:
    """Record a pull page: the cases it carried rows of, and the cases it purged."""
    if not received and not purged:
        return
    if bulk.is_pg(session):
        params = {"device": device_id, "at": at, "stale": at - LAST_AT_GRANULARITY}
        if received:
            bulk.defer_sql(session, _PG_RECEIVED, params | {"ids": bulk.pg_array(received)})
        if purged:
            bulk.defer_sql(session, _PG_PURGED, params | {"ids": bulk.pg_array(purged)})
        return
    conn = session.connection()
    for i in range(0, len(received), 500):
        stmt = sqlite_insert(DeviceCaseReceipt).values(
            [
                {"device_id": device_id, "case_id": c, "first_at": at, "last_at": at}
                for c in received[i : i + 500]
            ]
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["case_id", "device_id"],
                set_={"last_at": stmt.excluded.last_at, "purged_at": None},
                where=DeviceCaseReceipt.purged_at.is_not(None)
                | (DeviceCaseReceipt.last_at < at - LAST_AT_GRANULARITY),
            )
        )
    if purged:
        conn.execute(
            update(DeviceCaseReceipt)
            .where(
                DeviceCaseReceipt.device_id == device_id,
                DeviceCaseReceipt.case_id.in_(purged),
                DeviceCaseReceipt.purged_at.is_(None),
            )
            .values(purged_at=at)
        )


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def holders(session: Session, case_id: str, *, include_purged: bool = True) -> list[dict[str, Any]]:
    """Every device that was sent the case, oldest receipt first: the device, its user, since
    when it holds the case, its latest receipt, and whether (and when) a purge was announced
    (``holds``: no purge announced since the latest receipt) and whether the device is
    revoked (a revoked laptop wipes itself when it next reaches the server; until then it
    may still hold the case)."""
    q = (
        select(DeviceCaseReceipt, Device, User)
        .join(Device, Device.id == DeviceCaseReceipt.device_id)
        .join(User, User.id == Device.user_id)
        .where(DeviceCaseReceipt.case_id == case_id)
        .order_by(DeviceCaseReceipt.first_at, DeviceCaseReceipt.device_id)
    )
    if not include_purged:
        q = q.where(DeviceCaseReceipt.purged_at.is_(None))
    out = []
    for r, d, u in session.execute(q):
        out.append(
            {
                "device_id": d.id,
                "device_name": d.name,
                "user_id": u.id,
                "login": u.login,
                "role": u.role,
                "staff_id": u.staff_id,
                "first_received_at": _iso(r.first_at),
                "last_received_at": _iso(r.last_at),
                "purged_at": _iso(r.purged_at),
                "holds": r.purged_at is None,
                "device_revoked_at": _iso(d.revoked_at),
            }
        )
    return out
