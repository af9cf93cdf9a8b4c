"""Production settings refuse to start without their secrets, naming the missing variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FULL = {
    "SECRET_KEY": "x" * 60,
    "DATABASE_URL": "postgresql://u@127.0.0.1:5432/db",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "marketplace.example",
    "STRIPE_SECRET_KEY": "sk_test_x",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
}


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in FULL}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="marketplace.settings.production")
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_production_starts_with_every_secret():
    result = _start(FULL)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("missing", sorted(FULL))
def test_production_refuses_to_start_without(missing):
    result = _start({k: v for k, v in FULL.items() if k != missing})

    assert result.returncode != 0
    assert f"Missing required environment variable {missing}" in result.stderr


def test_production_security_headers_are_on():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT,"
        " s.DATABASES['default']['ATOMIC_REQUESTS'])"
    )
    env = {**os.environ, **FULL, "DJANGO_SETTINGS_MODULE": "marketplace.settings.production"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert result.stdout.split() == ["True", "True", "True", "True", "True"], result.stderr
