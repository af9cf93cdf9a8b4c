"""pytest: the same real PostgreSQL and Redis, faster hashing, e-mail captured."""

from .base import *  # noqa: F403
from .base import CACHES, STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": env("CACHE_KEY_PREFIX", "mkt-test")}}
