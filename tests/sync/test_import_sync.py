"""Imported rows sync like any edit: a coordinator's laptop imports the resource register and
cases, pushes them to a real server process, and another laptop receives the register."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.import_files import read_table
from app.services.importer import run_import
from app.services.profile import current_actor
from app.storage.models import Resource
from tests.core.test_importer import CASE_CSV, RESOURCE_CSV
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import count, outbox_size
from tests.sync.server_side import Admin
from tests.sync.world import new_laptop


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


def test_imported_resources_and_cases_sync(server: ServerProc, tmp_path: Path) -> None:
    admin = Admin.create(server, "impadmin")
    a = new_laptop(admin, tmp_path, "impcoord", role="coordinator")
    b = new_laptop(admin, tmp_path, "impother")
    try:
        a.sync(), b.sync()
        res, cases = tmp_path / "r.csv", tmp_path / "c.csv"
        res.write_bytes(RESOURCE_CSV.encode("cp932"))
        cases.write_text(CASE_CSV, encoding="utf-8")
        for path, kind in ((res, "resources"), (cases, "cases")):
            table = read_table(path, kind)
            with a.store.session() as s:
                report = run_import(s, current_actor(s), table, dry_run=False)
            assert report.counts["error"] == 0 and report.changes > 0
        queued = outbox_size(a.store)
        assert queued > 0
        summary = a.sync()
        assert summary.rejected == 0 and summary.pushed == queued
        assert outbox_size(a.store) == 0
        b.sync()
        with b.store.session() as s:
            got = set(s.scalars(select(Resource.name).where(Resource.deleted.is_(False))))
        assert {"ひだまりサロン", "むこっこ食堂", "そのだ相談室"} <= got
        # Importing the same files again queues nothing to push.
        for path, kind in ((res, "resources"), (cases, "cases")):
            with a.store.session() as s:
                again = run_import(s, current_actor(s), read_table(path, kind), dry_run=False)
            assert again.changes == 0
        assert outbox_size(a.store) == 0
        assert count(a.store, "case", "case_number LIKE 'OLD-%'") == 3
    finally:
        a.close(), b.close()
