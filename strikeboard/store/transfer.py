"""Copying a whole strike from one database to another (a laptop file to a shared server).

Every table is copied in dependency order, in batches, inside one write transaction on the
target: a failure part-way leaves the target as empty as it was. Rows keep their UUIDs,
instants and the audit trail's hash chain, so nothing is renumbered or re-audited.
"""

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlmodel import SQLModel

from strikeboard.store.db import Store
from strikeboard.store.probe import StoreError

#: Rows per INSERT batch (bounded memory at any size).
BATCH = 5000


@dataclass(frozen=True)
class Copied:
    """How many rows of one table were copied."""

    table: str
    rows: int


def copy_database(source: Store, target: Store) -> list[Copied]:
    """Copy every row of ``source`` into ``target``, which must be empty; return the counts."""
    tables = SQLModel.metadata.sorted_tables
    with target.write() as out:
        for table in tables:
            if out.execute(select(func.count()).select_from(table)).scalar():
                raise StoreError(
                    f"{target.location} already holds data (table {table.name}): copy into an empty database."
                )
        copied = []
        with source.read() as inp:
            for table in tables:
                rows = 0
                result = inp.execute(select(table)).mappings()
                while batch := result.fetchmany(BATCH):
                    out.execute(insert(table), [dict(row) for row in batch])
                    rows += len(batch)
                copied.append(Copied(table.name, rows))
    return copied
