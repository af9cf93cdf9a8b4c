# Two commands: `make demo` runs the marketplace, `make test` runs every check.
# Both set themselves up (virtualenv, Python and npm packages, system packages where unavoidable).
# Without DATABASE_URL / REDIS_URL they start embedded PostgreSQL and Redis and stop them afterwards.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EMBEDDED := $(BIN)/python -m marketplace.embedded
export PATH := $(CURDIR)/$(BIN):$(PATH)
export XDG_RUNTIME_DIR ?= /tmp/runtime-$(shell id -u)

# `PORT=8100 make demo` serves the demo on another port (links in e-mails follow it).
PORT ?= 8000

.PHONY: demo test setup system-deps lint checks pytest bench lock clean

$(VENV)/.installed: requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@scripts/system-deps.sh

setup: $(VENV)/.installed node_modules/.installed
	@mkdir -p .data && mkdir -p -m 700 $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)

demo: setup system-deps
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} DJANGO_SETTINGS_MODULE=marketplace.settings.local $(EMBEDDED) up \
	  --before "python manage.py migrate --noinput" \
	  --before "python manage.py seed_demo" \
	  --banner http://127.0.0.1:$(PORT)/ \
	  -- "gunicorn marketplace.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --no-control-socket" \
	     "celery -A marketplace worker --loglevel INFO --concurrency 2" \
	     "celery -A marketplace beat --loglevel INFO --schedule .data/celerybeat-schedule"

test: setup system-deps lint
	$(EMBEDDED) run -- $(MAKE) --no-print-directory checks pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

checks:
	DJANGO_SETTINGS_MODULE=marketplace.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=marketplace.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	DJANGO_SETTINGS_MODULE=marketplace.settings.production SECRET_KEY=ci-dummy-secret-key-that-is-long-enough-0123456789abcdef \
	  ALLOWED_HOSTS=marketplace.example STRIPE_SECRET_KEY=sk_test_dummy STRIPE_PUBLISHABLE_KEY=pk_test_dummy \
	  STRIPE_WEBHOOK_SECRET=whsec_dummy $(BIN)/python manage.py check --deploy --fail-level WARNING

pytest:
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

bench: setup
	DJANGO_SETTINGS_MODULE=marketplace.settings.local $(EMBEDDED) run \
	  --before "python manage.py migrate --noinput" \
	  -- $(BIN)/python bench/run_all.py

lock:
	$(BIN)/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/dev.txt requirements/dev.in

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
