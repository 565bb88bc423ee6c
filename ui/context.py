"""What every view and dialog is given: the task runner, the actor, pick lists, preferences.

Main thread only. Holds no database session: data work goes through ``runner``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.domain.records import Actor, Choices
from ui.settings import UiSettings
from ui.tasks import TaskRunner


@dataclass
class UiContext:
    runner: TaskRunner
    settings: UiSettings
    db_path: Path
    actor: Actor = field(default_factory=lambda: Actor(staff_id=None, name=""))
    choices: Choices = field(default_factory=lambda: Choices((), (), (), ()))

    def district_name(self, district_id: str | None) -> str:
        return next((c.name for c in self.choices.districts if c.id == district_id), "")
