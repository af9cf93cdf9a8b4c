"""Celery tasks of the suppliers app (autodiscovered through this module)."""

from suppliers.vetting.tasks import *  # noqa: F403
