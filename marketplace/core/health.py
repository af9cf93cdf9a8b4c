"""`GET /healthz`: database, broker and worker status. 200 only when all three are up."""

import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from marketplace.celery import HEARTBEAT_KEY_PREFIX

from .services.outbox import outbox_backlog


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def _broker_and_worker() -> tuple[dict, dict]:
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}, {"ok": False, "error": "broker unreachable"}
    workers = []
    for key in client.scan_iter(match=f"{HEARTBEAT_KEY_PREFIX}*", count=100):
        value = client.get(key)
        if value is not None:
            workers.append(
                {"name": key.decode()[len(HEARTBEAT_KEY_PREFIX) :], "seconds_ago": round(time.time() - float(value), 1)}
            )
    worker = {"ok": bool(workers), "workers": workers}
    if not workers:
        worker["error"] = "no worker heartbeat"
    return {"ok": True}, worker


@never_cache
@require_GET
def healthz(request):
    database = _database()
    broker, worker = _broker_and_worker()
    body = {"database": database, "broker": broker, "worker": worker}
    if database["ok"]:
        body["outbox_backlog"] = outbox_backlog()
    healthy = database["ok"] and broker["ok"] and worker["ok"]
    body["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(body, status=200 if healthy else 503)
