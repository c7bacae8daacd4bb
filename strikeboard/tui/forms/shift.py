"""Planning forms of the Shifts tab: a new shift or series, editing a shift, and the cancel question.

New: gates (several make the same plan at each), first and last day (the same day for a
one-off), weekdays (``mon-fri``, ``mon wed fri``; blank = every day), time slots
(``06:00-10:00, 10:00-14:00``), minimum and maximum headcount, captain needed, roles
needed, notes. One gate, one day, one slot is a one-off shift; anything more is a series
(``create_series``). Edit: the same fields of one shift, applied to it alone or to it and
the later shifts of its series. The services check everything else; their messages
appear under the field they name and nothing is written.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, Select, SelectionList

from strikeboard.tui.format import count, short_day
from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from strikeboard.services.locations import LocationRow
    from strikeboard.services.shift_plan import Affected
    from strikeboard.tui.data import Gateway
    from strikeboard.tui.data_shifts import ShiftDetail
    from strikeboard.tui.panels.base import PanelContext

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Words for sets of weekdays.
DAY_WORDS = {
    "every": tuple(range(7)),
    "daily": tuple(range(7)),
    "all": tuple(range(7)),
    "weekdays": tuple(range(5)),
    "weekends": (5, 6),
    "weekend": (5, 6),
}

SLOT = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?$")


def parse_weekdays(text: str) -> tuple[int, ...]:
    """``"mon-fri"``, ``"mon wed fri"``, ``"weekdays"``; blank = every day (0 = Monday)."""
    words = [word for word in re.split(r"[,\s]+", text.strip().casefold()) if word and word != "day"]
    if not words:
        return tuple(range(7))
    days: set[int] = set()
    for word in words:
        if word in DAY_WORDS:
            days.update(DAY_WORDS[word])
            continue
        first, _, last = word.replace("–", "-").partition("-")
        start, end = _day(first, text), _day(last, text) if last else None
        if end is None:
            days.add(start)
        else:
            days.update((start + offset) % 7 for offset in range((end - start) % 7 + 1))
    return tuple(sorted(days))


def _day(word: str, text: str) -> int:
    for index, name in enumerate(DAY_NAMES):
        if len(word) >= 2 and name.startswith(word[:3]):
            return index
    raise FieldProblem(
        "weekdays", f"“{text.strip()}” is not a list of weekdays: write e.g. mon-fri or mon wed fri."
    )


def parse_time(text: str, field: str) -> time:
    """``"06:00"``, ``"6"``, ``"6:30"`` as a wall-clock time (raises :class:`FieldProblem`)."""
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", text.strip())
    if match is None or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise FieldProblem(field, f"“{text.strip()}” is not a time: write it as HH:MM, e.g. 06:00.")
    return time(int(match[1]), int(match[2] or 0))


def parse_slots(text: str) -> tuple[tuple[time, time], ...]:
    """``"06:00-10:00, 10-14"`` as ``((06:00, 10:00), (10:00, 14:00))``."""
    slots = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        match = SLOT.match(part)
        hours = (int(match[1]), int(match[3])) if match else (99, 99)
        minutes = (int(match[2] or 0), int(match[4] or 0)) if match else (99, 99)
        if match is None or max(hours) > 23 or max(minutes) > 59:
            raise FieldProblem("slots", f"“{part}” is not a time slot: write it as 06:00-10:00.")
        slots.append((time(hours[0], minutes[0]), time(hours[1], minutes[1])))
    if not slots:
        raise FieldProblem("slots", "Required: give at least one time slot, e.g. 06:00-10:00.")
    return tuple(slots)


def parse_count(text: str, field: str, what: str) -> int:
    """A whole number typed in ``field``."""
    try:
        return int(text.strip())
    except ValueError:
        raise FieldProblem(field, f"The {what} must be a whole number, e.g. 4.") from None


def parse_roles(text: str) -> tuple[str, ...]:
    """``"first aid, interpreter"`` as ``("first aid", "interpreter")`` (the service normalises them)."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def number_input(name: str, value: int) -> Input:
    """A box for a whole number."""
    return Input(str(value), id=f"f-{name}", type="integer", max_length=4, compact=True)


def cancel_message(affected: list[Affected], zone: ZoneInfo, what: str) -> Text:
    """The cancel question's text: who is assigned (and so affected), or that nobody is."""
    if not affected:
        return Text(f"Nobody is assigned to {what}. It stays on record as cancelled.")
    text = Text(f"{count(len(affected), 'person is', 'people are')} assigned and will be taken off:\n\n")
    for person in affected[:12]:
        local = person.starts_at.astimezone(zone)
        text.append("• ")
        text.append(person.name, "bold")
        text.append(f" — {person.location}, {short_day(local.date())} {local:%H:%M}\n")
    if len(affected) > 12:
        text.append(f"… and {len(affected) - 12} more\n")
    text.append("\nTell them the shift is off. Their assignments are kept, marked cancelled.")
    return text


class NewShiftForm(FormScreen):
    """Plan a one-off shift or a series at one or more gates; dismisses with "12 shifts planned"."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {
        "location": "location_ids",
        "day": "first_day",
        "rrule": "weekdays",
        "start": "slots",
        "end": "slots",
    }

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        today: date,
        *,
        gates: list[LocationRow],
        gate_id: uuid.UUID | None,
        day: date,
    ) -> None:
        super().__init__(gateway, actor, today, title="New shift or series")
        self.gates = gates
        self.gate_id = gate_id
        self.start_day = day

    def compose_header(self) -> ComposeResult:
        yield Label(
            "One gate, day and slot make a shift; more make a series. ctrl+s plans them.",
            classes="form-hint-top",
            markup=False,
        )

    def compose_fields(self) -> ComposeResult:
        gates: SelectionList[str] = SelectionList(
            *(
                (Text(f"{gate.name}  {gate.features}".rstrip()), str(gate.id), gate.id == self.gate_id)
                for gate in self.gates
            ),
            id="f-location_ids",
            compact=True,
        )
        yield self.field_row("location_ids", "Gates:", gates, hint="Space ticks a gate; tick several for all")
        yield self.field_row("first_day", "First day:", self.date_input("first_day", self.start_day))
        yield self.field_row(
            "last_day",
            "Last day:",
            self.date_input("last_day", self.start_day),
            hint="The first day again for a single day",
        )
        yield self.field_row(
            "weekdays",
            "Weekdays:",
            self.text_input("weekdays", placeholder="every day"),
            hint="e.g. mon-fri or mon wed fri; blank = every day",
        )
        yield self.field_row(
            "slots",
            "Time slots:",
            self.text_input("slots", "06:00-10:00"),
            hint="Comma-separated, e.g. 06:00-10:00, 10:00-14:00, 14:00-18:00",
        )
        yield self.field_row("min_headcount", "Min people:", number_input("min_headcount", 2))
        yield self.field_row("max_headcount", "Max people:", number_input("max_headcount", 8))
        yield self.field_row(
            "captain_needed", "", Checkbox("Captain needed", True, id="f-captain_needed", compact=True)
        )
        yield self.field_row(
            "roles_needed",
            "Roles needed:",
            self.text_input("roles_needed", placeholder="e.g. first aid, interpreter"),
        )
        yield self.field_row("notes", "Notes:", self.text_input("notes", max_length=500))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-location_ids", SelectionList))

    def collect(self) -> Any:
        """A ``ShiftForm`` (one gate, day and slot) or a ``SeriesForm``."""
        from strikeboard.services.shift_plan import SeriesForm, ShiftForm

        chosen: list[str] = list(self.query_one("#f-location_ids", SelectionList).selected)
        if not chosen:
            raise FieldProblem("location_ids", "Tick at least one gate (Space ticks the highlighted one).")
        gate_ids = tuple(uuid.UUID(value) for value in chosen)
        first, last = self.required_day("first_day"), self.required_day("last_day")
        weekdays = parse_weekdays(self.text("weekdays"))
        slots = parse_slots(self.text("slots"))
        low = parse_count(self.text("min_headcount"), "min_headcount", "minimum")
        high = parse_count(self.text("max_headcount"), "max_headcount", "maximum")
        captain, roles = self.checked("captain_needed"), parse_roles(self.text("roles_needed"))
        notes = self.text("notes")
        if first == last and len(gate_ids) == 1 and len(slots) == 1:
            if first.weekday() not in weekdays:
                raise FieldProblem("weekdays", f"{short_day(first)} is not one of the weekdays chosen.")
            return ShiftForm(gate_ids[0], first, *slots[0], low, high, captain, roles, notes)
        return SeriesForm(gate_ids, first, last, weekdays, slots, low, high, captain, roles, notes)

    def save(self, values: Any) -> str:
        """Plan the shifts in one transaction."""
        planned = self.gateway.plan_shifts(values, actor=self.actor)
        return f"{count(planned, 'shift')} planned"


class EditShiftForm(FormScreen):
    """Change a shift (or it and the later ones of its series); dismisses with "3 shifts changed"."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"shift": "", "location": ""}

    def __init__(
        self, gateway: Gateway, actor: str, context: PanelContext, shift_id: uuid.UUID, detail: ShiftDetail
    ) -> None:
        super().__init__(gateway, actor, context.today(), title="Edit shift")
        self.shift_id = shift_id
        self.detail = detail
        people = detail.people
        self.initial: dict[str, Any] = {
            "start": people.starts_at.astimezone(context.zone).time().replace(tzinfo=None),
            "end": people.ends_at.astimezone(context.zone).time().replace(tzinfo=None),
            "min_headcount": people.min_headcount,
            "max_headcount": people.max_headcount,
            "captain_needed": people.captain_needed,
            "roles_needed": tuple(role.replace("_", " ") for role in detail.roles_needed),
            "notes": people.notes,
        }

    def compose_header(self) -> ComposeResult:
        people = self.detail.people
        yield Label(
            f"{people.location} · only what you change is saved", classes="form-hint-top", markup=False
        )

    def compose_fields(self) -> ComposeResult:
        start = self.initial
        yield self.field_row("start", "Starts:", self.text_input("start", f"{start['start']:%H:%M}"))
        yield self.field_row(
            "end",
            "Ends:",
            self.text_input("end", f"{start['end']:%H:%M}"),
            hint="At or before the start: next day",
        )
        yield self.field_row(
            "min_headcount", "Min people:", number_input("min_headcount", start["min_headcount"])
        )
        yield self.field_row(
            "max_headcount", "Max people:", number_input("max_headcount", start["max_headcount"])
        )
        yield self.field_row(
            "captain_needed",
            "",
            Checkbox("Captain needed", start["captain_needed"], id="f-captain_needed", compact=True),
        )
        yield self.field_row(
            "roles_needed", "Roles needed:", self.text_input("roles_needed", ", ".join(start["roles_needed"]))
        )
        yield self.field_row("notes", "Notes:", self.text_input("notes", start["notes"], max_length=500))
        if self.detail.in_series:
            yield self.field_row(
                "scope",
                "Apply to:",
                Select(
                    [("this shift only", "one"), ("this and the later shifts of the series", "following")],
                    value="one",
                    allow_blank=False,
                    id="f-scope",
                    compact=True,
                ),
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-start", Input))

    def collect(self) -> Any:
        """``(changes, scope)``: only the fields that differ from the shift's."""
        from strikeboard.services.shift_plan import ShiftChanges

        values: dict[str, Any] = {
            "start": parse_time(self.text("start"), "start"),
            "end": parse_time(self.text("end"), "end"),
            "min_headcount": parse_count(self.text("min_headcount"), "min_headcount", "minimum"),
            "max_headcount": parse_count(self.text("max_headcount"), "max_headcount", "maximum"),
            "captain_needed": self.checked("captain_needed"),
            "roles_needed": parse_roles(self.text("roles_needed")),
            "notes": self.text("notes"),
        }
        changed = {name: value for name, value in values.items() if value != self.initial[name]}
        if not changed:
            raise FieldProblem("", "Nothing changed: edit a field, or Esc to leave.")
        scope = self.choice("scope") if self.detail.in_series else "one"
        return ShiftChanges(**changed), scope

    def save(self, values: Any) -> str:
        """Apply the changes in one transaction."""
        changes, scope = values
        changed = self.gateway.update_shift(self.shift_id, changes, scope=scope, actor=self.actor)
        return f"{count(changed, 'shift')} changed"
