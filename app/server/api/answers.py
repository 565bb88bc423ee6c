"""The error answers of the API in their one shape (docs/sync-protocol.md ``ErrorOut``), as
the exception handlers (main.py), the middleware and the sync fast path give them."""

from __future__ import annotations

import json

from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.types import Send

from app.server import errors
from app.server.core.logging import event
from app.server.timeutil import server_time


def error_response(err: errors.ApiError) -> JSONResponse:
    body = {**err.body(), "server_time": server_time()}
    headers = {"Retry-After": str(err.extra["retry_after"])} if "retry_after" in err.extra else None
    return JSONResponse(body, status_code=err.status, headers=headers)


def data_error(exc: DataError) -> errors.ApiError:
    """A value the database refused (out of range, too long, untranslatable): the request is
    rolled back whole, and answered 422. The validation in front should have caught it; the
    log names the kind (the database's message can quote values, so it is not logged)."""
    event("server.data_error", level=30, exception=type(exc.orig).__name__)
    return errors.invalid("a value the database cannot store")


async def send_json(send: Send, err: errors.ApiError) -> None:
    body = json.dumps({**err.body(), "server_time": server_time()}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": err.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
