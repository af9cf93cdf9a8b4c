"""Enqueue Celery work safely: written with the transaction, published after it commits.

Chosen over "publish in on_commit and hope": if the broker is down, the request still commits, the
failure is logged, and `outbox_sweep` (Celery beat, every 30 s) re-publishes what was not sent.
Tasks are idempotent, so a task published twice (sweep racing a slow publish) does no harm.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from functools import cache

from celery import Task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import OutboxTask

logger = logging.getLogger(__name__)


@cache
def _discover_tasks() -> None:
    """Import every installed app's `tasks` module: a web process does not do that on its own (the worker
    does when it starts). Not `import_default_modules()`: that also runs Django's system checks."""
    from marketplace.celery import app

    app.autodiscover_tasks(force=True)


def registered_task_name(task: str | Task) -> str:
    """The name to publish for `task` (a task object or its name); refuses a name no task is registered
    under, which the worker would otherwise receive, drop as unknown, and the outbox mark as sent."""
    from marketplace.celery import app

    name = task if isinstance(task, str) else task.name
    if name not in app.tasks:
        _discover_tasks()
    if name not in app.tasks:
        ours = sorted(known for known in app.tasks if not known.startswith("celery."))
        raise LookupError(f"No Celery task is registered as {name!r}. Registered tasks: {', '.join(ours)}.")
    return name


def enqueue(task: str | Task, /, *args, **kwargs) -> OutboxTask:
    """Write `task(*args, **kwargs)` to the outbox in the current transaction; publish it after commit.

    `task` is the task function (`enqueue(email_send, pk)`) or its registered name (`"core.email_send"`).
    """
    row = OutboxTask.objects.create(task_name=registered_task_name(task), args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: outbox_publish(row_id=row.pk))
    return row


@cache
def _broker_pool(url: str):
    """Broker connections kept open per URL (a new one per publish cost more than the rest of a webhook request)."""
    from marketplace.celery import app

    return app.connection_for_write(url=url).Pool(limit=32)


os.register_at_fork(after_in_child=_broker_pool.cache_clear)  # a forked child opens its own


def _send(row: OutboxTask) -> None:
    from marketplace.celery import app

    with _broker_pool(settings.CELERY_BROKER_URL).acquire(block=True, timeout=5) as connection:
        try:
            app.send_task(row.task_name, args=row.args, kwargs=row.kwargs, connection=connection, retry=False)
        except Exception:
            connection.collect()  # not reused as it is: the next publish reconnects
            raise


def outbox_publish(*, row_id: int) -> bool:
    """Publish one outbox row. Returns False (and keeps the row) when the broker cannot be reached."""
    row = OutboxTask.objects.filter(pk=row_id, sent_at__isnull=True).first()
    if row is None:
        return True
    try:
        _send(row)
    except Exception as exc:  # broker down, DNS, timeouts: keep the row for the sweep
        logger.error("Broker unavailable; task %s kept in outbox (row %s): %s", row.task_name, row.pk, exc)
        OutboxTask.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, last_error=str(exc)[:2000])
        return False
    OutboxTask.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=row.attempts + 1, last_error="")
    return True


def outbox_sweep(*, older_than_seconds: int = 10, limit: int = 500) -> int:
    """Re-publish rows that were not sent; forget sent rows after a week. Returns how many were sent."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    ids = list(
        OutboxTask.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for row_id in ids:
        if outbox_publish(row_id=row_id):
            sent += 1
        else:
            break  # broker still down; try again next sweep
    OutboxTask.objects.filter(sent_at__lt=timezone.now() - timedelta(days=7)).delete()
    return sent


def outbox_backlog() -> int:
    return OutboxTask.objects.filter(sent_at__isnull=True).count()
