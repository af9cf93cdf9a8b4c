"""The Celery app. Workers also write a heartbeat to Redis that `/healthz` reads."""

import logging
import os
import socket
import time

from celery import Celery, bootsteps
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")

logger = logging.getLogger(__name__)

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_KEY_PREFIX = "marketplace:worker-heartbeat:"


def heartbeat_key(hostname: str) -> str:
    return f"{HEARTBEAT_KEY_PREFIX}{hostname}"


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Every few seconds, SET a key with a short TTL; a dead or wedged worker's key expires."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None
        self.client = None

    def start(self, worker):
        import redis
        from django.conf import settings

        self.interval = settings.WORKER_HEARTBEAT_SECONDS
        self.client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        self.key = heartbeat_key(worker.hostname or socket.gethostname())
        self.beat()
        self.tref = worker.timer.call_repeatedly(self.interval, self.beat, priority=10)

    def beat(self):
        try:
            self.client.set(self.key, str(time.time()), ex=self.interval * 3)
        except Exception as exc:  # broker down: the key expires and /healthz reports the worker down
            logger.warning("worker heartbeat not written: %s", exc)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
        try:
            if self.client is not None:
                self.client.delete(self.key)
        except Exception as exc:
            logger.warning("worker heartbeat not removed: %s", exc)


app.steps["worker"].add(WorkerHeartbeat)


@worker_init.connect
def _worker_ready(**_kwargs) -> None:
    """Load the URL patterns and views and tune the collector once, before the pool's processes fork from this one
    (marketplace/core/collector.py). Django is set up first: Celery's own Django fixup does it on this signal too,
    but receivers' order is not a contract (setting up twice does nothing more)."""
    import django

    django.setup()
    from marketplace.core.collector import worker_ready

    worker_ready()
