"""The import wizard: a CSV path → a preview of what would change → Apply or Cancel.

Step one reads and checks every row without writing (``preview_import`` in a thread
worker) and shows the header mapping (unmapped columns listed), the counts of new,
updated, unchanged and rejected rows, each rejected row with its line and reason, and the
duplicates within the file. Step two (ctrl+s / Apply) imports all or nothing in one
transaction. A file problem (encoding, delimiter, a missing required column) is one
sentence under the path, never a traceback. Changing the path or encoding goes back to
step one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from strikeboard.services.member_import import ImportPreview
    from strikeboard.tui.data import Gateway

#: Rejected rows listed in the preview at most (the rest are in ``*.rejected.csv``).
REJECTED_SHOWN = 20


@dataclass(frozen=True)
class ImportRequest:
    """The file to import and its encoding (``None``: detected)."""

    path: Path
    encoding: str | None
    apply: bool
    skip_rejected: bool = False  # apply the valid rows of a preview that had rejected ones


def preview_text(preview: ImportPreview, *, applied: bool = False) -> Text:
    """The preview as plain text (file values shown literally)."""
    text = Text()
    verb = "Imported" if applied else "Would import"
    text.append(f"{verb}: ", style="bold")
    text.append(
        f"{preview.new:,} new · {preview.updated:,} updated · {preview.unchanged:,} unchanged · "
        f"{len(preview.rejected):,} rejected"
    )
    text.append(f"\nFile: {preview.encoding}, {preview.delimiter_name}-separated", style="dim")
    mapped = [m for m in preview.mapping if m.field]
    unmapped = list(preview.unmapped)
    text.append("\n\nColumns: ", style="bold")
    text.append(", ".join(f"{m.header} → {m.field}" for m in mapped) or "none mapped")
    if unmapped:
        text.append("\nNot imported: ", style="bold")
        text.append(", ".join(unmapped))
    if preview.duplicates_in_file:
        text.append("\n\nDuplicates in the file:", style="bold")
        for sentence in preview.duplicates_in_file[:REJECTED_SHOWN]:
            text.append(f"\n  {sentence}")
    if preview.rejected:
        text.append("\n\nRejected rows:", style="bold")
        for row in preview.rejected[:REJECTED_SHOWN]:
            text.append(f"\n  line {row.line}: ")
            text.append(row.reason)
        if len(preview.rejected) > REJECTED_SHOWN:
            text.append(f"\n  … {len(preview.rejected) - REJECTED_SHOWN:,} more")
        if applied:
            where = (
                preview.rejected_file.name if preview.rejected_file else f"{preview.path.stem}.rejected.csv"
            )
            text.append(f"\n  (all listed in {where} beside the file)", "dim")
        else:
            text.append("\n  Apply imports the other rows and skips these; they are listed in", "dim")
            text.append(f" {preview.path.stem}.rejected.csv beside the file for fixing.", "dim")
    return text


class ImportWizard(FormScreen):
    """Import members from a CSV; dismisses with "Imported 12 new, 3 updated from members.csv"."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"file": "path", "encoding": "encoding"}

    def __init__(self, gateway: Gateway, actor: str, today: date, *, path: str = "") -> None:
        super().__init__(gateway, actor, today, title="Import members from CSV")
        self.initial_path = path
        self.preview: ImportPreview | None = None
        self._previewed: tuple[Path, str | None] | None = None  # what the preview was made of
        self._pending: ImportPreview | None = None  # set by the preview worker

    def compose_header(self) -> ComposeResult:
        yield Static(
            "Step 1: type the file's path and press ctrl+s to preview (nothing is written).\n"
            "Step 2: check it, then Apply (ctrl+s: one transaction) or Esc to cancel.",
            id="import-steps",
            markup=False,
        )

    def compose_fields(self) -> ComposeResult:
        yield self.field_row(
            "path", "CSV file:", self.text_input("path", self.initial_path, placeholder="~/members.csv")
        )
        yield self.field_row(
            "encoding",
            "Encoding:",
            self.text_input("encoding", placeholder="detected (UTF-8/UTF-16); e.g. cp1252, latin-1"),
        )
        yield Static("", id="import-preview", markup=False)

    def on_mount(self) -> None:
        self.query_one("#import-preview").display = False
        self.set_focus(self.query_one("#f-path", Input))
        self._label_save("Preview (ctrl+s)")

    def _label_save(self, label: str) -> None:
        self.query_one("#form-save", Button).label = label

    def collect(self) -> ImportRequest:
        """The path (required, must be a file) and encoding; previewed first, applied second."""
        raw = self.text("path")
        if not raw:
            raise FieldProblem("path", "Required: type the path of the CSV file.")
        path = Path(raw).expanduser()
        if not path.is_file():
            raise FieldProblem("path", f"No such file: {path}.")
        encoding = self.text("encoding") or None
        apply = self.preview is not None and self._previewed == (path, encoding)
        skip = bool(apply and self.preview is not None and self.preview.rejected)
        return ImportRequest(path, encoding, apply, skip)

    def save(self, values: Any) -> str:
        """Preview (step 1) or apply (step 2) in the form's thread worker."""
        request: ImportRequest = values
        if not request.apply:
            self._pending = self.gateway.preview_import(request.path, request.encoding)
            return ""
        result = self.gateway.apply_import(
            request.path, request.encoding, actor=self.actor, skip_rejected=request.skip_rejected
        )
        if not result.applied:
            raise FieldProblem(
                "", "Nothing was imported: the file changed since the preview. Preview it again."
            )
        where = result.rejected_file.name if result.rejected_file else f"{result.path.stem}.rejected.csv"
        rejected = f", {len(result.rejected):,} rejected (see {where})" if result.rejected else ""
        return (
            f"Imported {result.new:,} new, {result.updated:,} updated, {result.unchanged:,} unchanged"
            f"{rejected} from {result.path.name}"
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A preview stays open to be checked; an apply closes with its summary."""
        if event.worker.group == "form" and event.state is WorkerState.SUCCESS and not event.worker.result:
            event.stop()
            event.prevent_default()  # not FormScreen's handler: that would close the wizard
            self.saving = False
            preview = self._pending
            if preview is None:
                return
            self.preview = preview
            self._previewed = (Path(self.text("path")).expanduser(), self.text("encoding") or None)
            shown = self.query_one("#import-preview", Static)
            shown.update(preview_text(preview))
            shown.display = True
            rejected = len(preview.rejected)
            self._label_save(f"Apply, skip {rejected:,} rejected (ctrl+s)" if rejected else "Apply (ctrl+s)")
            self.query_one("#form-save", Button).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        """A new path or encoding: back to step 1."""
        if self.preview is not None and event.input.id in ("f-path", "f-encoding"):
            self.preview = None
            self._previewed = None
            self.query_one("#import-preview").display = False
            self._label_save("Preview (ctrl+s)")

    def preview_shown(self) -> str:
        """The preview as shown (for tests)."""
        return str(self.query_one("#import-preview", Static).render())
