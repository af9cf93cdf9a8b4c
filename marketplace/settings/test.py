"""pytest: the same real PostgreSQL and Redis, faster hashing, e-mail captured."""

import os

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# One key prefix per pytest-xdist worker, so tests can clear their own rate-limit counters.
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": f"mkt-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"}}
# Browser tests drive a live server from the test thread (Playwright's sync API runs an event loop).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Serve static files straight from the finders (node_modules USWDS, app static) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most tests sign in admins and approvers without an authenticator; the MFA policy's tests turn this on.
MFA_ENFORCED = False

# A second real database acting as the read replica (tests/search/test_replica_router.py). pytest-django creates
# and migrates it (test_<name>_replica) for the tests that ask for it; routing stays off unless a test turns it on.
# Outside tests the alias names the primary's database (management commands run with these settings connect to it).
DATABASES["replica"] = {
    **DATABASES["default"],
    "ATOMIC_REQUESTS": False,
    "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}_replica"},
}
READ_REPLICA = False
