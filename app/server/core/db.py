"""Engine and sessions. One short transaction per request; SQLite writes take the lock early."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
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
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True, **_JSON)


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
