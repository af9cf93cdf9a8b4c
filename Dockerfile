# One image for every process of Co-op Marketplace: web (gunicorn, the default command), Celery worker and
# Celery beat. docker-compose.yml builds it once and runs it three times.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=marketplace.settings.production

# WeasyPrint renders PDFs with Pango/HarfBuzz and needs at least one font; node/npm install USWDS, which is
# collected as static files below. Debian 12's node is 18 while @uswds/uswds declares node >= 20: npm only
# warns (engine-strict is off), and nothing is built with node; only USWDS's prebuilt dist/ files are used.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY . .

# collectstatic loads the production settings, which refuse to start without their secrets. These are
# placeholders for this one RUN line only: they are not ENV, so they end up neither in the image's
# configuration nor in any container. Nothing here connects to a database or Redis.
RUN SECRET_KEY=build-only-placeholder-not-a-secret-0123456789abcdefghijklmnop \
    DATABASE_URL=postgresql://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    STRIPE_SECRET_KEY=sk_test_build_placeholder \
    STRIPE_PUBLISHABLE_KEY=pk_test_build_placeholder \
    STRIPE_WEBHOOK_SECRET=whsec_build_placeholder \
    python manage.py collectstatic --noinput

# Run as an unprivileged user. Uploaded media go to MEDIA_ROOT (default /app/.data/media): mount a volume
# there.
RUN groupadd --system app \
 && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
 && mkdir -p /app/.data/media \
 && chown -R app:app /app/.data
USER app

EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-", "--no-control-socket"]
