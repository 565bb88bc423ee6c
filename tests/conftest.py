"""Shared fixtures: a real SQLCipher file per test, never a mock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("YORISOI_LANG", "ja")

from app.domain.records import Actor  # noqa: E402
from app.storage.db import Store  # noqa: E402
from app.storage.lifecycle import create_database  # noqa: E402

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YORISOI_HOME", str(tmp_path / "home"))


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "yorisoi.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = create_database(db_path, PASSPHRASE)
    yield s
    s.lock()


@pytest.fixture
def actor(store: Store) -> Actor:
    from app.services.profile import set_profile_user

    with store.session() as s:
        return set_profile_user(s, name="試験 太郎", role="coordinator", login="tester")


@pytest.fixture
def demo_store(store: Store, actor: Actor) -> Store:
    from app.services.demo import build_demo

    build_demo(store, persons=300)
    return store
