"""Writing an output file so that a crash never leaves half of it (PDF export, the GUI's save).

``write_atomic(data, path, before_replace=None)`` writes ``data`` to a temporary file beside
``path`` (same folder, so the rename is atomic), flushes it to the disk, calls
``before_replace`` (the export's audit event: no file without its event) and renames it into
place. On any error the temporary file is removed and the old file, if any, stays as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(
    data: bytes, path: Path, before_replace: Callable[[], object] | None = None
) -> None:
    """Save ``data`` at ``path``: the old file or the whole new one, never a part."""
    fd, name = tempfile.mkstemp(prefix=".yorisoi-", suffix=".tmp", dir=Path(path).parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
