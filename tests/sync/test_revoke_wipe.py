"""Revocation against a real server: the person is told what was wiped and how many changes
that never reached the server went with it (the engine's error, the CLI's --json)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from app.storage.backup import backup_path, backup_to
from app.sync.errors import DeviceRevoked
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import PASSPHRASE, outbox_size
from tests.sync.server_side import Admin
from tests.sync.world import add_contact, fresh_db, make_case, new_laptop


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("revoke-server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server: ServerProc) -> Admin:
    return Admin.create(server, "revokeadmin")


def test_revoked_sync_reports_the_wipe_and_the_unsent_changes(admin, tmp_path):
    lap = new_laptop(admin, tmp_path, "revoked1")
    lap.sync()
    case_id = make_case(lap.store, assigned=lap.staff_id, team=[lap.staff_id])
    add_contact(lap.store, case_id, lap.staff_id, "送る前に取り消された訪問")
    unsent = outbox_size(lap.store)
    assert unsent > 0
    own_backup = backup_to(lap.store, backup_path(lap.path, "backup"))
    admin.revoke(lap.device_id)
    with pytest.raises(DeviceRevoked) as err:
        lap.sync()
    report = err.value.wipe
    assert report is not None and report.unsent_changes == unsent
    assert lap.path in report.removed and own_backup in report.removed
    assert not lap.path.exists() and not own_backup.exists() and lap.store.is_locked
    ja, en = err.value.message("ja"), err.value.message("en")
    assert "消去" in ja and f"{unsent:,} 件" in ja
    assert "erased" in en and f"{unsent:,} changes" in en


def test_cli_sync_of_a_revoked_device_prints_the_wipe_report(server, admin, tmp_path):
    user = admin.add_user("revokedcli", "outreach")
    db = tmp_path / "cli" / "yorisoi.db"
    env = {**os.environ, "YORISOI_PASSPHRASE": PASSPHRASE, "YORISOI_HOME": str(tmp_path / "h"),
           "YORISOI_LANG": "en"}  # fmt: skip

    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app.cli.main", "--db", str(db), *a],
                              capture_output=True, text=True, env=env, timeout=120)  # fmt: skip

    fresh_db(db).lock()
    done = run("enroll", "--server", server.url, "--code", admin.code(user["id"]), "--json")
    assert done.returncode == 0, done.stderr
    device_id = json.loads(done.stdout)["device_id"]
    assert run("sync", "--json").returncode == 0
    admin.revoke(device_id)
    done = run("sync", "--json")
    assert done.returncode != 0
    out = json.loads(done.stdout)
    assert out["ok"] is False and out["error"] == "device_revoked"
    assert str(db) in out["wipe"]["removed"] and out["wipe"]["unsent_changes_lost"] >= 0
    lines = [x for x in done.stderr.splitlines() if x.startswith("yorisoi: ")]
    assert len(lines) == 1 and "revoked" in lines[0] and "files removed" in lines[0], done.stderr
    assert not db.exists()
