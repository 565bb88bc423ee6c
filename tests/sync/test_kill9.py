"""Real processes: ``yorisoi sync`` killed with SIGKILL at many points of a large sync, then
restarted until it completes. Nothing is lost and nothing is duplicated, on either side."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services.demo import build_demo
from app.storage.lifecycle import open_database
from app.storage.models import SYNC_ORDER
from tests.serverproc import running_server
from tests.sync.helpers import PASSPHRASE, count, outbox_size, queue_everything, snapshot
from tests.sync.server_side import Admin, Oracle, canonical
from tests.sync.world import add_contact, make_case, new_laptop

TABLES = {"person", "household", "household_member", "case", "case_team_member",
          "contact_record", "life_event", "referral", "staff", "resource"}  # fmt: skip


@pytest.mark.slow
def test_sync_killed_at_many_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    rnd = random.Random(5)
    with running_server(tmp_path / "server") as srv:
        admin = Admin.create(srv)
        source = new_laptop(admin, tmp_path, "loader", "admin")
        build_demo(source.store, persons=1200)
        queue_everything(source.store, [t for t in SYNC_ORDER if t not in ("district", "agency")])
        first = source.sync()
        assert first.rejected == 0 and first.applied > 9000
        source.close()

        victim = new_laptop(admin, tmp_path, "victim", "admin")
        # Offline work on the empty laptop, waiting to be pushed: a case and 400 visit records.
        case_id = make_case(victim.store, assigned=victim.staff_id, team=[victim.staff_id])
        for i in range(400):
            add_contact(victim.store, case_id, victim.staff_id, f"オフライン記録 {i}")
        local_ids = {k[1] for k in snapshot(victim.store, ["contact_record"])}
        assert len(local_ids) == 400 and count(victim.store, "case") == 1
        victim.close()
        server_contacts_before = Oracle(srv).count("contact_record")

        env = {**os.environ, "YORISOI_PASSPHRASE": PASSPHRASE, "YORISOI_HOME": str(tmp_path / "h")}
        cmd = [sys.executable, "-m", "app.cli.main", "--db", str(victim.path), "sync", "--json",
               "--page-size", "300"]  # fmt: skip
        kills = 0
        for _ in range(40):
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(rnd.uniform(0.2, 1.1))  # start-up ~0.3 s, the whole sync ~2 s
            if proc.poll() is not None:
                out, err = proc.communicate()
                assert proc.returncode == 0, err.decode(errors="replace")
                break
            proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no cleanup runs
            proc.wait()
            kills += 1
        assert kills >= 5, "the sync finished too quickly to be interrupted"
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

        store = open_database(victim.path, PASSPHRASE)  # integrity check included
        try:
            assert outbox_size(store) == 0
            oracle = Oracle(srv)
            try:
                # Nothing duplicated on the server: exactly the 400 new records arrived.
                assert oracle.count("contact_record") == server_contacts_before + 400, (
                    "duplicated or lost"
                )
                expected = oracle.visible("victim", TABLES)
            finally:
                oracle.close()
            got = {k: canonical(k[0], v) for k, v in snapshot(store, sorted(TABLES)).items()}
            assert got == expected  # nothing lost, nothing extra on the laptop
            assert local_ids <= {k[1] for k in got if k[0] == "contact_record"}
            assert count(store, "search_doc", "kind = 'person'") == count(
                store, "person", "deleted = 0"
            )
        finally:
            store.lock()
