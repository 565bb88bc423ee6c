"""Fixtures for sync tests: a source database shaped like a server snapshot, a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services.demo import build_demo
from app.storage.db import Store
from tests.sync.helpers import export_records, new_client


@pytest.fixture(scope="session")
def snapshot_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Wire records of a fictional demo database (Faker ja_JP), built once per session."""
    src = new_client(tmp_path_factory.mktemp("source") / "source.db")
    try:
        build_demo(src, persons=200)
        return export_records(src)
    finally:
        src.lock()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    s = new_client(tmp_path / "client" / "yorisoi.db")
    yield s
    s.lock()
