"""The one way to run work off the UI thread: ``TaskRunner.run`` / ``TaskRunner.db``.

Background functions get a ``TaskControl`` (progress, cancel) and must not touch widgets; they
return plain data, which comes back to callbacks on the main thread. Database work runs on
ONE worker thread (the "db" lane), so units of work are serialised (the store has one connection
anyway) and a lock queued after a save happens after it. Work that needs no store session (an
integrity check on its own connection) may use the second, "side" lane.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ui import events
from ui.errors import log_exception

if TYPE_CHECKING:  # the store pulls in SQLAlchemy: not needed before the first window
    from sqlalchemy.orm import Session

    from app.storage.db import Store

R = TypeVar("R")  # what the background function returns, handed to ``on_success``


class Cancelled(Exception):
    """Raised inside a background function by ``TaskControl.check()`` after ``cancel()``."""


class TaskControl:
    """Handed to the background function. Safe to use from the worker thread."""

    def __init__(self, runner: TaskRunner, task_id: int) -> None:
        self._runner = runner
        self._id = task_id
        self._cancel = threading.Event()
        self._guard = threading.Lock()
        self._dbapi: Any = None  # the SQLite connection while a db unit of work runs

    def cancel(self) -> None:
        """Set the flag; a running SQLite statement of this task is interrupted at once."""
        self._cancel.set()
        with self._guard:
            if self._dbapi is not None:
                self._dbapi.interrupt()

    def _attach(self, dbapi: Any) -> None:
        with self._guard:
            self._dbapi = dbapi
        self.check()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def report(self, text: str, value: int = 0, maximum: int = 0) -> None:
        self.check()
        self._runner._progressed.emit(self._id, text, value, maximum)


@dataclass
class Task:
    id: int
    control: TaskControl
    on_success: Callable[[Any], object] | None = None
    on_failure: Callable[[BaseException], object] | None = None
    on_progress: Callable[[str, int, int], None] | None = None
    changes: frozenset[str] = field(default_factory=frozenset)
    initiator: object = None

    def cancel(self) -> None:
        """Drop the result (callbacks are not called); a running query is interrupted."""
        self.control.cancel()

    @property
    def cancelled(self) -> bool:
        return self.control.cancelled


class _Job(QRunnable):
    def __init__(self, runner: TaskRunner, task: Task, fn: Callable[[TaskControl], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner, self._task, self._fn = runner, task, fn

    def run(self) -> None:  # worker thread
        result: Any = None
        error: BaseException | None = None
        if self._task.cancelled:
            error = Cancelled()
        else:
            try:
                result = self._fn(self._task.control)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                error = exc
        self._runner._finished.emit(self._task.id, result, error)


class TaskRunner(QObject):
    """Lives on the main thread; runs functions on its single worker thread."""

    _finished = Signal(int, object, object)
    _progressed = Signal(int, str, int, int)
    failed = Signal(object)  # an error no on_failure callback took
    busy_changed = Signal(bool)

    def __init__(self, store: Store | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._side = QThreadPool(self)
        self._side.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._tasks: dict[int, Task] = {}
        self._finished.connect(self._on_finished)
        self._progressed.connect(self._on_progress)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def run(
        self,
        fn: Callable[[TaskControl], R],
        on_success: Callable[[R], object] | None = None,
        on_failure: Callable[[BaseException], object] | None = None,
        *,
        on_progress: Callable[[str, int, int], None] | None = None,
        changes: Iterable[str] = (),
        initiator: object = None,
        lane: str = "db",
    ) -> Task:
        task_id = next(self._ids)
        announced: frozenset[str] = events.checked(changes)  # a typo fails here, not later
        task = Task(task_id, TaskControl(self, task_id), on_success, on_failure, on_progress,
                    announced, initiator)  # fmt: skip
        self._tasks[task_id] = task
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)
        (self._side if lane == "side" else self._pool).start(_Job(self, task, fn))
        return task

    def db(
        self,
        fn: Callable[[Session], R],
        on_success: Callable[[R], object] | None = None,
        on_failure: Callable[[BaseException], object] | None = None,
        *,
        changes: Iterable[str] = (),
        initiator: object = None,
    ) -> Task:
        """Run ``fn(session)`` in one unit of work (committed on success) on the worker."""
        store = self.store

        def unit(ctl: TaskControl) -> R:
            if store is None:
                from app.domain.errors import DatabaseLocked

                raise DatabaseLocked()
            with store.session() as session:
                ctl._attach(session.connection().connection.driver_connection)
                try:
                    return fn(session)
                finally:
                    with ctl._guard:
                        ctl._dbapi = None

        return self.run(unit, on_success, on_failure, changes=changes, initiator=initiator)

    def cancel_all(self) -> None:
        for task in self._tasks.values():
            task.cancel()

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until the worker is idle (tests, shutdown). Callbacks run at the next event loop."""
        return self._pool.waitForDone(timeout_ms) and self._side.waitForDone(timeout_ms)

    @Slot(int, object, object)
    def _on_finished(self, task_id: int, result: Any, error: BaseException | None) -> None:
        task = self._tasks.pop(task_id, None)
        if not self._tasks:
            self.busy_changed.emit(False)
        if task is None or task.cancelled or isinstance(error, Cancelled):
            return
        if error is not None:
            if task.on_failure is not None:
                task.on_failure(error)
            else:
                from app.domain.errors import YorisoiError

                if not isinstance(error, YorisoiError):
                    log_exception("background task failed", error)
                self.failed.emit(error)
            return
        if task.changes:
            events.bus().announce(*task.changes, initiator=task.initiator)
        if task.on_success is not None:
            task.on_success(result)

    @Slot(int, str, int, int)
    def _on_progress(self, task_id: int, text: str, value: int, maximum: int) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task.on_progress is not None and not task.cancelled:
            task.on_progress(text, value, maximum)
