"""The lean path for push and pull (``SyncFastPath``): the same endpoint functions as the
FastAPI routes in routes/sync.py, without FastAPI's per-request routing and dependency solving."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import anyio
import anyio.to_thread
from pydantic import ValidationError
from sqlalchemy.exc import DataError
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.protocol.limits import MAX_CURSOR, MAX_PULL_LIMIT
from app.server import errors
from app.server.api import PULL_PATH, PUSH_PATH, deps
from app.server.api.answers import data_error, error_response
from app.server.api.deps import Credentials
from app.server.api.routes import sync


def _pull_query(raw: bytes) -> tuple[int, int | None] | None:
    """``cursor`` and ``limit`` of a plain pull query string (digits only, each at most once,
    within their bounds); None for anything else, which FastAPI answers."""
    cursor, limit = 0, None
    seen: set[bytes] = set()
    for part in raw.split(b"&") if raw else ():
        name, eq, value = part.partition(b"=")
        if not eq or name in seen or not value.isdigit() or len(value) > 19:
            return None
        seen.add(name)
        if name == b"cursor":
            cursor = int(value)
            if cursor > MAX_CURSOR:
                return None
        elif name == b"limit":
            limit = int(value)
            if not 1 <= limit <= MAX_PULL_LIMIT:
                return None
        else:
            return None
    return cursor, limit


class SyncFastPath:
    """Serves push and pull, the routes every laptop calls on every sync, without FastAPI's
    per-request routing and dependency solving (most of a millisecond of CPU per request, as
    much as a small sync's own work). The same endpoint functions run in worker threads
    (``sync_concurrency`` at a time), with the same checks in the same order; a request that
    would not get past them before its endpoint runs (bad body, bad or missing token,
    unusual query string) is handed to FastAPI untouched, so those answers are FastAPI's own,
    and an endpoint's error answers go through the same handler. The routes stay declared
    in FastAPI: the OpenAPI document is unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routes: dict[str, Any] | None = None
        self._limiters: dict[int, anyio.CapacityLimiter] = {}

    def _limiter(self, scope: Scope) -> anyio.CapacityLimiter:
        """At most ``sync_concurrency`` pushes and pulls of this process run at once (per
        event loop); the others wait in the loop, not on a database connection. On a couple
        of cores a few at a time keep the processor busy; more only add connections (each new
        one costs the database its start-up) and contention for the locks and the GIL."""
        key = id(asyncio.get_running_loop())
        limiter = self._limiters.get(key)
        if limiter is None:
            limiter = anyio.CapacityLimiter(scope["app"].state.settings.sync_concurrency)
            self._limiters[key] = limiter
        return limiter

    def _route(self, path: str) -> Any:
        """The route FastAPI itself would put in the scope (the request log names it)."""
        if self._routes is None:
            endpoints = {PUSH_PATH: sync.push_changes, PULL_PATH: sync.pull_changes}
            self._routes = {
                path: next(r for r in sync.router.routes if getattr(r, "endpoint", None) is fn)
                for path, fn in endpoints.items()
            }
        return self._routes.get(path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            state = scope["app"].state
            if state.settings.sync_fast_path:
                path, method = scope["path"], scope["method"]
                if path == PUSH_PATH and method == "POST":
                    await self._push(scope, receive, send, state)
                    return
                if path == PULL_PATH and method == "GET":
                    await self._pull(scope, receive, send, state)
                    return
        await self.app(scope, receive, send)

    @staticmethod
    def _credentials(scope: Scope) -> Credentials | None:
        authorization = schema = None
        for key, value in scope["headers"]:
            if key == b"authorization" and authorization is None:
                authorization = value.decode("latin-1")
            elif key == b"x-yorisoi-schema" and schema is None:
                schema = value.decode("latin-1")
        try:
            token = deps._bearer(authorization)
        except errors.ApiError:
            return None
        client = scope.get("client")
        return Credentials(token, client[0] if client else None, schema)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, call: Any) -> None:
        scope["route"] = self._route(scope["path"])
        try:
            response = await anyio.to_thread.run_sync(call, limiter=self._limiter(scope))
        except errors.ApiError as err:
            response = error_response(err)
        except DataError as exc:
            response = error_response(data_error(exc))
        await response(scope, receive, send)

    async def _push(self, scope: Scope, receive: Receive, send: Send, state: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        creds = self._credentials(scope)
        changes = None
        if creds is not None:
            with contextlib.suppress(ValidationError):
                changes = sync.parse_push_body(raw)
        if creds is None or changes is None:
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": raw, "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        sessions, settings = state.sessions, state.settings
        await self._answer(
            scope,
            receive,
            send,
            lambda: sync.push_changes(changes, creds, sessions, settings),
        )

    async def _pull(self, scope: Scope, receive: Receive, send: Send, state: Any) -> None:
        query = _pull_query(scope["query_string"])
        creds = self._credentials(scope) if query is not None else None
        if query is None or creds is None:
            await self.app(scope, receive, send)
            return
        sessions, settings = state.sessions, state.settings
        await self._answer(
            scope,
            receive,
            send,
            lambda: sync.pull_changes(creds, sessions, settings, query[0], query[1]),
        )
