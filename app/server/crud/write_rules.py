"""Who may write what: the write rule of every synced table, per role, in one place.

The push path (crud/push.py) asks this module before anything else about a change; the
scope rules (crud/scope.py) then decide which rows of case data the pusher may touch. The
same table is in docs/sync-protocol.md ("Write rules"). From DOMAIN.md, "Who writes what":

| table | outreach | coordinator | admin |
|---|---|---|---|
| district, agency, staff (master data) | - | - | insert, update, delete |
| resource (regional resource register) | insert, update | insert, update, delete | all |
| support_meeting, meeting_case, meeting_attendee | - | insert, update, delete | all |
| case.assigned_staff_id | set on a new case only | in scope | all |
| case_team_member | insert with a new case (same push); themselves on a case they registered and carry | in scope | all |
| person, household: merged_into_id, merge_record (a merge, its undo) | - | in scope | all |
| every other case-data table | in scope | in scope | all |
| audit_event | insert | insert | insert |

(DOMAIN.md: coordinators "assign and reassign cases"; an outreach worker's push may register
a case with its first worker and team, but not hand an existing case to someone else, nor
add, change or remove the support team of a case that already exists.)

and for everyone, administrators included: nobody adds themselves to a meeting or signs
their own pledge (no one writes a ``meeting_attendee`` row that names them, before or after
the change).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.server.crud.tables import TABLES

ROLES = ("outreach", "coordinator", "admin")
_ALL = frozenset(ROLES)
_COORDINATORS = frozenset({"coordinator", "admin"})
_ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class Rule:
    """Which roles may write a table: insert and update (one set: an insert of an existing
    id is applied as an update), and delete."""

    write: frozenset[str]
    delete: frozenset[str]
    refusal: str  # the rejection reason when the role may not
    # A column naming a staff member: nobody writes a row that names themselves there.
    not_own: str | None = None


_MASTER = Rule(_ADMINS, _ADMINS, "master data: administrators only")
_MEETING = Rule(_COORDINATORS, _COORDINATORS, "support meetings: coordinators only")
_CASE_DATA = Rule(_ALL, _ALL, "")

RULES: dict[str, Rule] = {
    "district": _MASTER,
    "agency": _MASTER,
    "school_zone": _MASTER,
    "issue_category": _MASTER,
    "staff": _MASTER,
    "resource": Rule(_ALL, _COORDINATORS, "resource register: coordinators remove entries"),
    "support_meeting": _MEETING,
    "meeting_case": _MEETING,
    "meeting_attendee": Rule(
        _COORDINATORS, _COORDINATORS, "support meetings: coordinators only", not_own="staff_id"
    ),
}
# Every other synced table is case data (or the push-only audit trail): any role, within
# its scope (the scope rules decide).
for _name in TABLES:
    RULES.setdefault(_name, _CASE_DATA)

OWN_ROW = "nobody adds themselves to a meeting or signs their own pledge"
ASSIGNMENT = "assigning cases and their support team: coordinators only"
MERGE = "merging duplicate persons: coordinators only"
MERGE_HOUSEHOLD = "merging duplicate households: coordinators only"
# The columns a merge (and its undo) writes on the merged record.
MERGE_COLUMNS = ("merged_into_id", "merge_record")
# The reasons of this module's rejections (the push audit lists such refusals).
REFUSALS = frozenset(
    {r.refusal for r in RULES.values() if r.refusal} | {OWN_ROW, ASSIGNMENT, MERGE, MERGE_HOUSEHOLD}
)
# The roles whose pushes are held to ``assignment_refusal``.
_ASSIGNMENT_LIMITED = frozenset(ROLES) - _COORDINATORS


def refusal(role: str, table: str, op: str) -> str | None:
    """Why this role may not make this change to the table at all (None: it may, subject
    to ``own_row_refusal`` and the scope rules)."""
    rule = RULES.get(table)
    if rule is None:
        return None  # unknown table: rejected as such by the caller
    allowed = rule.delete if op == "delete" else rule.write
    return None if role in allowed else rule.refusal


def needs_row_check(table: str) -> bool:
    return RULES[table].not_own is not None


def own_row_refusal(
    staff_id: str, table: str, stored: dict[str, Any] | None, new: dict[str, Any]
) -> str | None:
    """Why the change may not be made by this staff member because the row names them
    (``stored``: the row as stored, None for a new row; ``new``: the changed columns' new
    values)."""
    col = RULES[table].not_own
    if col is None:
        return None
    after = new[col] if col in new else (stored or {}).get(col)
    if after == staff_id or (stored is not None and stored.get(col) == staff_id):
        return OWN_ROW
    return None


def limits_assignment(role: str, table: str) -> bool:
    """Whether ``assignment_refusal`` applies to this role's change of this table."""
    return role in _ASSIGNMENT_LIMITED and table in (
        "case",
        "case_team_member",
        "person",
        "household",
    )


def assignment_refusal(
    table: str,
    op: str,
    stored: dict[str, Any] | None,
    new: dict[str, Any],
    *,
    case_is_new: bool,
    own_case: bool = False,
    names_pusher: bool = False,
) -> str | None:
    """Why an outreach worker may not make this change to a case's assignment or team.

    ``stored`` is the row as stored (None for a new row); ``new`` the changed columns' new
    values; ``case_is_new`` whether the team row's case was created earlier in the same push
    (a case registered offline is pushed with its team, parents first); ``own_case`` whether
    the pusher registered the case and is still its assigned worker, ``names_pusher`` whether
    the row names the pusher (a laptop's batches are split by size, so the 主担当 row the
    laptop made with a case may come in a later push than the case)."""
    if table in ("person", "household"):
        # Merging duplicates (and undoing a merge) is a coordinator's work (DOMAIN.md): the
        # merge mark and its record.
        for col in MERGE_COLUMNS:
            if col in new and new[col] != (stored or {}).get(col):
                return MERGE if table == "person" else MERGE_HOUSEHOLD
        return None
    if table == "case":
        if stored is None or "assigned_staff_id" not in new:
            return None  # a new case may name its first worker; other fields are case data
        return None if new["assigned_staff_id"] == stored.get("assigned_staff_id") else ASSIGNMENT
    # case_team_member: only new rows, on a case new in this push, or naming the pusher on a
    # case they registered and still carry (``own_case``).
    if stored is None and op != "delete" and (case_is_new or (own_case and names_pusher)):
        return None
    return ASSIGNMENT
