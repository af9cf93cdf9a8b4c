import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")
application = get_wsgi_application()


def _ready() -> None:
    """Load what the first request would (the URL patterns, and through them every view and serializer module), then
    keep it out of the garbage collector's way (marketplace/core/collector.py)."""
    from django.urls import get_resolver

    from marketplace.core.collector import collector_tune

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    collector_tune()


_ready()
