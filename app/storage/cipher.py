"""SQLCipher connections below SQLAlchemy: keying a file and proving the key, the integrity
check, and opening a file ahead on a thread.

This module imports sqlcipher3 and nothing heavier (no SQLAlchemy, no models), so the CLI can
start the key derivation before it imports the rest (``OpenAhead``). app.storage.db builds its
connections from ``open_keyed``.

The key derivation (PBKDF2-HMAC-SHA512 with SQLCipher 4's default 256,000 iterations, kept
as is: it is what makes a stolen laptop's file hard to open) costs about a tenth of a second of
CPU per connection. SQLite releases Python's lock while it runs, so another thread can import
meanwhile.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, NamedTuple

import sqlcipher3

from app.domain.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    IntegrityCheckInterrupted,
    WrongPassphrase,
)


def quote(passphrase: str) -> str:
    """``passphrase`` as an SQL string literal, for ``PRAGMA key`` and ``PRAGMA rekey``."""
    return "'" + passphrase.replace("'", "''") + "'"


def open_keyed(path: Path, passphrase: str | None) -> Any:
    """A DB-API connection to ``path`` with the key applied and proved by a query straight
    away (a wrong key only shows at the first read of the file). ``passphrase=None`` opens
    without a key (the benchmarks' plain baseline). Raises WrongPassphrase, DatabaseBusy or
    DatabaseDamaged, with the connection closed."""
    conn = sqlcipher3.connect(str(path), check_same_thread=False, timeout=10)
    try:
        if passphrase is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = {quote(passphrase)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # derives the key
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        msg = str(exc).lower()
        if "not a database" in msg or "encrypted" in msg:
            raise WrongPassphrase() from None
        if "locked" in msg or "busy" in msg:
            raise DatabaseBusy() from None
        raise DatabaseDamaged() from None
    return conn


# Files up to this size get a full quick_check before an unlock returns (< ~0.3 s); larger ones
# are checked on a background connection so opening stays within a second (app.storage.lifecycle).
SYNC_CHECK_MAX_BYTES = 64 * 1024 * 1024

# SQLite's primary result codes that are its own verdict of damage: SQLITE_CORRUPT and
# SQLITE_NOTADB (SQLCipher's failed page HMAC). Any other error (SQLITE_INTERRUPT from locking
# or exit, SQLITE_BUSY, SQLITE_NOMEM...) stops a check before it has a verdict.
_DAMAGE_CODES = frozenset({11, 26})


def _reports_damage(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _DAMAGE_CODES
    msg = str(exc).lower()
    return "malformed" in msg or "not a database" in msg or "corrupt" in msg


def quick_check(conn: Any) -> None:
    """Raise DatabaseDamaged only when SQLite says so: a quick_check row other than 'ok', or
    a corrupt-file error. A check stopped before its verdict (interrupted by locking or by the
    process exiting, a busy file) raises IntegrityCheckInterrupted: that is no verdict."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlcipher3.DatabaseError as exc:
        if _reports_damage(exc):
            raise DatabaseDamaged() from None
        raise IntegrityCheckInterrupted() from None
    if not rows or rows[0][0] != "ok":
        raise DatabaseDamaged()


class Keyed(NamedTuple):
    """A connection that proved its key; ``checked``: quick_check found it intact as well."""

    conn: Any
    checked: bool


class OpenAhead:
    """``open_keyed(path, passphrase)``, and for a file of up to SYNC_CHECK_MAX_BYTES its
    quick_check, running on a thread from the moment this is made, so that the key derivation
    and the check overlap whatever the caller does next (the CLI imports SQLAlchemy, the models
    and its command meanwhile: issue 17, item 11). Both run in SQLite, which releases Python's
    lock.

    Only ever a head start on the usual open: ``take()`` hands the connection over when it is
    asked for the same file and passphrase and all went well, and otherwise returns None
    (after closing what it had), so the caller opens the usual way and reports the usual
    errors. The thread is not a daemon: the interpreter waits for it rather than freeing what
    SQLite is using (see app.storage.db._BackgroundCheck). ``close()`` ends it either way.
    """

    def __init__(self, path: Path, passphrase: str) -> None:
        self.path = Path(path)
        self._secret: str | None = passphrase
        self._keyed: Keyed | None = None
        self._thread = threading.Thread(target=self._open, name="yorisoi-open-ahead")
        self._thread.start()

    def _open(self) -> None:
        conn = None
        try:
            conn = open_keyed(self.path, self._secret)
            checked = self.path.stat().st_size <= SYNC_CHECK_MAX_BYTES
            if checked:
                quick_check(conn)
            self._keyed = Keyed(conn, checked)
        except Exception:  # noqa: BLE001 - the usual open, done again by the caller, reports it
            if conn is not None:
                conn.close()

    def take(self, path: Path, passphrase: str | None) -> Keyed | None:
        """The proved connection if it is to ``path`` with ``passphrase``; else None."""
        self._thread.join()
        keyed, self._keyed = self._keyed, None
        same = Path(path) == self.path and passphrase == self._secret
        self._secret = None
        if keyed is not None and not same:
            keyed.conn.close()
            return None
        return keyed

    def close(self) -> None:
        """Wait for the thread and close a connection nobody took."""
        self._thread.join()
        keyed, self._keyed = self._keyed, None
        self._secret = None
        if keyed is not None:
            keyed.conn.close()
