"""The export dialog: the roster's current search and filters to a CSV file, with a notice.

The file holds personal data (names, phones, emails); the dialog says so before writing.
It is written by ``export_members`` (injection-safe cells, all fields quoted, created 0600,
atomically), in the form's thread worker. The columns are ticked in a list (all at first;
Space unticks one, ctrl+t flips them all). An existing file is kept unless "overwrite" is
ticked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Checkbox, Input, SelectionList, Static

from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from strikeboard.services.roster import RosterFilter
    from strikeboard.tui.data import Gateway

NOTICE = (
    "This file will hold personal data: names, phone numbers, emails and notes. Keep it on an "
    "encrypted disk, share it only with people who need it, and delete it when done. "
    "It is created readable by you only (0600)."
)


@dataclass(frozen=True)
class ExportRequest:
    """Where to write and how."""

    path: Path
    excel: bool
    overwrite: bool
    columns: tuple[str, ...] | None  # None: every column


class ExportDialog(FormScreen):
    """Export the members under ``flt``; dismisses with "Exported 1,234 members to members.csv"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_columns", "Flip all columns", id="export.toggle_columns"),
    ]

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        today: date,
        flt: RosterFilter,
        count: int | None,
        described: str,
        *,
        path: str = "",
    ) -> None:
        super().__init__(gateway, actor, today, title="Export members to CSV")
        self.flt = flt
        self.count = count
        self.described = described
        self.initial_path = path or f"members-{today.isoformat()}.csv"
        self.columns = gateway.export_columns()

    def compose_header(self) -> ComposeResult:
        how_many = f"{self.count:,} members" if self.count is not None else "the members"
        yield Static(f"Exports {how_many}: {self.described}.", id="export-what", markup=False)
        yield Static(NOTICE, classes="form-note", id="export-notice", markup=False)

    def compose_fields(self) -> ComposeResult:
        yield self.field_row("path", "File:", self.text_input("path", self.initial_path))
        yield self.field_row(
            "columns",
            "Columns:",
            SelectionList[str](*((name, name, True) for name in self.columns), id="f-columns", compact=True),
            hint="Space ticks or unticks the highlighted column; ctrl+t flips them all.",
        )
        yield self.field_row(
            "excel", "", Checkbox("For Excel (UTF-8 with BOM, so accents show)", id="f-excel", compact=True)
        )
        yield self.field_row(
            "overwrite", "", Checkbox("Overwrite if the file exists", id="f-overwrite", compact=True)
        )

    def on_mount(self) -> None:
        self.query_one("#f-columns", SelectionList).styles.max_height = 8  # app.tcss: 4 for form lists
        self.set_focus(self.query_one("#f-path", Input))

    def collect(self) -> ExportRequest:
        """The path (required; an existing file only with "overwrite") and the options."""
        raw = self.text("path")
        if not raw:
            raise FieldProblem("path", "Required: type where to write the CSV file.")
        path = Path(raw).expanduser()
        overwrite = self.checked("overwrite")
        if path.is_dir():
            raise FieldProblem("path", f"{path} is a folder: add a file name, e.g. {path / 'members.csv'}.")
        if path.exists() and not overwrite:
            raise FieldProblem("path", f"{path} exists: choose another name or tick “Overwrite”.")
        ticked = set(self.query_one("#f-columns", SelectionList).selected)
        if not ticked:
            raise FieldProblem("columns", "Tick at least one column to export.")
        columns = tuple(name for name in self.columns if name in ticked)
        return ExportRequest(
            path, self.checked("excel"), overwrite, None if columns == self.columns else columns
        )

    def action_toggle_columns(self) -> None:
        """Tick every unticked column and untick every ticked one."""
        self.query_one("#f-columns", SelectionList).toggle_all()

    def save(self, values: Any) -> str:
        """Write the file (in the form's thread worker)."""
        request: ExportRequest = values
        written = self.gateway.export_members(
            request.path, self.flt, columns=request.columns, excel=request.excel, overwrite=request.overwrite
        )
        noun = "member" if written == 1 else "members"
        return f"Exported {written:,} {noun} to {request.path} (personal data: keep it safe)"
