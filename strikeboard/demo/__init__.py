"""The demo strike: a deterministic, WGA-like strike for trying the app and for benchmarks.

:func:`generate` builds it from a seed: a dozen studio gates, three weeks of picket
shifts with "today" in the middle, a roster of members with names from many cultures
(and a few names chosen to break careless code), their availability, assignments,
sign-ins, hour credits, incidents and grievances. The same seed, size and ``today``
always give the same database, byte for byte in ``sqlite3 FILE .dump``.

:func:`copy_redated` copies such a database and moves every date so that the demo's
"today" becomes a new one: ``make run`` uses it to open a strike that is always in
progress.

The demo's "now" is ``today`` at :data:`DEMO_NOW` (11:00) in the strike's time zone:
the 06:00–10:00 shifts of that day are over, the 10:00–14:00 shifts are running (their
pickets are signed in, not yet out) and the 14:00–18:00 shifts are still ahead.

Where things are:

- :mod:`.shape`: the strike's name, time zone, today and now, days, shift slots, size.
- :mod:`.pools` and :mod:`.names`: the data drawn from (gates, studios, titles, texts; names).
- :mod:`.holidays`: US federal holidays, for deadlines and the strike's settings.
- :mod:`.state`: :class:`~.state.Demo`, the seeded random source and clock the builders share.
- :mod:`.members`, :mod:`.shifts`, :mod:`.attendance`, :mod:`.grievances`: the row builders.
- :mod:`.generator`: :func:`generate`, which runs the builders in order into a new file.
- :mod:`.redate`: :func:`copy_redated`.
- :mod:`.files`: building a file beside its destination and renaming it into place.
"""

from strikeboard.demo.generator import generate
from strikeboard.demo.holidays import demo_holidays, us_holidays
from strikeboard.demo.members import PATTERNS, VOLUNTEER_SHARE
from strikeboard.demo.names import EDGE_NAMES, NAME_GROUPS
from strikeboard.demo.pools import (
    ACCOMMODATIONS,
    ALTERNATIVE_DUTIES,
    AREA_CODES,
    AVAILABILITY_NOTES,
    CASES,
    DEPARTMENTS,
    EMAIL_DOMAINS,
    EXCEPTION_NOTES,
    EXCUSED_REASONS,
    GATES,
    INCIDENT_TEXT,
    INFORMATION_REQUESTS,
    JOB_TITLES,
    MEETINGS,
    MEMBER_NOTES,
    NICKNAMES,
    PRONOUNS,
    RELATIONS,
    SHIFT_NOTES,
    STAFF_TITLES,
    STAFF_UNIT,
    STUDIOS,
)
from strikeboard.demo.redate import _instant_sql as _instant_sql  # the tests check these three
from strikeboard.demo.redate import _move_steps as _move_steps
from strikeboard.demo.redate import _moved as _moved
from strikeboard.demo.redate import copy_redated, dated_columns
from strikeboard.demo.shape import (
    DAYS_BEFORE_TODAY,
    DEMO_NOW,
    DEMO_TODAY_KEY,
    GRIEVANCES,
    REFERENCE_MEMBERS,
    SLOTS,
    STRIKE_DAYS,
    STRIKE_NAME,
    TIME_ZONE,
)
from strikeboard.demo.state import Row

__all__ = [
    "ACCOMMODATIONS",
    "ALTERNATIVE_DUTIES",
    "AREA_CODES",
    "AVAILABILITY_NOTES",
    "CASES",
    "DAYS_BEFORE_TODAY",
    "DEMO_NOW",
    "DEMO_TODAY_KEY",
    "DEPARTMENTS",
    "EDGE_NAMES",
    "EMAIL_DOMAINS",
    "EXCEPTION_NOTES",
    "EXCUSED_REASONS",
    "GATES",
    "GRIEVANCES",
    "INCIDENT_TEXT",
    "INFORMATION_REQUESTS",
    "JOB_TITLES",
    "MEETINGS",
    "MEMBER_NOTES",
    "NAME_GROUPS",
    "NICKNAMES",
    "PATTERNS",
    "PRONOUNS",
    "REFERENCE_MEMBERS",
    "RELATIONS",
    "SHIFT_NOTES",
    "SLOTS",
    "STAFF_TITLES",
    "STAFF_UNIT",
    "STRIKE_DAYS",
    "STRIKE_NAME",
    "STUDIOS",
    "TIME_ZONE",
    "VOLUNTEER_SHARE",
    "Row",
    "copy_redated",
    "dated_columns",
    "demo_holidays",
    "generate",
    "us_holidays",
]
