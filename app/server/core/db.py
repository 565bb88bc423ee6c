"""Engine and sessions. One short transaction per request; SQLite writes take the lock early."""

from __future__ import annotations

import select
from typing import Any

import orjson
from psycopg import pq
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from app.server.core.config import ensure_sqlite_folder


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# orjson for every JSON column: compact UTF-8 text, several times faster than the json module.
_JSON = {"json_serializer": _dumps, "json_deserializer": orjson.loads}


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        ensure_sqlite_folder(url)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **_JSON
        )
        _sqlite_pragmas(engine)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=10, connect_args=_PG_CONNECT, **_JSON)
    _check_on_checkout(engine)
    return engine


def _check_on_checkout(engine: Engine) -> None:
    """A pooled connection is checked before use without a round trip: a server that closed
    it (restart, terminated backend) has sent its farewell, so the idle socket is readable.
    Only then is it pinged, and a dead one is replaced (SQLAlchemy retries the checkout).
    ``pool_pre_ping`` pinged every checkout: a round trip on every request."""

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, _rec: Any, _proxy: Any) -> None:
        if dbapi_conn.closed or dbapi_conn.broken:
            raise exc.DisconnectionError()
        if select.select([dbapi_conn.fileno()], [], [], 0)[0]:
            # Something arrived while idle: a farewell, or a harmless notice. Ask.
            dbapi_conn.pgconn.exec_(b";")
            if dbapi_conn.pgconn.status != pq.ConnStatus.OK:
                raise exc.DisconnectionError()


# JIT compilation of a statement costs far more than these short statements ever run for.
# (Plans stay PostgreSQL's choice: forcing generic plans made the scope statements, whose
# best plan depends on whose scope it is, several times slower.)
_PG_CONNECT: dict[str, Any] = {"options": "-c jit=off"}


def _sqlite_pragmas(engine: Engine) -> None:
    # pysqlite's own transaction handling is turned off so that every transaction can start
    # with BEGIN IMMEDIATE: writers queue on the database lock instead of failing to upgrade.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)
