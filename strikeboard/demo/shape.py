"""The shape of the demo strike: its name and time zone, its "today" and "now", its days and slots."""

from datetime import time

TIME_ZONE = "America/Los_Angeles"
STRIKE_NAME = "WGA Strike (demo)"
#: Setting key holding the demo's "today" (ISO date), read back by :func:`copy_redated`.
DEMO_TODAY_KEY = "demo_today"
#: The demo's "now": ``today`` at this local time in :data:`TIME_ZONE`.
DEMO_NOW = time(11, 0)
#: The strike started this many days before ``today`` and runs :data:`STRIKE_DAYS` days.
DAYS_BEFORE_TODAY = 10
STRIKE_DAYS = 21
#: Local start and end hours of each day's shifts at every gate.
SLOTS: tuple[tuple[int, int], ...] = ((6, 10), (10, 14), (14, 18))
#: The size the gates' headcounts are drawn for; other sizes scale them.
REFERENCE_MEMBERS = 11_500
GRIEVANCES = 150
