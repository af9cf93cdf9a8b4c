"""Run code in threads for race tests, and leave nothing behind for the database flush after the test.

A thread that still holds a connection (or a lock) when a transactional test ends makes the flush's
TRUNCATE wait for it, or deadlock with it. `run_at_once` starts the threads together, joins every one,
closes each thread's own connections in the thread itself, and re-raises a thread's exception in the test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def in_thread(target: Callable[[], Any]) -> Callable[[], Any]:
    """Wrap `target` so the thread closes its own database connections however it ends."""

    def run():
        try:
            return target()
        finally:
            connections.close_all()

    return run


def run_at_once(*targets: Callable[[], Any]) -> list[Any]:
    """Run each target in its own thread, released together by a barrier; return their results in order."""
    barrier = threading.Barrier(len(targets))
    results: list[Any] = [None] * len(targets)
    errors: list[BaseException] = []

    def runner(index: int, target: Callable[[], Any]) -> Callable[[], None]:
        def run():
            try:
                barrier.wait()
                results[index] = target()
            except BaseException as exc:
                errors.append(exc)
                barrier.abort()

        return in_thread(run)

    threads = [threading.Thread(target=runner(i, target)) for i, target in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
