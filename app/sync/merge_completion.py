"""Finishing a merge on every laptop (issue 14: merges converge).

A coordinator's merge moves the references its laptop knows. A laptop that, offline, made a
new reference to the merged record (a new case for the merged person, a member added to the
merged household) pushes it pointing at the tombstone, before or after the merge reaches the
server. After each pull, every laptop therefore looks for live rows of its own database that
refer to a tombstone (``merged_into_id`` set) and points them at the survivor (at the end of
a chain of merges; never round a cycle), as ordinary edits through the outbox, pushed in the
same sync. Two laptops doing so for the same row make the same change, which the server
applies once. The rules are those of the merge itself (app.services.merges): a membership of
someone who already is a current member of the surviving household stays where it is, and a
moved 世帯主 becomes a relative when the survivor has a head. Edits of the tombstone's own
fields stay on the tombstone (nothing is deleted; the merged record can be read and unmerged).
An undo moves back only the rows the merge listed: rows moved here stay with the survivor.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.merges import move_household_references, move_person_references
from app.storage.db import Store
from app.storage.models import Household, Person

log = logging.getLogger(__name__)


def _survivor(session: Session, model: Any, links: dict[str, str], start: str) -> str | None:
    """The end of ``start``'s chain of merges, if this laptop holds it as a live record; None
    for a cycle or a survivor not here (yet)."""
    seen = {start}
    current = links[start]
    while current in links:
        if current in seen:
            return None
        seen.add(current)
        current = links[current]
    row = session.get(model, current)
    return current if row is not None and not row.deleted else None


def _tombstones(session: Session, model: Any) -> dict[str, str]:
    """merged record -> the record it was merged into (a short list: only tombstones)."""
    rows = session.execute(
        select(model.id, model.merged_into_id).where(model.merged_into_id.is_not(None))
    ).all()
    return {i: m for i, m in rows}


def complete_in(session: Session) -> int:
    """Point this database's live references to tombstones at their survivors; how many rows
    were moved (0 when there is nothing to finish: one indexed query per kind)."""
    moved = 0
    for model, move in ((Person, _move_person), (Household, _move_household)):
        links = _tombstones(session, model)
        for other in sorted(links):
            keep = _survivor(session, model, links, other)
            if keep is not None:
                moved += sum(len(v) for v in move(session, other, keep).values())
    return moved


def _move_person(session: Session, other: str, keep: str) -> dict[str, list[str]]:
    return move_person_references(session, other, keep)


def _move_household(session: Session, other: str, keep: str) -> dict[str, list[str]]:
    return move_household_references(session, other, keep)[0]


def complete_merges(store: Store) -> int:
    """``complete_in`` in a transaction of its own (the edits go to the outbox)."""
    with store.session() as s:
        moved = complete_in(s)
    if moved:
        log.info("merge completion moved %d references to surviving records", moved)
    return moved
