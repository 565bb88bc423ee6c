"""A conflict names whoever set the conflicting field, and when, not the row's last writer:
laptops enrolled with a real ``yorisoi-server`` process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sync.conflicts import list_conflicts
from tests.serverproc import running_server
from tests.sync.server_side import Admin
from tests.sync.world import edit_case, make_case, new_laptop


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    from tests.server.conftest import pg_url

    yield from pg_url.__wrapped__()  # type: ignore[attr-defined]


def test_conflict_names_who_set_that_field_not_the_last_writer(
    tmp_path: Path, database_url: str | None
) -> None:
    with running_server(tmp_path / "server", database_url=database_url) as srv:
        admin = Admin.create(srv, "attradmin")
        laps = {
            name: new_laptop(admin, tmp_path, name, "coordinator", district_ids=[], name=full)
            for name, full in (("mine", "本人 一郎"), ("titler", "主訴 花子"),
                               ("noter", "記録 次郎"))
        }  # fmt: skip
        mine, titler, noter = laps["mine"], laps["titler"], laps["noter"]
        try:
            for lap in laps.values():
                lap.sync()  # the staff directory
            team = [lap.staff_id for lap in laps.values()]
            case_id = make_case(mine.store, assigned=mine.staff_id, team=team, title="元の主訴")
            mine.sync(), titler.sync(), noter.sync()
            # Offline here: a new title and a status.
            assert edit_case(mine.store, case_id, title="この端末の主訴", status="supporting")
            # Elsewhere: one sets the title, then another edits only the notes...
            assert edit_case(titler.store, case_id, title="他の端末の主訴")
            titler.sync()
            noter.sync()
            assert edit_case(noter.store, case_id, notes="記録だけ直した", status="watching")
            noter.sync()
            summary = mine.sync()
            assert summary.conflicts == 1
            got = {c.field: c for c in list_conflicts(mine.store)}
            assert set(got) == {"title", "status"}
            # ...and the title conflict names the one who set the title.
            assert got["title"].theirs == "他の端末の主訴"
            assert got["title"].theirs_by == "主訴 花子"
            assert got["status"].theirs_by == "記録 次郎"
            title_at, status_at = got["title"].theirs_at, got["status"].theirs_at
            assert title_at and status_at and title_at < status_at
        finally:
            for lap in laps.values():
                lap.close()
