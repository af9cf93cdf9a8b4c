"""Read replicas: which reads may go to `DATABASE_REPLICA_URL`, and the router that sends them there.

Only reads that tolerate a replica's lag of a second or two opt in, with `replica_reads()`: buyer catalog search,
item pages and reports. Everything else, every write, and every read inside a request that writes, stays on the
primary (`default`), so a user always reads what they just wrote. Without a replica configured, or with
`READ_REPLICA = False`, `replica_reads()` changes nothing. Raw SQL that should follow the same rule takes its
connection from `read_connection()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_enabled() -> bool:
    return bool(getattr(settings, "READ_REPLICA", False)) and REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[str]:
    """Within the block, ORM reads and `read_connection()` use the replica (when one is enabled)."""
    token = _replica_reads.set(True)
    try:
        yield read_alias()
    finally:
        _replica_reads.reset(token)


def read_alias() -> str:
    return REPLICA if _replica_reads.get() and replica_enabled() else DEFAULT_DB_ALIAS


def read_connection():
    return connections[read_alias()]


class ReplicaRouter:
    """Reads inside `replica_reads()` go to the replica; all writes go to the primary."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None  # a physical replica gets its schema by replication; a test copy by migrating it
