"""Logging and showing errors without personal data.

Exception messages can carry values (an SQL error quotes its parameters), so logs get only the
exception type and the code locations of the traceback, never ``str(exc)`` or local variables.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

log = logging.getLogger("yorisoi.ui")


def describe(exc: BaseException, tb: TracebackType | None = None) -> str:
    frames = traceback.extract_tb(tb or exc.__traceback__)
    where = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in reversed(frames)
    )
    return f"{type(exc).__module__}.{type(exc).__name__} at {where or '?'}"


def log_exception(context: str, exc: BaseException, tb: TracebackType | None = None) -> None:
    log.error("%s: %s", context, describe(exc, tb))
