"""Celery tasks of the contracts app (autodiscovered through this package)."""

from .documents import *  # noqa: F403
from .imports import *  # noqa: F403
