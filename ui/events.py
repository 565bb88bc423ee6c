"""Mutations announce what changed; views decide whether to refresh (one bus, main thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

# Entity names used in announcements.
CASE = "case"
CONTACT = "contact"
REFERRAL = "referral"
MEETING = "meeting"
RESOURCE = "resource"
HOUSEHOLD = "household"
PERSON = "person"
DRAFT = "draft"
SETTINGS = "settings"


class EventBus(QObject):
    """Main thread only. ``changed(entities: frozenset[str], initiator: object)``."""

    changed = Signal(object, object)

    def announce(self, *entities: str, initiator: object = None) -> None:
        self.changed.emit(frozenset(entities), initiator)


_bus: EventBus | None = None


def bus() -> EventBus:
    global _bus
    if _bus is None:
        _bus = EventBus()
    return _bus
