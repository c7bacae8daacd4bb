"""``strikeboard settings``: see and change the strike's settings.

Every check lives in :mod:`strikeboard.services.settings` (the TUI will reuse it); this
module only turns a :class:`~strikeboard.services.errors.ValidationError` into exit code 1.
Each change reads, checks and writes inside one ``store.write()`` transaction: a bad
value writes nothing.

Changing the grievance steps or the holidays recomputes the stored next deadline of every
open grievance in the same transaction (the deadlines recorded on past events, and
extensions agreed in writing, stay as they are).
"""

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from strikeboard.cli.common import EXIT_OK, EXIT_USAGE, InputProblem, opened

if TYPE_CHECKING:
    from sqlmodel import Session

    from strikeboard.cli.common import Subcommands
    from strikeboard.services.settings import DeadlineRefresh, StepRule, StrikeSettings

#: How many case numbers a summary line names before "and N more".
SHOWN_CASES = 10


@contextmanager
def _checked() -> Iterator[None]:
    """A :class:`ValidationError` from the services becomes an input problem (exit code 1)."""
    from strikeboard.services.errors import ValidationError

    try:
        yield
    except ValidationError as exc:
        raise InputProblem(exc.message) from None


def _change(
    args: argparse.Namespace, change: Callable[["Session", "StrikeSettings"], "StrikeSettings"]
) -> tuple["StrikeSettings", "StrikeSettings", "DeadlineRefresh"]:
    """Apply ``change`` to the stored settings in one write transaction.

    Returns the settings before and after, and what happened to the open grievances.
    """
    from strikeboard.services.settings import load_settings, update_settings

    with opened(args) as store, _checked(), store.write() as session:
        before = load_settings(session)
        after = change(session, before)
        refresh = update_settings(session, after)
    return before, after, refresh


def _table(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Left-aligned columns, two spaces apart."""
    from rich.cells import cell_len  # terminal width of a name with emoji or CJK

    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent
        + "  ".join(
            cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def _steps_table(steps: "tuple[StepRule, ...]") -> list[str]:
    rows = [("STEP", "UNION DAYS", "EMPLOYER DAYS", "COUNTED IN")] + [
        (
            step.name,
            str(step.union_days),
            str(step.employer_days),
            "working days" if step.working_days else "calendar days",
        )
        for step in steps
    ]
    return _table(rows, indent="  ")


def _cases(numbers: tuple[str, ...]) -> str:
    shown = ", ".join(numbers[:SHOWN_CASES])
    more = len(numbers) - SHOWN_CASES
    return f"{shown} and {more} more" if more > 0 else shown


def _report_refresh(refresh: "DeadlineRefresh") -> None:
    """Say what the change did to the open grievances' deadlines."""
    if not refresh.checked:
        return
    plural = "s" if refresh.checked != 1 else ""
    if refresh.moved:
        print(
            f"Open grievances: {refresh.checked} case{plural} rechecked; "
            f"next deadline moved for {len(refresh.moved)}: {_cases(refresh.moved)}."
        )
    else:
        print(f"Open grievances: {refresh.checked} case{plural} rechecked; no next deadline moved.")
    if refresh.kept:
        print(
            f"{len(refresh.kept)} case{'s are' if len(refresh.kept) != 1 else ' is'} at a step no longer "
            f"on the list and keep{'' if len(refresh.kept) != 1 else 's'} the stored deadline "
            f"until advanced or closed: {_cases(refresh.kept)}.",
            file=sys.stderr,
        )


def cmd_settings_show(args: argparse.Namespace) -> int:
    """Print every setting (``key  value`` lines, the steps, the holidays), or JSON."""
    from strikeboard.services.settings import SIMPLE_KEYS, format_setting, load_settings, settings_as_dict

    with opened(args) as store, store.read() as session:
        settings = load_settings(session)
    if args.json:
        import json

        print(json.dumps(settings_as_dict(settings), indent=2, ensure_ascii=False))
        return EXIT_OK
    lines = _table([(key, format_setting(settings, key)) for key in SIMPLE_KEYS])
    lines += ["", "Grievance steps (strikeboard settings steps ...):"]
    lines += _steps_table(settings.grievance_steps)
    lines += ["", "Holidays (strikeboard settings holidays add|remove ...):"]
    lines += [f"  {day.isoformat()}  {day:%A}" for day in settings.holidays] or ["  none"]
    print("\n".join(lines))
    return EXIT_OK


def cmd_settings_set(args: argparse.Namespace) -> int:
    """Change one simple setting, e.g. ``time_zone America/New_York``."""
    from strikeboard.services.settings import apply_setting, format_setting

    before, after, _ = _change(args, lambda _session, settings: apply_setting(settings, args.key, args.value))
    old, new = format_setting(before, args.key), format_setting(after, args.key)
    print(f"{args.key}: {new}" + (f" (was {old})" if old != new else " (unchanged)"))
    return EXIT_OK


def cmd_settings_steps(args: argparse.Namespace) -> int:
    """Replace the grievance steps; the open cases' next deadlines are recomputed."""
    from strikeboard.services.settings import parse_steps, replace_steps

    _, after, refresh = _change(
        args, lambda _session, settings: replace_steps(settings, parse_steps(args.steps))
    )
    print(f"Grievance steps ({len(after.grievance_steps)}):")
    print("\n".join(_steps_table(after.grievance_steps)))
    _report_refresh(refresh)
    return EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def cmd_holidays_add(args: argparse.Namespace) -> int:
    """Add holidays (``YYYY-MM-DD``); the open cases' next deadlines are recomputed."""
    from strikeboard.services.settings import add_holidays

    added: list[str] = []

    def change(_session: "Session", settings: "StrikeSettings") -> "StrikeSettings":
        changed, new = add_holidays(settings, args.days)
        added.extend(day.isoformat() for day in new)
        return changed

    before, after, refresh = _change(args, change)
    if added:
        print(f"Added {', '.join(added)}: {_plural(len(after.holidays), 'holiday')} listed.")
    already = {day.isoformat() for day in before.holidays} & {text.strip() for text in args.days}
    if already:
        print(f"Already listed: {', '.join(sorted(already))}.")
    _report_refresh(refresh)
    return EXIT_OK


def cmd_holidays_remove(args: argparse.Namespace) -> int:
    """Remove holidays; each must be on the list. Open cases' next deadlines are recomputed."""
    from strikeboard.services.settings import remove_holidays

    before, after, refresh = _change(args, lambda _session, settings: remove_holidays(settings, args.days))
    removed = sorted(day.isoformat() for day in set(before.holidays) - set(after.holidays))
    print(f"Removed {', '.join(removed)}: {_plural(len(after.holidays), 'holiday')} left.")
    _report_refresh(refresh)
    return EXIT_OK


def cmd_holidays_list(args: argparse.Namespace) -> int:
    """Print the holidays, one ``YYYY-MM-DD  Weekday`` a line (nothing when there are none)."""
    from strikeboard.services.settings import load_settings

    with opened(args) as store, store.read() as session:
        holidays = load_settings(session).holidays
    for day in holidays:
        print(f"{day.isoformat()}  {day:%A}")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """The ``settings`` command group: show, set, steps, holidays."""
    group = sub.add_parser("settings", help="see and change the strike's settings")

    def usage(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
        def print_usage(_args: argparse.Namespace) -> int:
            parser.print_help(sys.stderr)
            return EXIT_USAGE

        return print_usage

    group.set_defaults(func=usage(group))
    commands = group.add_subparsers(title="settings commands", metavar="COMMAND")

    show = commands.add_parser("show", help="every setting, the grievance steps and the holidays")
    show.add_argument("--json", action="store_true", help="print JSON instead")
    show.set_defaults(func=cmd_settings_show)

    keys = (
        "strike_name (up to 120 characters), time_zone (IANA, e.g. America/Los_Angeles), "
        "filing_counts_from (incident|learned), strike_pay.weekly_hours (0-168), "
        "strike_pay.daily_minimum_hours (0-24), strike_pay.week_starts_on (monday..sunday or 0-6), "
        "strike_pay.alternative_duty_counts (yes|no)"
    )
    setting = commands.add_parser("set", help="change one setting", description=f"KEY is one of: {keys}.")
    setting.add_argument("key", metavar="KEY", help="the setting, e.g. time_zone")
    setting.add_argument("value", metavar="VALUE", help="its new value, e.g. America/New_York")
    setting.set_defaults(func=cmd_settings_set)

    steps = commands.add_parser(
        "steps",
        help="replace the grievance steps",
        description=(
            "Replace the grievance steps, in order. Each STEP is NAME:UNION_DAYS:EMPLOYER_DAYS"
            "[:working|calendar] (working days by default; days 0-365). The next deadline of every "
            "open grievance is recomputed; deadlines already recorded on past events stay."
        ),
    )
    steps.add_argument("steps", nargs="+", metavar="STEP", help='e.g. "Step 1:15:10:working"')
    steps.set_defaults(func=cmd_settings_steps)

    holidays = commands.add_parser("holidays", help="list, add or remove holidays (for working days)")
    holidays.set_defaults(func=usage(holidays))
    days = holidays.add_subparsers(title="holiday commands", metavar="COMMAND")
    add = days.add_parser("add", help="add holidays; open grievances' next deadlines are recomputed")
    add.add_argument("days", nargs="+", metavar="YYYY-MM-DD")
    add.set_defaults(func=cmd_holidays_add)
    remove = days.add_parser("remove", help="remove holidays; open grievances' next deadlines are recomputed")
    remove.add_argument("days", nargs="+", metavar="YYYY-MM-DD")
    remove.set_defaults(func=cmd_holidays_remove)
    listing = days.add_parser("list", help="the holidays, one a line")
    listing.set_defaults(func=cmd_holidays_list)
