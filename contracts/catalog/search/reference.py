"""What every search reads besides the items, kept per worker process until it changes.

A search needs the contracts the agency may buy on (`search_scope`: co-op memberships, availability, suppliers'
vetting — a few joins, ~2.5 ms of ORM and SQL on every request) and the category tree. Both change a few times a
day. The database keeps a version of them: one row that triggers on every table they are read from set to a new
sequence number inside the changing transaction (contracts' and agencies' migrations 0009), so a new version is
visible exactly when the change is, whoever made it (a service, the admin, a bulk update). A request reads that
row, one statement, and reuses what this process built for the same version; a version it has not seen yet drops
everything built for older ones.

Only reads that may show what the database showed a moment ago use this: the buyer catalog's search. Item pages,
carts and checkout build their scope afresh (`agencies.selectors.catalog_scope`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 10_000  # agencies × days; a worker holding more starts again

_VERSION_SQL = "SELECT version FROM search_reference WHERE id = 1"


class _Kept:
    def __init__(self) -> None:
        self.version: int | None = None
        self.entries: dict[tuple[str, Hashable], Any] = {}


_kept = _Kept()


def reference_version(connection) -> int | None:
    """The version `connection` sees now (None if the row is missing: nothing is then kept)."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def reference_cached(kind: str, key: Hashable, build: Callable[[], T], *, version: int | None) -> T:
    """What `build()` returns for (`kind`, `key`), built once per `version` in this process."""
    if version is None:
        return build()
    if version != _kept.version:
        _kept.version, _kept.entries = version, {}
    try:
        return _kept.entries[(kind, key)]
    except KeyError:
        pass
    value = build()
    if len(_kept.entries) >= MAX_ENTRIES:
        _kept.entries = {}
    _kept.entries[(kind, key)] = value
    return value
