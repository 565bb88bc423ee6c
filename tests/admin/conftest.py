"""Fixtures of the administration workspace tests: a real server process on PostgreSQL with
an administrator who has a password (the workspace signs in with it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.conftest import pg_url  # noqa: F401  (the session's PostgreSQL database)
from tests.serverproc import ServerProc, running_server

ADMIN_LOGIN = "kanri"
ADMIN_PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="session")
def admin_server(tmp_path_factory: pytest.TempPathFactory, pg_url: str) -> Iterator[ServerProc]:  # noqa: F811
    with running_server(tmp_path_factory.mktemp("srv-admin"), database_url=pg_url) as srv:
        srv.add_user(ADMIN_LOGIN, "admin", name="管理 花子", password=ADMIN_PASSWORD)
        yield srv


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


from tests.ui.conftest import make_controller, ui_settings  # noqa: E402,F401  (the real controller)
