"""The FastAPI application assembled: routers under /api/v1, exception handlers, the OpenAPI
document, and the middleware (api/middleware.py: size limits and request logs; api/fastpath.py:
the lean path for push and pull) in their order."""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.server import errors
from app.server.api import API_PREFIX
from app.server.api.answers import data_error, error_response
from app.server.api.fastpath import SyncFastPath
from app.server.api.middleware import RequestGuard, RequestLog
from app.server.api.routes import (
    admin_devices,
    admin_master,
    admin_receipts,
    admin_users,
    auth,
    sync,
)
from app.server.core.config import Settings
from app.server.core.db import make_engine, make_sessionmaker
from app.server.core.logging import event
from app.server.schemas import PushIn
from app.server.timeutil import server_time

__all__ = ["API_PREFIX", "app_from_env", "create_app", "serving_app"]

SWITCH_INTERVAL = 0.0005  # seconds; see serving_app


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
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Locations and messages only: the rejected input is not echoed back.
        detail = [
            {"loc": [str(p) for p in e.get("loc", ())][:6], "msg": str(e.get("msg"))[:200]}
            for e in exc.errors()[:20]
        ]
        return error_response(errors.invalid(detail))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's answer to a body that is not JSON (or not UTF-8).
            return error_response(errors.invalid("body: not JSON in UTF-8"))
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(
            errors.ApiError(
                exc.status_code,
                code,
                "リクエストを処理できません。",
                "The request cannot be handled.",
            )
        )

    @app.exception_handler(DataError)
    async def _data(_request: Request, exc: DataError) -> JSONResponse:
        return error_response(data_error(exc))

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception) -> JSONResponse:
        event("server.error", level=40, exception=type(exc).__name__)
        return error_response(
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
