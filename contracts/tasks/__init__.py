"""Celery tasks of the contracts app (autodiscovered through this package)."""

from contracts.catalog.tasks import *  # noqa: F403
from contracts.tasks.documents import *  # noqa: F403
