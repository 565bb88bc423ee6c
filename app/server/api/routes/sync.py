"""The sync API: push, pull, status. Every request that reads case data is audited."""

from __future__ import annotations

import re
import time
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.protocol.limits import (
    ID_PATTERN,
    MAX_CHANGED_FIELDS,
    MAX_CURSOR,
    MAX_ID_LENGTH,
    MAX_PULL_LIMIT,
    MAX_PUSH_CHANGES,
    MAX_TABLE_NAME_LENGTH,
)
from app.server import errors
from app.server.api.deps import (
    CredentialsDep,
    CurrentDevice,
    SessionsDep,
    SettingsDep,
    authenticate_in,
    check_schema_value,
    has_json_nul,
    holds_nul,
    transaction,
)
from app.server.core import stats
from app.server.core.logging import event
from app.server.crud import audit, devices, pull, push, receipts, sequence
from app.server.models import Device, utcnow
from app.server.schemas import PUSH_BODY, PullOut, PushOut, StatusOut, error_responses
from app.server.timeutil import iso, server_time

router = APIRouter(prefix="/sync", tags=["sync"])
_ERRORS = error_responses(401, 403, 413, 422, 426)


async def push_body(request: Request) -> list[dict[str, Any]]:
    """The push body's changes, validated straight from the raw bytes (pydantic's own JSON
    parser) into plain dicts with the same rules as ``PushIn``; same 422 answer as a declared
    body parameter. The OpenAPI document lists ``PushIn`` as the request body (see
    ``PUSH_BODY_OPENAPI``)."""
    try:
        return parse_push_body(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_input=False)) from None


def parse_push_body(raw: bytes) -> list[dict[str, Any]]:
    """The validated changes of a push body (raises pydantic's ValidationError)."""
    plain = _plainly_valid(raw)
    if plain is not None:
        changes = plain
    else:
        body = PUSH_BODY.validate_json(raw)
        changes = body["changes"]  # type: ignore[assignment]
        for change in changes:
            if "changes" not in change:
                change["changes"] = {}
    if has_json_nul(raw):
        for change in changes:
            if holds_nul(change):
                change[_REFUSED] = "NUL character"
    return changes


# Marks a parsed change rejected before it is looked at (a NUL character: PostgreSQL cannot
# store or compare it). Only the marked change is rejected; the rest of its batch applies.
_REFUSED = "_refused"


def _set_aside(
    changes: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """The changes to decide, and the results of those refused outright, by position."""
    refused = {
        n: {"op_id": c["op_id"], "status": "rejected", "reason": c[_REFUSED], "conflicts": []}
        for n, c in enumerate(changes)
        if _REFUSED in c
    }
    if not refused:
        return changes, refused
    return [c for n, c in enumerate(changes) if n not in refused], refused


def _merged(
    decided: list[dict[str, Any]], refused: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    if not refused:
        return decided
    out, rest = [], iter(decided)
    for n in range(len(decided) + len(refused)):
        out.append(refused[n] if n in refused else next(rest))
    return out


_ID = re.compile(ID_PATTERN)
_OPS = frozenset({"insert", "update", "delete"})
_BODY_KEYS = frozenset({"batch_id", "changes"})
_CHANGE_KEYS = frozenset({"op_id", "table", "row_id", "op", "changes"})


def _plainly_valid(raw: bytes) -> list[dict[str, Any]] | None:
    """The changes of a body that is plainly what ``PUSH_BODY`` accepts (orjson and a few
    checks per change, about two thirds of the full validation's time); None for anything
    else, which the full validation decides (and answers with its own errors)."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(body) is not dict or not body.keys() <= _BODY_KEYS:
        return None
    batch_id = body.get("batch_id")
    if batch_id is not None and (type(batch_id) is not str or len(batch_id) > MAX_ID_LENGTH):
        return None
    changes = body.get("changes")
    if type(changes) is not list or len(changes) > MAX_PUSH_CHANGES:
        return None
    is_id = _ID.fullmatch
    for change in changes:
        if type(change) is not dict or not change.keys() <= _CHANGE_KEYS:
            return None
        op_id, row_id, table = change.get("op_id"), change.get("row_id"), change.get("table")
        op = change.get("op")
        if (
            type(op_id) is not str
            or type(row_id) is not str
            or type(table) is not str
            or type(op) is not str
            or not is_id(op_id)
            or not is_id(row_id)
            or not 1 <= len(table) <= MAX_TABLE_NAME_LENGTH
            or op not in _OPS
        ):
            return None
        fields = change.get("changes")
        if fields is None:
            if "changes" in change:
                return None
            change["changes"] = {}
        elif (
            type(fields) is not dict
            or len(fields) > MAX_CHANGED_FIELDS
            or not all(type(v) is list for v in fields.values())
        ):
            return None
    return changes


PUSH_BODY_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushIn"}}},
    }
}


@router.post("/push", responses=_ERRORS, response_model=PushOut, openapi_extra=PUSH_BODY_OPENAPI)
def push_changes(
    changes: Annotated[list[dict[str, Any]], Depends(push_body)],
    creds: CredentialsDep,
    sessions: SessionsDep,
    settings: SettingsDep,
) -> Response:
    started = time.perf_counter()
    decide, refused = _set_aside(changes)
    for attempt in range(5):
        try:
            with transaction(sessions) as s:
                # One connection, one transaction: the token is checked inside it.
                auth = authenticate_in(s, creds.token, creds.remote)
                check_schema_value(settings, creds.schema)
                plan = push.prepare(s, viewer=auth.viewer, device_id=auth.device_id, changes=decide)
                results = _merged(plan.results, refused)
                counts = {
                    k: sum(r["status"] == k for r in results)
                    for k in ("applied", "conflict", "rejected")
                }
                # Refused attempts are listed (ids only), so a probe leaves a trace per record.
                denied = push.denials(changes, results)
                audit.write(
                    s,
                    defer=True,
                    action="push",
                    user_id=auth.user_id,
                    device_id=auth.device_id,
                    remote=auth.remote,
                    changes=len(changes),
                    **counts,
                    **({"denied": denied[: push.AUDITED_DENIALS]} if denied else {}),
                )
                # The audit row is written before the counter is locked; a small batch is
                # written and committed in one round trip (see push.write).
                push.write(s, plan, commit=True)
                bind = s.get_bind()
            break
        except (IntegrityError, DBAPIError) as exc:
            # A concurrent batch inserted the same row or a deadlock was broken: start over,
            # nothing of this attempt was committed.
            if attempt == 4 or not _retryable(exc):
                raise
            time.sleep(0.01 * (attempt + 1))
    # Committed: a bulk load keeps the planner's statistics in step (see core/stats.py). Only
    # new records count: edits leave the table's shape alone and autovacuum sees to them.
    added = sum(1 for r in plan.batch.rows.values() if r.dirty and not r.exists)
    stats.for_engine(bind).wrote(added)  # type: ignore[arg-type]
    event(
        "sync.push",
        device=auth.device_id,
        changes=len(changes),
        ms=round((time.perf_counter() - started) * 1000, 1),
        **counts,
    )
    body_out = orjson.dumps({"server_time": server_time(), "results": results})
    return Response(body_out, media_type="application/json")


def _retryable(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01")  # serialization failure, deadlock


@router.get("/pull", responses={**_ERRORS, 200: {"model": PullOut}}, response_model=None)
def pull_changes(
    creds: CredentialsDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PULL_LIMIT)] = None,
) -> Response:
    started = time.perf_counter()
    size = min(limit or settings.default_pull_limit, settings.max_pull_limit)
    with transaction(sessions) as s:
        auth = authenticate_in(s, creds.token, creds.remote)
        check_schema_value(settings, creds.schema)
        try:
            page = pull.pull(
                s, viewer=auth.viewer, device_id=auth.device_id, cursor=cursor, limit=size
            )
        except pull.CursorAhead:
            raise errors.conflict(
                "cursor_reset",
                "サーバーの同期位置が変わりました。最初から同期し直してください。",
                "The server's sequence is behind this cursor. Sync again from cursor 0.",
            ) from None
        devices.synced(s, auth.device_id, cursor, defer=True)
        receipts.note(
            s,
            auth.device_id,
            page.case_ids,
            [p["case_id"] for p in page.purge],
            utcnow(),
        )
        audit.write(
            s,
            defer=True,
            action="pull",
            user_id=auth.user_id,
            device_id=auth.device_id,
            remote=auth.remote,
            cursor=cursor,
            next_cursor=page.next_cursor,
            records=len(page.records),
            entered=page.entered,
            purged=len(page.purge),
        )
    event(
        "sync.pull",
        device=auth.device_id,
        cursor=cursor,
        records=len(page.records),
        purged=len(page.purge),
        ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return Response(page.to_json(server_time()), media_type="application/json")


@router.get("/status", responses=error_responses(401, 403))
def status(auth: CurrentDevice, sessions: SessionsDep, settings: SettingsDep) -> StatusOut:
    with transaction(sessions) as s:
        device = s.get(Device, auth.device_id)
        top = sequence.committed_value(s)
        assert device is not None
        info = {
            "id": device.id,
            "name": device.name,
            "role": auth.viewer.role,
            "staff_id": auth.viewer.staff_id,
            "last_sync_at": iso(device.last_sync_at) or None,
            "token_expires_at": iso(device.token_expires_at),
            "server_cursor": top,
        }
    return StatusOut.model_validate(
        {
            "server_time": server_time(),
            "device": info,
            "schema": {"min": settings.schema_min, "max": settings.schema_max},
        }
    )
