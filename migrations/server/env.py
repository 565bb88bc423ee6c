"""Alembic environment of the sync server. The URL comes from the server config
(--database-url or YORISOI_DATABASE_URL), handed in by app.server.core.migrate."""

from alembic import context

from app.server.core.config import Settings
from app.server.core.db import make_engine
from app.server.models import ServerBase

config = context.config
target_metadata = ServerBase.metadata


def run() -> None:
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    engine.dispose()


run()
