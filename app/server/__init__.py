"""Central sync server (yorisoi-server): FastAPI over SQLAlchemy, PostgreSQL or SQLite."""
