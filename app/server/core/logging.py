"""Structured (JSON lines) logs. Callers pass ids, counts and statuses only."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

log = logging.getLogger("yorisoi.server")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            # Which worker process wrote it: with ``serve --workers N`` the log shows how the
            # connections spread (app.server.workers).
            "pid": record.process,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type only: messages can quote values from the request.
            out["exception"] = record.exc_info[0].__name__
        return json.dumps(out, ensure_ascii=False)


def setup(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("yorisoi")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def event(name: str, level: int = logging.INFO, **fields: Any) -> None:
    log.log(level, name, extra={"fields": fields})
