"""A real laptop (SQLCipher file, the sync engine) reports its queue at each pull, and the
workspace's device list shows what it reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import SCHEMA_VERSION, __version__
from app.admin.client import AdminClient
from app.sync import state
from app.sync.engine import SyncEngine, device_report
from app.sync.transport import Transport
from tests.admin.conftest import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.serverproc import ServerProc
from tests.sync.server_side import Admin
from tests.sync.world import make_case, new_laptop

pytestmark = pytest.mark.postgres


def _reported(srv: ServerProc, device_id: str) -> dict:  # type: ignore[type-arg]
    c = AdminClient(srv.url)
    c.sign_in(ADMIN_LOGIN, ADMIN_PASSWORD)
    try:
        return next(d for d in c.devices() if d["id"] == device_id)
    finally:
        c.sign_out()


def test_laptop_reports_pending_at_pull(admin_server: ServerProc, tmp_path: Path) -> None:
    admin = Admin.create(admin_server, "report-admin")
    laptop = new_laptop(admin, tmp_path, "houkoku2")
    try:
        laptop.sync()
        make_case(laptop.store, assigned=laptop.staff_id, team=[laptop.staff_id])
        make_case(laptop.store, assigned=laptop.staff_id, team=[laptop.staff_id])
        with laptop.store.raw() as raw:
            pending, rejected = device_report(raw.driver_connection)
        assert pending > 0 and rejected == 0
        # A pull before the push (as when a push fails part-way): the queue is reported.
        enrolled = state.enrollment(laptop.store)
        assert enrolled is not None
        engine = SyncEngine(laptop.store)
        engine._pull(Transport(enrolled.server_url, enrolled.token))
        row = _reported(admin_server, laptop.device_id)
        assert (row["pending_changes"], row["rejected_changes"]) == (pending, 0)
        assert row["app_version"] == __version__ and row["schema_version"] == SCHEMA_VERSION
        # A whole sync pushes first: nothing waits any more.
        laptop.sync()
        assert _reported(admin_server, laptop.device_id)["pending_changes"] == 0
    finally:
        laptop.close()


def test_master_change_reaches_laptops(admin_server: ServerProc, tmp_path: Path) -> None:
    from sqlalchemy import select

    from app.storage.models import Agency

    admin = Admin.create(admin_server, "master-admin")
    laptop = new_laptop(admin, tmp_path, "master-reader")
    try:
        laptop.sync()
        c = AdminClient(admin_server.url)
        c.sign_in(ADMIN_LOGIN, ADMIN_PASSWORD)
        agency = c.master("agency")[0]
        c.put_master("agency", {"id": agency["id"], "addressee": "福祉部長 様"})
        c.sign_out()
        laptop.sync()
        with laptop.store.session() as s:
            got = s.scalars(select(Agency.addressee).where(Agency.id == agency["id"])).one()
        assert got == "福祉部長 様"
    finally:
        laptop.close()
