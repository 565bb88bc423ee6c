"""Yorisoi core: domain, storage, sync, reports, server and CLI. Never imports Qt."""

__version__ = "0.1.0"
SCHEMA_VERSION = 1  # wire/schema version negotiated with the sync server
