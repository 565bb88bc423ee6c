"""Planner statistics after bulk writes (app/server/core/stats.py), on the real PostgreSQL.

Right after a bulk load PostgreSQL has no statistics for ``record`` yet and planned the pull
page as a scan of the whole cursor window plus a sort; these tests show the keeper's analysis
turns that into an ordered index scan, that it runs off the request path and only past its
threshold, that a failure never reaches the caller, and that the server process triggers it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.dialects import postgresql

from app.server.core import migrate
from app.server.core.stats import MIN_ROWS, PlannerStats
from app.server.crud.pull import _page_statement
from tests.server.conftest import _pg_connect, insert, laptop
from tests.serverproc import ServerProc

pytestmark = pytest.mark.postgres


@pytest.fixture
def fresh_pg(pg_url: str) -> Iterator[str]:
    """A migrated database of its own, autovacuum off for ``record`` (no analysis but ours)."""
    name = f"yorisoi_stats_{uuid.uuid4().hex[:10]}"
    with _pg_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        migrate.upgrade(url)
        with _pg_connect(name) as conn:
            conn.execute("ALTER TABLE record SET (autovacuum_enabled = false)")
        yield url
    finally:
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _load(url: str, rows: int) -> None:
    with _pg_connect(url.rsplit("/", 1)[1]) as conn:
        conn.execute(
            """INSERT INTO record (table_name, id, data, version, deleted, seq, owner,
                                   updated_by, updated_at)
               SELECT 'contact_record', 'r' || g, json_build_object('narrative', repeat('x', 200)),
                      1, false, 1000000 + g, 'c' || (g %% 1000), NULL, now()
               FROM generate_series(1, %s) AS g""",
            (rows,),
        )


def _page_plan(url: str) -> str:
    """EXPLAIN of the pull page statement the server runs (an administrator's device)."""
    statement = _page_statement(True).params(p_cursor=1000, p_top=10**9, p_limit=5001)
    sql = str(
        statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )
    with _pg_connect(url.rsplit("/", 1)[1]) as conn:
        return "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql).fetchall())


def _manual_analyses(url: str) -> int:
    with _pg_connect(url.rsplit("/", 1)[1]) as conn:
        row = conn.execute(
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'record'"
        ).fetchone()
        return int(row[0]) if row else 0


def _wait_for_analyses(url: str, at_least: int, timeout: float = 20.0) -> int:
    # The statistics collector reports with a small delay.
    deadline = time.monotonic() + timeout
    while True:
        n = _manual_analyses(url)
        if n >= at_least or time.monotonic() > deadline:
            return n
        time.sleep(0.2)


def test_analysis_after_a_bulk_load_turns_the_pull_page_into_an_ordered_index_scan(
    fresh_pg: str,
) -> None:
    _load(fresh_pg, 60_000)
    stale = _page_plan(fresh_pg)
    assert "Sort" in stale, stale  # the window is read whole and sorted, on every page

    keeper = PlannerStats(create_engine(fresh_pg), min_rows=1000)
    keeper.wrote(60_000)
    keeper.wait(30)
    assert keeper.runs == 1
    fresh = _page_plan(fresh_pg)
    assert "Sort" not in fresh and "uq_record_seq" in fresh, fresh


def test_analysis_runs_only_past_the_threshold_and_scales_with_the_table(fresh_pg: str) -> None:
    _load(fresh_pg, 2_000)
    keeper = PlannerStats(create_engine(fresh_pg), min_rows=1000, growth=0.5)
    keeper.wrote(999)
    keeper.wait(30)
    assert keeper.runs == 0
    keeper.wrote(1)  # 1,000 rows: the minimum
    keeper.wait(30)
    assert keeper.runs == 1
    # The next analysis comes once half as many rows as the table now holds were written.
    with _pg_connect(fresh_pg.rsplit("/", 1)[1]) as conn:
        row = conn.execute("SELECT reltuples FROM pg_class WHERE relname = 'record'").fetchone()
    held = int(row[0]) if row else 0
    assert held >= 2_000
    next_at = -(-held // 2)
    keeper.wrote(next_at - 1)
    keeper.wait(30)
    assert keeper.runs == 1
    keeper.wrote(1)
    keeper.wait(30)
    assert keeper.runs == 2
    assert _wait_for_analyses(fresh_pg, 2) >= 2


def test_a_failed_analysis_is_logged_and_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    engine = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    keeper = PlannerStats(engine, min_rows=1)
    keeper.wrote(5)  # must not raise, the caller's request goes on
    keeper.wait(30)
    assert keeper.runs == 0
    assert any(r.getMessage() == "db.analyse_failed" for r in caplog.records)
    keeper.wrote(5)  # and a later write tries again
    keeper.wait(30)
    assert keeper.runs == 0


def test_only_postgresql_is_analysed(tmp_path: Any) -> None:
    keeper = PlannerStats(create_engine(f"sqlite:///{tmp_path / 'x.db'}"), min_rows=1)
    assert not keeper.enabled
    keeper.wrote(10)
    assert keeper._thread is None and keeper.runs == 0


def test_the_server_analyses_after_a_large_push(pg_server: ServerProc, pg_url: str) -> None:
    before = _manual_analyses(pg_url)
    device = laptop(pg_server, "admin")
    n = MIN_ROWS + 200  # more new records than the keeper waits for
    changes = [insert("resource", name=f"資源{i}", kind="other") for i in range(n)]
    for i in range(0, len(changes), 2_000):
        results = device.push(changes[i : i + 2_000])
        assert {r["status"] for r in results} == {"applied"}
    assert _wait_for_analyses(pg_url, before + 1) >= before + 1
    with create_engine(pg_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM record")).scalar_one() >= n


def test_key_lookups_stay_index_probes_on_an_analysed_table(fresh_pg: str) -> None:
    """A push looks up its op ids, the rows it writes and the parents it names, thousands of
    keys at once. Once ``record``/``applied_op`` have statistics, a flattened join was
    planned as a hash of the WHOLE table (seq scan) per batch, growing with the table: the
    lookups must stay one index probe per key whatever the statistics say."""
    from app.server.crud import bulk, push_load

    name = fresh_pg.rsplit("/", 1)[1]
    _load(fresh_pg, 60_000)
    with _pg_connect(name) as conn:
        conn.execute(
            """INSERT INTO applied_op (op_id, device_id, result, at)
               SELECT 'op' || g, 'd', '{"status": "applied"}'::json, now()
               FROM generate_series(1, 60000) AS g"""
        )
        conn.execute("ANALYZE record, applied_op")
        keys = [("contact_record", f"r{g}") for g in range(1, 8001, 2)]
        by_key = {
            "tables": bulk.pg_array([t for t, _ in keys]),
            "ids": bulk.pg_array([i for _, i in keys]),
        }
        ops = {"ids": bulk.pg_array([f"op{g}" for g in range(1, 4001)])}
        for sql, params, table in (
            (push_load._PG_EXISTS, by_key, "record"),
            (push_load._PG_ROWS, by_key, "record"),
            (push_load._PG_PREVIOUS, ops, "applied_op"),
        ):
            plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql, params).fetchall())
            assert "Seq Scan" not in plan and "Hash" not in plan, plan
            assert "Nested Loop" in plan and "Index" in plan and table in plan, plan
        # And the answers are right: 4,000 of the keys exist, and so do the 4,000 op ids.
        assert len(conn.execute(push_load._PG_EXISTS, by_key).fetchall()) == 4000
        assert len(conn.execute(push_load._PG_PREVIOUS, ops).fetchall()) == 4000
