"""`yorisoi-server migrate`: the server's own Alembic environment (migrations/server)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.protocol.paths import migrations_dir
from app.server.core.db import make_engine


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir("server")))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")
    seed_master_data(url)


def seed_master_data(url: str) -> int:
    """The six districts, the agencies, the 小学校区 and the issue categories, with the same fixed ids every laptop's own migration
    makes (app.domain.seed), so laptops and server agree. Idempotent: existing rows are kept.
    Returns how many rows were added."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.domain.seed import all_seed_rows
    from app.server.crud.users import write_record
    from app.server.models import Record

    engine = make_engine(url)
    added = 0
    try:
        with Session(engine) as session, session.begin():
            for table, rows in all_seed_rows():
                have = set(
                    session.execute(select(Record.id).where(Record.table_name == table)).scalars()
                )
                for row in rows:
                    if row["id"] in have:
                        continue
                    values = {
                        k: v
                        for k, v in row.items()
                        if k not in ("id", "created_at", "updated_at", "version", "deleted")
                    }
                    write_record(session, table=table, row_id=row["id"], values=values, by=None)
                    added += 1
    finally:
        engine.dispose()
    return added


def is_current(url: str) -> bool:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision() == head
    finally:
        engine.dispose()
