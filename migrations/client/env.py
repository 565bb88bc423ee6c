"""Alembic environment of the laptop's encrypted database.

The connection is handed in by app.storage.migrate (it is already keyed); there is no URL.
"""

from alembic import context

from app.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("client migrations run only through app.storage.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=lambda obj, name, type_, *a: (
            not (type_ == "table" and name.startswith(("search_fts", "search_tri")))
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


run()
