"""Removing cases that left this device's scope, once their pending changes are pushed.

The rows that go follow the server's scope rules (docs/sync-protocol.md): the case and every row
with its ``case_id``; its household (with members and life events) and persons unless another
remaining case still holds them, and with them the households and persons merged into them
(tombstones, through any chain of merges); meetings no longer linked to a remaining case. Open conflicts
on purged rows become rejected changes (the person's own edits stay visible; the other side's
values go with the case).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from app.storage.db import Store
from app.sync import state
from app.sync.apply import reindex_rows, write_transaction

CASE_CHILDREN = (
    "case_team_member",
    "contact_record",
    "referral",
    "role_assignment",
    "meeting_case",
)
REASON = "担当範囲外になったため、この端末から削除されました / The case left your scope"


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    deferred: int
    rows_removed: int


def _temp(conn: Any, name: str, select_sql: str, params: tuple[Any, ...] = ()) -> None:
    conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
    conn.execute(f"CREATE TEMP TABLE {name}(id TEXT PRIMARY KEY)")
    conn.execute(f"INSERT OR IGNORE INTO temp.{name}(id) {select_sql}", params)


def _chain(table: str, seed_sql: str, name: str) -> str:
    """SQL of the ids ``seed_sql`` selects and of the records merged into them, to any depth:
    a tombstone (``merged_into_id``) goes and stays with its survivor, as the server's scope
    has it follow the last survivor of a chain of merges (app/server/crud/scope.py).
    The walk starts from the (few) tombstones, up their chains by primary key, so it needs no
    index on ``merged_into_id``; UNION ends a cycle."""
    return (
        f"SELECT id FROM (WITH RECURSIVE {name}_seed(id) AS ({seed_sql}), "
        f'{name}(id, into_id) AS (SELECT id, merged_into_id FROM "{table}" '
        f"WHERE merged_into_id IS NOT NULL UNION SELECT {name}.id, t.merged_into_id FROM {name} "
        f'JOIN "{table}" t ON t.id = {name}.into_id WHERE t.merged_into_id IS NOT NULL) '
        f"SELECT id FROM {name}_seed UNION "
        f"SELECT id FROM {name} WHERE into_id IN (SELECT id FROM {name}_seed))"
    )


def _plan(conn: Any, case_ids: list[str]) -> dict[str, str]:
    """Temp tables of row ids to remove; returns {table: sql selecting its ids}."""
    conn.execute("DROP TABLE IF EXISTS temp.p_case")
    conn.execute("CREATE TEMP TABLE p_case(id TEXT PRIMARY KEY)")
    conn.executemany("INSERT OR IGNORE INTO temp.p_case(id) VALUES (?)", [(c,) for c in case_ids])
    keep_case = 'SELECT id FROM "case" WHERE id NOT IN (SELECT id FROM temp.p_case)'
    # What the remaining cases hold (with what was merged into it) stays.
    _temp(conn, "k_household", _chain(
        "household",
        f'SELECT household_id FROM "case" WHERE id IN ({keep_case}) AND household_id IS NOT NULL',
        "keep_hh",
    ))  # fmt: skip
    _temp(conn, "p_household", _chain(
        "household",
        'SELECT household_id FROM "case" WHERE id IN (SELECT id FROM temp.p_case) '
        "AND household_id IS NOT NULL",
        "gone_hh",
    ) + " WHERE id NOT IN (SELECT id FROM temp.k_household)")  # fmt: skip
    _temp(
        conn,
        "p_meeting",
        "SELECT meeting_id FROM meeting_case WHERE case_id IN (SELECT id FROM temp.p_case) "
        f"AND meeting_id NOT IN (SELECT meeting_id FROM meeting_case WHERE case_id IN ({keep_case}))",
    )
    _temp(conn, "k_person", _chain(
        "person",
        f'SELECT person_id FROM "case" WHERE id IN ({keep_case}) AND person_id IS NOT NULL '
        "UNION SELECT person_id FROM household_member "
        "WHERE household_id IN (SELECT id FROM temp.k_household)",
        "keep_p",
    ))  # fmt: skip
    _temp(conn, "p_person", _chain(
        "person",
        'SELECT person_id FROM "case" WHERE id IN (SELECT id FROM temp.p_case) '
        "AND person_id IS NOT NULL "
        "UNION SELECT person_id FROM household_member "
        "WHERE household_id IN (SELECT id FROM temp.p_household)",
        "gone_p",
    ) + " WHERE id NOT IN (SELECT id FROM temp.k_person)")  # fmt: skip
    in_case = "case_id IN (SELECT id FROM temp.p_case)"
    plan = {t: f'SELECT id FROM "{t}" WHERE {in_case}' for t in CASE_CHILDREN}
    in_household = "household_id IN (SELECT id FROM temp.p_household)"
    plan["life_event"] = f"SELECT id FROM life_event WHERE {in_household}"
    plan["household_member"] = f"SELECT id FROM household_member WHERE {in_household}"
    plan["meeting_attendee"] = (
        "SELECT id FROM meeting_attendee WHERE meeting_id IN (SELECT id FROM temp.p_meeting)"
    )
    plan["support_meeting"] = "SELECT id FROM temp.p_meeting"
    plan["household"] = "SELECT id FROM temp.p_household"
    plan["person"] = "SELECT id FROM temp.p_person"
    plan["case"] = "SELECT id FROM temp.p_case"
    return plan


def _related(cid: str) -> tuple[str, dict[str, str]]:
    """SQL of every row id a case could take with it, ignoring what other cases hold."""
    hh = _chain("household", 'SELECT household_id FROM "case" WHERE id = :cid', "r_hh")
    mt = "SELECT meeting_id FROM meeting_case WHERE case_id = :cid"
    persons = _chain(
        "person",
        'SELECT person_id FROM "case" WHERE id = :cid '
        f"UNION SELECT person_id FROM household_member WHERE household_id IN ({hh})",
        "r_p",
    )
    parts = ["SELECT :cid", persons, hh]
    parts += [f'SELECT id FROM "{t}" WHERE case_id = :cid' for t in CASE_CHILDREN]
    parts += [f"SELECT id FROM {t} WHERE household_id IN ({hh})"
              for t in ("household_member", "life_event")]  # fmt: skip
    parts += [mt, f"SELECT id FROM meeting_attendee WHERE meeting_id IN ({mt})"]
    return " UNION ".join(parts), {"cid": cid}


def _hits(conn: Any, sql: str, params: tuple[str, ...] | dict[str, str] = ()) -> bool:
    found = conn.execute(f"SELECT 1 FROM outbox WHERE row_id IN ({sql}) LIMIT 1", params)
    return found.fetchone() is not None


def _blocked_cases(conn: Any, case_ids: list[str]) -> set[str]:
    """Cases that would take a row with pending outbox entries. Only cases related to such a row
    are suspects; they are added one by one while the rows they take stay clear of the outbox
    (a person two cases share goes only with the last of them)."""
    if conn.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is None:
        return set()
    if not _hits(conn, " UNION ".join(_plan(conn, case_ids).values())):
        return set()
    suspects = [c for c in case_ids if _hits(conn, *_related(c))]
    ready = [c for c in case_ids if c not in suspects]
    blocked: set[str] = set()
    for cid in suspects:
        if _hits(conn, " UNION ".join(_plan(conn, [*ready, cid]).values())):
            blocked.add(cid)
        else:
            ready.append(cid)
    return blocked


def run_pending_purges(store: Store) -> PurgeResult:
    if not state.read(store, "pending_purge"):
        return PurgeResult(0, 0, 0)  # the usual case: no write transaction at all
    with write_transaction(store) as conn:
        queued = list(state.get(conn, "pending_purge", []) or [])
        if not queued:
            return PurgeResult(0, 0, 0)
        blocked = _blocked_cases(conn, queued)
        ready = [c for c in queued if c not in blocked]
        removed = purge_cases(conn, ready) if ready else 0
        state.put(conn, "pending_purge", [c for c in queued if c in blocked])
    return PurgeResult(len(ready), len(blocked), removed)


def purge_cases(conn: Any, case_ids: list[str]) -> int:
    plan = _plan(conn, case_ids)
    removed = 0
    for table, ids_sql in plan.items():
        conn.execute(f"DROP TABLE IF EXISTS temp.p_rows_{table}")
        conn.execute(f"CREATE TEMP TABLE p_rows_{table}(id TEXT PRIMARY KEY)")
        conn.execute(f"INSERT OR IGNORE INTO temp.p_rows_{table}(id) {ids_sql}")
    for table in plan:
        rows = f"SELECT id FROM temp.p_rows_{table}"
        _conflicts_to_rejected(conn, table, rows)
        if table in ("person", "case"):
            ids = [r[0] for r in conn.execute(rows)]
            conn.execute(f'DELETE FROM "{table}" WHERE id IN ({rows})')
            reindex_rows(conn, table, ids)  # rows are gone: removes their index entries
        else:
            conn.execute(f'DELETE FROM "{table}" WHERE id IN ({rows})')
        removed += conn.execute("SELECT changes()").fetchone()[0]
    for table in plan:
        conn.execute(f"DROP TABLE IF EXISTS temp.p_rows_{table}")
    return int(removed)


def _conflicts_to_rejected(conn: Any, table: str, rows_sql: str) -> None:
    found = conn.execute(
        "SELECT id, op_id, row_id, field, base, mine FROM conflict "
        f"WHERE resolved_at IS NULL AND table_name = ? AND row_id IN ({rows_sql})",
        (table,),
    ).fetchall()
    for cid, op_id, row_id, field, base, mine in found:
        changes = {field: [json.loads(base) if base else None, json.loads(mine) if mine else None]}
        conn.execute(
            "INSERT OR IGNORE INTO rejected_change(op_id, table_name, row_id, op, changes, reason, "
            "rejected_at, dismissed) VALUES (?, ?, ?, 'update', ?, ?, "
            "strftime('%Y-%m-%d %H:%M:%f000', 'now'), 0)",
            (
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"{op_id or cid}:{field}")),
                table,
                row_id,
                json.dumps(changes),
                REASON,
            ),
        )
        conn.execute(
            "UPDATE conflict SET resolved_at = strftime('%Y-%m-%d %H:%M:%f000', 'now'), "
            "resolution = 'purged', theirs = NULL WHERE id = ?",
            (cid,),
        )
