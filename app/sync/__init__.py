"""Laptop side of offline-to-online synchronisation (protocol: docs/sync-protocol.md).

- ``transport``: HTTP client (httpx) with auth and schema headers; maps answers to named errors.
- ``state``: enrollment, cursor and last-sync facts kept inside the encrypted database.
- ``push``: outbox batches in dependency order; results become applied / conflict / rejected.
- ``apply``: pulled pages bulk-applied with their cursor in one transaction; scope purges.
- ``engine``: one sync run (push, pull, purge) with progress and cancel; resumable, idempotent.
- ``conflicts``: listing and resolving conflicts; rejected changes.
- ``enroll``: enrolment; the ``yorisoi enroll`` and ``yorisoi sync`` commands live in
  :mod:`app.cli.sync_commands` (nothing here imports the CLI).

Nothing here imports Qt.
"""
