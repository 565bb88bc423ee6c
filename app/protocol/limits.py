"""The limits of the sync protocol (docs/sync-protocol.md), defined once: the server's request
schemas and fast checks refuse what exceeds them, and the laptop sizes its batches and pages
to fit. A server may be configured to serve smaller pulls (core/config.py), never larger."""

from __future__ import annotations

MAX_ID_LENGTH = 36  # op_id, row_id, batch_id: a UUID as text
ID_PATTERN = rf"[0-9A-Za-z-]{{1,{MAX_ID_LENGTH}}}"
MAX_TABLE_NAME_LENGTH = 40
MAX_PUSH_CHANGES = 2000  # changes in one push
MAX_CHANGED_FIELDS = 100  # fields in one change
MAX_PULL_LIMIT = 5000  # changes in one pull page
DEFAULT_PULL_LIMIT = 2000  # a pull page when the laptop names no limit
MAX_CURSOR = 2**62  # a pull cursor (the server's change sequence) never exceeds this
