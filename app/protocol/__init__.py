"""The contract between laptop and server: what both sides of a sync must agree on.

The sync server (app/server) imports from the laptop's code only this package (and the pure
vocabulary in app.domain); the laptop's store and sync engine import these same names, so a
rule written here is the one rule both sides follow. tests/core/test_architecture.py checks it.

- ``ids``: how a row's id is made (UUIDv7, 36 characters).
- ``naming``: the constraint/index naming convention both databases' metadata use.
- ``schema``: the synced tables (names, columns, the order a sync applies them in).
- ``wire``: column values to and from their JSON wire form.
- ``limits``: the sizes a push, a pull and an id may have.
- ``paths``: where the installation's data folder and migrations live.

The synced tables' SQLAlchemy models stay in app/storage/models.py, on the laptop store's one
declarative base beside its local-only tables (so the client migrations' metadata is one piece);
``schema`` re-exports them, and that module imports nothing of the application but this
package. Keep this package small: only what the two sides must share.
"""
