"""ASGI middleware every request passes: the request guard (body size, NUL characters) and
the request log. Plain ASGI classes: Starlette's BaseHTTPMiddleware would add a task and a
stream per request."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.server import errors
from app.server.api import PUSH_PATH, deps
from app.server.api.answers import send_json
from app.server.core.logging import event


class RequestGuard:
    """What every request must satisfy before any route sees it: a body within the limit
    (413, whether or not Content-Length is given) and no NUL character in its path, query
    string or JSON body (422). PostgreSQL cannot store or even compare text holding NUL, and no
    field of this API can carry one. Push bodies are the exception for NUL: a change holding
    one is rejected on its own (see routes/sync.py), the rest of its batch applies.

    A body without Content-Length (chunked) is read whole before the app runs, so its 413 is
    an ordinary answer the request log records; a declared length is checked up front."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or _has_nul_escape(scope.get("query_string", b"")):
            await send_json(send, errors.nul_character())
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await send_json(send, errors.too_large(self.limit))
            return
        if declared is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body (HTTP/1.1: neither header)
            return
        push = scope["path"] == PUSH_PATH
        if declared is not None and (push or declared == b"0"):
            # A declared length is enforced by the HTTP parser; a push's NUL is judged per
            # change, so its body is not read twice.
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replaying(b"", receive, message), send)
                return
            body = message.get("body", b"")
            seen += len(body)
            if seen > self.limit:
                await send_json(send, errors.too_large(self.limit))
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        if not push and deps.has_json_nul(raw):
            await send_json(send, errors.nul_character())
            return
        await self.app(scope, _replaying(raw, receive), send)


def _replaying(raw: bytes, receive: Receive, first: Message | None = None) -> Receive:
    """A receive that hands over ``raw`` as the whole body (or ``first`` as it came), then
    whatever the connection sends next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return first or {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replay


def _has_nul_escape(query: bytes) -> bool:
    return b"\x00" in query or b"%00" in query


class RequestLog:
    """One structured log line per request (method, route template, status, ms). A plain ASGI
    middleware: Starlette's BaseHTTPMiddleware would add a task and a stream per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            route = scope.get("route")
            event(
                "http",
                method=scope.get("method"),
                route=getattr(route, "path", "?"),
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
