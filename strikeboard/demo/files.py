"""Building a database file beside its destination and renaming it into place (or removing it)."""

import os
import tempfile
from pathlib import Path

from strikeboard.store.probe import StoreError


def temp_beside(out: Path) -> Path:
    """A new empty private (0600) file in ``out``'s folder, to build ``out`` in before renaming."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise StoreError(f"Cannot write a file in {out.parent} ({exc.strerror}).") from None
    os.close(fd)
    return Path(name)


def remove_db(path: Path) -> None:
    """Remove a database file and its ``-wal``/``-shm`` companions, where present."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def install(tmp: Path, out: Path) -> None:
    """Rename a finished database onto ``out``, first dropping ``out``'s ``-wal``/``-shm``.

    A leftover write-ahead log must never be replayed onto a different database file.
    """
    for suffix in ("-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, out)
