"""Work is enqueued through the outbox after commit, a real worker does it, and /healthz tells the truth.

Broker down: the request still commits, the failure is logged and kept in the outbox, /healthz says so;
once the broker is back the sweep re-publishes and the work is done.
"""

import logging

import pytest
from django.core import mail

from marketplace.core.models import Notification, OutboxTask, OutgoingEmail
from marketplace.core.services.email import email_queue, email_send
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.outbox import outbox_sweep

DEAD_BROKER = "redis://127.0.0.1:9/0"  # discard port: nothing listens


@pytest.mark.django_db
def test_healthz_reports_worker_down_without_a_worker(client, settings):
    settings.CELERY_BROKER_URL = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/15"  # a DB no worker uses

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["worker"] == {"ok": False, "workers": [], "error": "no worker heartbeat"}


@pytest.mark.django_db
def test_healthz_reports_broker_down(client, settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["worker"]["ok"] is False


def test_healthz_is_200_with_database_broker_and_worker_up(client, worker):
    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert any(w["name"].startswith("pytest-") for w in body["worker"]["workers"])


@pytest.mark.django_db
def test_status_page_says_in_words_what_is_down(client, settings):
    settings.CELERY_BROKER_URL = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/15"  # a DB no worker uses

    response = client.get("/status/")

    assert response.status_code == 503
    page = response.content.decode()
    assert "Part of the service is not working" in page
    assert 'Web site and database: <span class="text-green">working</span>' in page
    assert 'Background workers: <span class="text-secondary-dark">not working</span>' in page
    assert "Problem: no worker heartbeat." in page


def test_status_page_says_everything_works_with_a_worker(client, worker):
    response = client.get("/status/")

    assert response.status_code == 200
    assert "Everything is working." in response.content.decode()


def test_notification_is_mirrored_to_email_by_the_worker(worker, world):
    notification_create(user=world.requester, title="PO 17 approved", body="Your order was approved.", url="/x/")

    [mail] = worker.wait_for_mail(1)

    assert "Subject: [Co-op Marketplace]" not in mail  # notification subjects are used as-is
    assert "PO 17 approved" in mail and "Your order was approved." in mail
    assert world.requester.email in mail
    notification = Notification.objects.get(user=world.requester)
    assert notification.emailed_at is not None
    assert OutgoingEmail.objects.get().sent_at is not None
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()


def test_broker_down_keeps_the_work_and_the_sweep_delivers_it(worker, world, settings, caplog):
    live_broker = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = DEAD_BROKER

    with caplog.at_level(logging.ERROR, logger="marketplace.core.services.outbox"):
        notification_create(user=world.requester, title="Contract renewed")  # autocommit: on_commit runs now

    notification = Notification.objects.get(title="Contract renewed")  # the data was committed
    row = OutboxTask.objects.get(task_name="core.notification_email")
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert "Broker unavailable" in caplog.text
    assert worker.sent_mail() == []

    settings.CELERY_BROKER_URL = live_broker
    sent = outbox_sweep(older_than_seconds=0)

    assert sent == 1
    [mail] = worker.wait_for_mail(1)
    assert "Contract renewed" in mail
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_tasks_are_idempotent(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    email = email_queue(to=["a@example.test"], subject="Hello", body="Body")

    assert email_send(email_id=email.pk) is True
    assert email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1
