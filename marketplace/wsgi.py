import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")
application = get_wsgi_application()


from marketplace.core.collector import worker_ready  # noqa: E402 - once Django is set up

worker_ready()
