"""Celery tasks of the agencies app (autodiscovered through this module)."""

from agencies.agreements.tasks import *  # noqa: F403
