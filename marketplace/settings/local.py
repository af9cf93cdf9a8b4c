"""Local development (`make demo`): debug on, console e-mail, plain static storage."""

from .base import *  # noqa: F403
from .base import STORAGES, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Serve static files straight from the finders (node_modules USWDS, app static) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
