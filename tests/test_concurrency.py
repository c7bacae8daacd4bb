"""Four processes signing people in on one file at once, with a reader and a backup running."""

from bench.concurrency import run


def test_four_writers_lose_nothing_and_never_see_a_locked_database() -> None:
    outcome = run(writers=4, per_writer=40)
    assert outcome.errors == 0
    assert outcome.committed == outcome.attempted == 160
    assert outcome.backup_ok
