"""Production: no defaults for secrets; the process refuses to start and names what is missing."""

import dj_database_url

from .base import *  # noqa: F403
from .base import CACHES, DATABASE_REPLICA_URL, env, env_bool, require

DEBUG = False
SECRET_KEY = require("SECRET_KEY")
DATABASE_URL = require("DATABASE_URL")
REDIS_URL = require("REDIS_URL")
ALLOWED_HOSTS = [h.strip() for h in require("ALLOWED_HOSTS").split(",") if h.strip()]
STRIPE_SECRET_KEY = require("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = require("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = require("STRIPE_WEBHOOK_SECRET")

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASE_REPLICA_URL:  # reads that tolerate a little lag (marketplace/core/db.py)
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
CACHES = {"default": {**CACHES["default"], "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
