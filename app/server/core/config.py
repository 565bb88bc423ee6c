"""Server settings, from the command line or YORISOI_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from app import SCHEMA_VERSION
from app.protocol.limits import DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT
from app.protocol.paths import data_dir


def default_database_url() -> str:
    path = data_dir() / "server" / "yorisoi-server.db"
    return f"sqlite:///{path.as_posix()}"


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    token_ttl_seconds: int = 30 * 24 * 3600
    enroll_code_ttl_seconds: int = 24 * 3600
    max_body_bytes: int = 8 * 1024 * 1024
    # Pull pages this server serves: at most the protocol's limits (app/protocol/limits.py),
    # which a server may lower but not raise. (A push's size is the protocol's alone: the
    # request schema refuses more than MAX_PUSH_CHANGES, so a server has no setting for it.)
    max_pull_limit: int = MAX_PULL_LIMIT
    default_pull_limit: int = DEFAULT_PULL_LIMIT
    login_max_failures: int = 5
    login_window_seconds: int = 15 * 60
    schema_min: int = SCHEMA_VERSION
    schema_max: int = SCHEMA_VERSION
    # Push and pull served by the lean path in api/fastpath.py SyncFastPath (False: by FastAPI alone;
    # the answers are the same, see tests/server/test_fast_paths.py).
    sync_fast_path: bool = True
    # Pushes and pulls one server process runs at once (see api/fastpath.py).
    sync_concurrency: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.default_pull_limit <= self.max_pull_limit <= MAX_PULL_LIMIT:
            raise ValueError(
                f"pull limits must satisfy 1 <= default ({self.default_pull_limit}) <= max "
                f"({self.max_pull_limit}) <= the protocol's {MAX_PULL_LIMIT}"
            )

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        url = database_url or os.environ.get("YORISOI_DATABASE_URL") or default_database_url()
        return cls(
            database_url=url,
            token_ttl_seconds=_int_env("YORISOI_TOKEN_TTL", cls.token_ttl_seconds),
            login_max_failures=_int_env("YORISOI_LOGIN_MAX_FAILURES", cls.login_max_failures),
            sync_concurrency=max(1, _int_env("YORISOI_SYNC_CONCURRENCY", cls.sync_concurrency)),
            sync_fast_path=os.environ.get("YORISOI_SYNC_FAST_PATH", "1") != "0",
        )


def ensure_sqlite_folder(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
