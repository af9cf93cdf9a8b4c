"""The garbage collector in long-running processes (WSGI and Celery workers, the benchmarks playing them).

What a worker imports at start-up (Django, the URL patterns, models, DRF, WeasyPrint) lives as long as the process
and never becomes garbage, yet every full collection walks all of it: at a million items a gen-2 collection paused
a search request for about 100 ms, once or twice in every few hundred requests, and those pauses were the slowest
requests the search benchmark saw. Freezing the objects that exist once the worker is ready takes them out of every
later collection (pauses of 5–10 ms); a higher first threshold runs the young collections less often. A request's
own garbage is still collected as before. See Python's `gc.freeze` documentation."""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # allocations between young collections (Python's default is 700)


def collector_tune() -> int:
    """Collect once, freeze what is left, raise the young threshold. Returns the number of objects frozen."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    return gc.get_freeze_count()


def worker_ready() -> int:
    """What a long-running process does once it is up (marketplace/wsgi.py; Celery's `worker_init`, before the pool
    forks): load what the first request or task would — the URL patterns, through them every view and serializer
    module, and the map `reverse()` reads (a catalog import's notification links cost its first run a second) —
    then tune the collector. Returns the number of objects frozen."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - imports every view module and builds the reverse map
    return collector_tune()
