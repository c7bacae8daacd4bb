"""Export members (the roster's filter and search, chosen columns) through the injection-safe writer.

Every cell goes through :func:`strikeboard.services.csvio.write_csv` (all fields quoted,
formula-like cells prefixed with ``'``, file 0600 and atomic). The export is the
importer's format: phones as E.164, lists comma-separated, so export → import changes
nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import String, type_coerce
from sqlmodel import Session

from strikeboard.services.access import require_full_access
from strikeboard.services.csvio import write_csv
from strikeboard.services.errors import ValidationError
from strikeboard.services.roster import MEMBER_FIELDS, RosterFilter, _ordered, resolve_pay
from strikeboard.store.models import Member

#: Columns an export can hold, in their default order (the importer's field names).
EXPORT_COLUMNS: tuple[str, ...] = MEMBER_FIELDS

#: What the user is told whenever an export is written.
PERSONAL_DATA_NOTICE = (
    "This file holds members' personal data (names, phones, emails): keep it private, "
    "do not upload or forward it, and delete it when done."
)

_LIST_COLUMNS = frozenset(("languages", "skills"))
#: A cell that is already a run of quotes before a formula character: csvio only escapes the bare
#: case, so one more quote is added here and the importer removes exactly one (round trip).
_QUOTED_FORMULA = re.compile(r"^'+[=+\-@\t\r\n\0]")


def export_columns(columns: Sequence[str] | None) -> tuple[str, ...]:
    """The chosen columns, checked (all of them when none are chosen)."""
    if not columns:
        return EXPORT_COLUMNS
    chosen = tuple(c.strip() for c in columns if c.strip())
    unknown = [c for c in chosen if c not in EXPORT_COLUMNS]
    if unknown:
        raise ValidationError(
            "columns", f"Unknown column {unknown[0]!r}: choose from {', '.join(EXPORT_COLUMNS)}."
        )
    if len(set(chosen)) != len(chosen):
        raise ValidationError("columns", "A column is named twice.")
    return chosen or EXPORT_COLUMNS


def _list_cell(raw: str | list[str] | None) -> str:
    """A JSON list column as the importer's comma-separated cell (SQLite returns the JSON
    text, PostgreSQL the decoded list)."""
    if not raw or raw == "[]":
        return ""
    return ", ".join(json.loads(raw) if isinstance(raw, str) else raw)


def _quoted_cell(value: str) -> str:
    return "'" + value if value and value[0] == "'" and _QUOTED_FORMULA.match(value) else value


def export_members(
    session: Session,
    out: Path,
    flt: RosterFilter,
    *,
    columns: Sequence[str] | None = None,
    excel: bool = False,
    overwrite: bool = False,
) -> int:
    """Write the members matching ``flt`` (in its order) to ``out``; return the row count.

    Raises :class:`FileExistsError` when ``out`` exists and ``overwrite`` is false. Rows
    are streamed from a Core query (no ORM objects); list columns are read as JSON text.
    """
    require_full_access(session, "exporting members")
    chosen = export_columns(columns)
    if flt.sort in ("hours_week", "last_picket"):
        flt = replace(flt, sort="name", descending=False)  # export in name order
    flt = resolve_pay(session, flt)
    selected = [
        type_coerce(getattr(Member, name), String) if name in _LIST_COLUMNS else getattr(Member, name)
        for name in chosen
    ]
    statement = _ordered(flt, selected, week_start=None, zone=None)
    lists = [i for i, name in enumerate(chosen) if name in _LIST_COLUMNS]
    texts = [i for i, name in enumerate(chosen) if name not in _LIST_COLUMNS]

    def rows() -> Iterator[list[Any]]:
        result = session.connection().execution_options(yield_per=5000).execute(statement)
        for row in result:
            cells = list(row)
            for index in lists:
                cells[index] = _list_cell(cells[index])
            joined = "\x1f".join(cells)  # one C-level scan finds the rare cell starting with a quote
            if joined[:1] == "'" or "\x1f'" in joined:
                for index in texts:
                    cells[index] = _quoted_cell(cells[index])
            yield cells

    return write_csv(Path(out), chosen, rows(), excel=excel, overwrite=overwrite)
