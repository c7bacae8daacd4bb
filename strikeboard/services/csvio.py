"""The injection-safe CSV writer every export uses.

Rules (docs/RELIABILITY.md): every field quoted, embedded quotes doubled; a cell that
starts with ``= + - @``, tab, CR, LF or NUL gains a leading ``'`` so that a spreadsheet
shows it as text instead of running it as a formula; UTF-8 (with a BOM when
``excel=True``, so Excel detects the encoding). The file is created mode 0600 and
appears complete or not at all: rows go to a private temporary file beside the target,
which is then renamed over it (or linked, when overwriting is refused).
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

#: First characters that make a spreadsheet treat a cell as a formula (or mangle it).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")

Cell = str | int | float | bool | date | datetime | None


def safe_cell(value: Cell) -> str:
    """A cell as text: None → "", dates ISO, formula-like text prefixed with ``'``."""
    if type(value) is str:  # the common case first: an export is mostly plain text
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_csv(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    excel: bool = False,
    overwrite: bool = False,
) -> int:
    """Write ``header`` and ``rows`` to ``path``; return the number of data rows.

    Raises :class:`FileExistsError` when ``path`` exists and ``overwrite`` is false. If
    ``rows`` raises part-way, the exception propagates and no file is left behind.
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(f"{target} already exists")
    folder = target.parent if str(target.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)  # mode 0600
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            writer.writerow([safe_cell(name) for name in header])
            for row in rows:
                writer.writerow([safe_cell(value) for value in row])
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o600)
        if overwrite:
            os.replace(temp_name, target)
        else:
            try:
                os.link(temp_name, target)  # atomic, and fails if someone created it meanwhile
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links (FAT, some network shares)
                if target.exists():
                    raise FileExistsError(f"{target} already exists") from None
                os.replace(temp_name, target)
            else:
                os.unlink(temp_name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    return count
