"""The embedded PostgreSQL (make demo / make bench / make test without DATABASE_URL) is given sizes that suit the
machine instead of PostgreSQL's tiny defaults, and applying them to a real server works and is idempotent."""

import pytest
from django.db import connection

from marketplace.embedded import server_settings


@pytest.mark.parametrize(
    ("memory_gb", "shared", "cache"),
    [(0.25, "128MB", "512MB"), (1, "256MB", "512MB"), (8, "2048MB", "4096MB"), (64, "2048MB", "16384MB")],
)
def test_shared_buffers_are_a_quarter_of_memory_within_bounds(memory_gb, shared, cache):
    chosen = server_settings(int(memory_gb * (1 << 30)))

    assert chosen["shared_buffers"] == shared
    assert chosen["effective_cache_size"] == cache
    assert chosen["work_mem"] == "16MB"


@pytest.mark.django_db
def test_the_settings_are_sizes_postgresql_accepts():
    with connection.cursor() as cursor:
        for value in server_settings().values():
            cursor.execute("SELECT pg_size_bytes(%s)", [value])
            assert cursor.fetchone()[0] > 0
