"""The "file a grievance" form: dates, employer, articles, summary, steward and grievants.

Grievants are found by typing a name or member number: matches are searched in SQL (in a
thread worker, debounced) and picked with Enter; the picked ones are listed below and
removed with Delete. A class/union grievance needs no grievant.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Checkbox, Input, OptionList, Select
from textual.widgets.option_list import Option

from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from strikeboard.services.roster import MemberPage
    from strikeboard.tui.data import Gateway

#: Wait this long after the last keystroke before searching members (seconds).
DEBOUNCE_SECONDS = 0.15

#: Matches listed at most.
MATCHES = 6


@dataclass(frozen=True)
class NewGrievance:
    """What the form collected: the keyword arguments of the service's ``GrievanceInput``."""

    incident_date: date
    summary: str
    employer: str
    unit: str
    articles: str
    learned_date: date | None
    remedy: str
    steward_id: uuid.UUID | None
    grievant_ids: tuple[uuid.UUID, ...]
    is_class: bool
    is_discipline: bool


class FileGrievanceForm(FormScreen):
    """File a new grievance; dismisses with "G-2026-0042 filed" once it is in the database."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FormScreen.BINDINGS,
        Binding("delete", "remove_grievant", "Remove grievant", show=False, id="form.remove_grievant"),
    ]

    FIELD_ALIASES: ClassVar[dict[str, str]] = {
        "grievant_ids": "grievants",
        "steward_id": "steward",
        "is_class": "grievants",
    }

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        today: date,
        stewards: list[tuple[uuid.UUID, str]],
        *,
        title: str = "File a grievance",
        initial: NewGrievance | None = None,
        grievant_names: dict[uuid.UUID, str] | None = None,
    ) -> None:
        super().__init__(gateway, actor, today, title=title)
        self.stewards = stewards
        self.initial = initial
        self.picked: dict[uuid.UUID, str] = dict(grievant_names or {})
        self._debounce: Timer | None = None
        self._query = ""

    def compose_fields(self) -> ComposeResult:
        start = self.initial
        yield self.field_row(
            "incident_date",
            "Incident date:",
            self.date_input("incident_date", start.incident_date if start else None),
        )
        yield self.field_row(
            "learned_date",
            "Union learned:",
            self.date_input("learned_date", start.learned_date if start else None, optional=True),
            hint="When the union learned of it, if later (YYYY-MM-DD)",
        )
        yield self.field_row(
            "employer",
            "Employer:",
            self.text_input("employer", start.employer if start else "", max_length=120),
        )
        yield self.field_row(
            "unit", "Unit:", self.text_input("unit", start.unit if start else "", max_length=120)
        )
        yield self.field_row(
            "articles",
            "Article(s):",
            self.text_input(
                "articles", start.articles if start else "", placeholder="e.g. 12.3, 14", max_length=200
            ),
        )
        yield self.field_row(
            "summary",
            "Summary:",
            self.text_input("summary", start.summary if start else "", placeholder="What happened"),
        )
        yield self.field_row(
            "remedy", "Remedy sought:", self.text_input("remedy", start.remedy if start else "")
        )
        steward = start.steward_id if start else None
        yield self.field_row(
            "steward",
            "Steward:",
            Select(
                [(Text(name), sid) for sid, name in self.stewards],
                prompt="(none assigned)",
                value=steward if steward in {sid for sid, _ in self.stewards} else Select.NULL,
                id="f-steward",
                compact=True,
            ),
        )
        yield self.field_row(
            "grievant_search",
            "Find grievant:",
            self.text_input("grievant_search", placeholder="name or member number, Enter picks"),
        )
        yield OptionList(id="grievant-matches", compact=True)
        yield self.field_row(
            "grievants",
            "Grievants:",
            OptionList(id="f-grievants", compact=True),
            hint="Delete removes the highlighted grievant",
        )
        yield self.field_row(
            "is_class",
            "",
            Checkbox(
                "Class / union grievance", bool(start and start.is_class), id="f-is_class", compact=True
            ),
        )
        yield self.field_row(
            "is_discipline",
            "",
            Checkbox(
                "Discipline / discharge",
                bool(start and start.is_discipline),
                id="f-is_discipline",
                compact=True,
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#grievant-matches", OptionList).display = False
        self._show_picked()
        self.set_focus(self.query_one("#f-incident_date", Input))

    # -- grievants -------------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "f-grievant_search":
            return
        self._query = event.value.strip()
        if self._debounce is not None:
            self._debounce.stop()
        if not self._query:
            self._show_matches(None)
            return
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, lambda: self._find(self._query))

    @work(thread=True, exclusive=True, exit_on_error=False, group="members")
    def _find(self, query: str) -> None:
        page = self.gateway.roster(query, MATCHES)
        self.app.call_from_thread(self._found, page)

    def _found(self, page: MemberPage) -> None:
        if page.query != self._query:
            return  # typed on since
        self._show_matches(page)

    def _show_matches(self, page: MemberPage | None) -> None:
        matches = self.query_one("#grievant-matches", OptionList)
        matches.clear_options()
        if page is None:
            matches.display = False
            return
        if not page.rows:
            matches.add_option(Option(Text(f"No member matches “{page.query}”", style="dim"), disabled=True))
        for member in page.rows:
            label = Text(member.roster_name)
            label.append(f"  {member.member_number}", style="dim")
            if member.unit:
                label.append(f"  {member.unit}", style="dim")
            matches.add_option(Option(label, id=f"{member.id}|{member.name}"))
        if page.truncated:
            matches.add_option(
                Option(Text(f"… {page.matching - len(page.rows)} more: type more", "dim"), disabled=True)
            )
        matches.display = True
        matches.highlighted = 0 if page.rows else None

    @on(Input.Submitted)
    def _search_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box picks the highlighted (first) match."""
        if event.input.id != "f-grievant_search":
            return
        event.stop()
        matches = self.query_one("#grievant-matches", OptionList)
        if matches.display and matches.highlighted is not None:
            option = matches.get_option_at_index(matches.highlighted)
            if not option.disabled and option.id:
                self._pick(option.id)

    @on(OptionList.OptionSelected, "#grievant-matches")
    def _match_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._pick(event.option.id)
        self.set_focus(self.query_one("#f-grievant_search", Input))

    def _pick(self, option_id: str) -> None:
        member_id, _, name = option_id.partition("|")
        self.picked[uuid.UUID(member_id)] = name
        search = self.query_one("#f-grievant_search", Input)
        search.value = ""
        self._show_matches(None)
        self._show_picked()
        self._clear_error("grievants")

    def action_remove_grievant(self) -> None:
        """Remove the grievant highlighted in the list of grievants."""
        picked = self.query_one("#f-grievants", OptionList)
        if self.focused is not picked or picked.highlighted is None:
            return
        option = picked.get_option_at_index(picked.highlighted)
        if option.id:
            self.picked.pop(uuid.UUID(option.id), None)
            self._show_picked()

    def _show_picked(self) -> None:
        picked = self.query_one("#f-grievants", OptionList)
        picked.clear_options()
        if not self.picked:
            picked.add_option(Option(Text("(none yet: find a member above)", style="dim"), disabled=True))
        for member_id, name in self.picked.items():
            picked.add_option(Option(Text(name), id=str(member_id)))

    def _clear_error(self, name: str) -> None:
        label = self.query_one(f"#error-{name}")
        label.remove_class("-shown")
        self.query_one(f"#row-{name}").remove_class("-invalid")

    # -- saving ----------------------------------------------------------------------------

    def collect(self) -> NewGrievance:
        """The case as typed; date syntax, required fields and grievants checked here."""
        incident = self.required_day("incident_date")
        learned = self.day("learned_date", optional=True)
        summary = self.text("summary")
        if not summary:
            raise FieldProblem("summary", "Required: say in a sentence what happened.")
        is_class = self.checked("is_class")
        if not self.picked and not is_class:
            raise FieldProblem("grievants", "Name at least one grievant, or tick “Class / union grievance”.")
        return NewGrievance(
            incident_date=incident,
            summary=summary,
            employer=self.text("employer"),
            unit=self.text("unit"),
            articles=self.text("articles"),
            learned_date=learned,
            remedy=self.text("remedy"),
            steward_id=self.choice("steward"),
            grievant_ids=tuple(self.picked),
            is_class=is_class,
            is_discipline=self.checked("is_discipline"),
        )

    def save(self, values: Any) -> str:
        """File the case; the summary names its new number."""
        number = self.gateway.file_grievance(values, actor=self.actor, today=self.today)
        return f"{number} filed"
