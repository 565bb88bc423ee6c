"""`yorisoi-server migrate` seeds the districts and agencies with the laptops' fixed ids."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.seed import AGENCIES, district_id
from app.server.core.db import make_engine
from app.server.core.migrate import seed_master_data, upgrade
from app.server.models import Record


def test_migrate_seeds_master_data_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    upgrade(url)
    assert seed_master_data(url) == 0  # already there: nothing added twice
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            count = dict(
                s.execute(
                    select(Record.table_name, func.count())
                    .where(Record.table_name.in_(["district", "agency"]))
                    .group_by(Record.table_name)
                ).all()
            )
            assert count == {"district": 6, "agency": len(AGENCIES)}
            muko = s.execute(
                select(Record.data).where(Record.id == district_id("muko"))
            ).scalar_one()
            assert muko["name"] == "武庫" and muko["deleted"] is False
    finally:
        engine.dispose()
