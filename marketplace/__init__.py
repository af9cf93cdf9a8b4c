"""Co-op Marketplace project package: settings, URLs, Celery app and the shared kernel (`core`)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
