"""The naming convention of constraints and indexes, shared by the client's and the server's
SQLAlchemy metadata so both sets of migrations name things the same way."""

from __future__ import annotations

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
