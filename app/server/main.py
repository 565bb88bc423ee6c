"""The FastAPI application: routers under /api/v1, error answers, size limits, request logs."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import sys
import time
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__
from app.server import errors
from app.server.api import deps
from app.server.api.deps import Credentials
from app.server.api.routes import (
    admin_devices,
    admin_master,
    admin_receipts,
    admin_users,
    auth,
    reports,
    sync,
)
from app.server.core.config import Settings
from app.server.core.db import make_engine, make_sessionmaker
from app.server.core.logging import event
from app.server.schemas import PushIn
from app.server.timeutil import server_time

API_PREFIX = "/api/v1"
SWITCH_INTERVAL = 0.0005  # seconds; see serving_app


def _error_response(err: errors.ApiError) -> JSONResponse:
    body = {**err.body(), "server_time": server_time()}
    headers = {"Retry-After": str(err.extra["retry_after"])} if "retry_after" in err.extra else None
    return JSONResponse(body, status_code=err.status, headers=headers)


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
            await _send_json(send, errors.nul_character())
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _send_json(send, errors.too_large(self.limit))
            return
        if declared is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body (HTTP/1.1: neither header)
            return
        push = scope["path"] == _PUSH_PATH
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
                await _send_json(send, errors.too_large(self.limit))
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        if not push and deps.has_json_nul(raw):
            await _send_json(send, errors.nul_character())
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


_PUSH_PATH = f"{API_PREFIX}/sync/push"
_PULL_PATH = f"{API_PREFIX}/sync/pull"
_MAX_CURSOR = 2**62


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
            if cursor > _MAX_CURSOR:
                return None
        elif name == b"limit":
            limit = int(value)
            if not 1 <= limit <= 5000:
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
            endpoints = {_PUSH_PATH: sync.push_changes, _PULL_PATH: sync.pull_changes}
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
                if path == _PUSH_PATH and method == "POST":
                    await self._push(scope, receive, send, state)
                    return
                if path == _PULL_PATH and method == "GET":
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
            response = _error_response(err)
        except DataError as exc:
            response = _error_response(data_error(exc))
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


def data_error(exc: DataError) -> errors.ApiError:
    """A value the database refused (out of range, too long, untranslatable): the request is
    rolled back whole, and answered 422. The validation in front should have caught it; the
    log names the kind (the database's message can quote values, so it is not logged)."""
    event("server.data_error", level=30, exception=type(exc.orig).__name__)
    return errors.invalid("a value the database cannot store")


async def _send_json(send: Send, err: errors.ApiError) -> None:
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


def _document_push_body(app: FastAPI) -> None:
    """The push route validates its raw body itself (see routes/sync.py); its schema is added
    to the OpenAPI components here so the document is the same as for a declared body."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = generate()
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            body = PushIn.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(body.pop("$defs", {}))
            schemas["PushIn"] = body
            _error_shape_everywhere(doc)
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _error_shape_everywhere(doc: dict[str, Any]) -> None:
    """Every error answer has the one shape of docs/sync-protocol.md (``ErrorOut``): FastAPI's
    own 422 entry (``HTTPValidationError``) is replaced, and routes that take input list 422."""
    schemas = doc.get("components", {}).get("schemas", {})
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            takes_input = operation.get("parameters") or operation.get("requestBody")
            if takes_input or "422" in responses:
                responses["422"] = {
                    "description": "Invalid input",
                    "content": {"application/json": {"schema": _ERROR_REF}},
                }
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="Yorisoi sync server",
        version=__version__,
        description="Sync protocol v1 (docs/sync-protocol.md) and the admin API.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)

    for router in (
        auth.router,
        sync.router,
        admin_users.router,
        admin_devices.router,
        admin_master.router,
        admin_receipts.router,
        reports.router,
    ):
        app.include_router(router, prefix=API_PREFIX)

    _document_push_body(app)

    @app.get(f"{API_PREFIX}/health", tags=["status"])
    def health() -> dict[str, Any]:
        """Unauthenticated liveness probe (no data, no database access)."""
        return {
            "ok": True,
            "server_time": server_time(),
            "schema": {"min": settings.schema_min, "max": settings.schema_max},
        }

    @app.exception_handler(errors.ApiError)
    async def _api_error(_request: Request, exc: errors.ApiError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Locations and messages only: the rejected input is not echoed back.
        detail = [
            {"loc": [str(p) for p in e.get("loc", ())][:6], "msg": str(e.get("msg"))[:200]}
            for e in exc.errors()[:20]
        ]
        return _error_response(errors.invalid(detail))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's answer to a body that is not JSON (or not UTF-8).
            return _error_response(errors.invalid("body: not JSON in UTF-8"))
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error_response(
            errors.ApiError(
                exc.status_code,
                code,
                "リクエストを処理できません。",
                "The request cannot be handled.",
            )
        )

    @app.exception_handler(DataError)
    async def _data(_request: Request, exc: DataError) -> JSONResponse:
        return _error_response(data_error(exc))

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception) -> JSONResponse:
        event("server.error", level=40, exception=type(exc).__name__)
        return _error_response(
            errors.ApiError(
                500, "server_error", "サーバー内部のエラーです。", "Internal server error."
            )
        )

    app.add_middleware(SyncFastPath)  # inside the guard and the request log
    app.add_middleware(RequestGuard, limit=settings.max_body_bytes)
    app.add_middleware(RequestLog)  # outermost: the guard's refusals are logged as what they are
    return app


def serving_app(settings: Settings) -> FastAPI:
    """The app as ``yorisoi-server serve`` runs it. Everything loaded at startup (modules,
    tables, schemas) is moved out of the garbage collector's reach (``gc.freeze``) and young
    collections run less often: a push of 2,000 changes allocates hundreds of thousands of
    short-lived objects, and full collections that rescan the whole interpreter each time
    cost more than the request itself."""
    app = create_app(settings)
    # The connections the sync requests will use are opened now, not by the first burst of
    # requests (a new PostgreSQL connection costs the database several milliseconds).
    engine = app.state.engine
    if engine.dialect.name == "postgresql":
        opened = []
        try:
            for _ in range(min(settings.sync_concurrency, 10)):
                opened.append(engine.connect())
        except SQLAlchemyError:
            pass  # opened on demand instead
        for conn in opened:
            conn.close()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    # Request threads spend most of their time waiting on the database; a thread whose answer
    # has arrived waits for the GIL up to the switch interval (default 5 ms) while another
    # thread computes, on every round trip. A shorter interval cuts that queueing.
    sys.setswitchinterval(SWITCH_INTERVAL)
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn worker processes (``serve --workers N``)."""
    from app.server.core.logging import setup

    setup(os.environ.get("YORISOI_LOG_LEVEL", "INFO"))
    return serving_app(Settings.from_env())
