"""Co-op Marketplace project package: settings, URLs, Celery app (`marketplace.celery`) and the kernel (`core`).

The Celery app is deliberately not imported here: importing this package (for example to run
`python -m marketplace.embedded`) must not set DJANGO_SETTINGS_MODULE as a side effect. `celery -A
marketplace` finds `marketplace.celery` by itself, and the outbox publishes through it by name.
"""
