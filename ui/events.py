"""Mutations announce what changed; views decide whether to refresh (one bus, main thread).

What can change is a closed set (``Change``): announcing a name outside it raises at once, so a
change no view listens for cannot be written by mistake. Members are strings, so views may keep
comparing ``entities & {events.CASE, ...}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from PySide6.QtCore import QObject, Signal


class Change(StrEnum):
    CASE = "case"
    CONTACT = "contact"
    REFERRAL = "referral"
    MEETING = "meeting"
    RESOURCE = "resource"
    HOUSEHOLD = "household"
    PERSON = "person"
    DRAFT = "draft"
    SETTINGS = "settings"
    # The sync state itself (pending counts, refused changes, conflicts, last sync).
    SYNC = "sync"


CASE = Change.CASE
CONTACT = Change.CONTACT
REFERRAL = Change.REFERRAL
MEETING = Change.MEETING
RESOURCE = Change.RESOURCE
HOUSEHOLD = Change.HOUSEHOLD
PERSON = Change.PERSON
DRAFT = Change.DRAFT
SETTINGS = Change.SETTINGS
SYNC = Change.SYNC

# Every kind of record data: what a sync, a conflict resolution or a wipe may have changed.
DATA: frozenset[Change] = frozenset({CASE, CONTACT, REFERRAL, MEETING, RESOURCE, HOUSEHOLD, PERSON})
SYNCED: frozenset[Change] = DATA | {SYNC}


def checked(entities: Iterable[str]) -> frozenset[Change]:
    """The announced names as ``Change`` members; an unknown name is a programming error."""
    out = set()
    for e in entities:
        try:
            out.add(Change(e))
        except ValueError:
            raise ValueError(f"unknown change {e!r}: add it to ui.events.Change") from None
    return frozenset(out)


class EventBus(QObject):
    """Main thread only. ``changed(entities: frozenset[Change], initiator: object)``."""

    changed = Signal(object, object)

    def announce(self, *entities: str, initiator: object = None) -> None:
        self.changed.emit(checked(entities), initiator)


_bus: EventBus | None = None


def bus() -> EventBus:
    global _bus
    if _bus is None:
        _bus = EventBus()
    return _bus
