"""The synced tables: their models, by table name, in the order a sync pushes and applies them.

The models are declared in app/storage/models.py (the laptop store's declarative base holds
them beside its local-only tables); this module is the server's door to them. That module
imports nothing of the application except app.protocol (tests/core/test_architecture.py).
"""

from __future__ import annotations

from app.storage.models import SYNC_ORDER, SYNCED_MODELS, Synced

__all__ = ["SYNCED_MODELS", "SYNC_ORDER", "Synced"]
