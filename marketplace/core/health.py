"""`GET /healthz`: database, broker and worker status. 200 only when all three are up."""

import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
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


def health_report() -> dict:
    """Database, broker and worker, each `{"ok": …, "error"?: …}`, the outbox backlog and an overall status: what
    `/healthz` answers as JSON and `/status/` shows to people."""
    database = _database()
    broker, worker = _broker_and_worker()
    body = {"database": database, "broker": broker, "worker": worker}
    if database["ok"]:
        body["outbox_backlog"] = outbox_backlog()
    healthy = database["ok"] and broker["ok"] and worker["ok"]
    body["status"] = "ok" if healthy else "unavailable"
    return body


@never_cache
@require_GET
def healthz(request):
    body = health_report()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@never_cache
@require_GET
def status_page(request):
    """The footer's "Service status": the same checks as /healthz, in words."""
    body = health_report()
    parts = [
        ("Web site and database", body["database"], "Pages, searches and orders can be read and saved."),
        ("Message broker", body["broker"], "Background work (e-mail, PDFs, imports) can be queued."),
        ("Background workers", body["worker"], "Queued work is being done: e-mails sent, PDFs rendered."),
    ]
    context = {"parts": parts, "healthy": body["status"] == "ok", "backlog": body.get("outbox_backlog")}
    return render(request, "core/status.html", context, status=200 if context["healthy"] else 503)
