"""Kernel tasks: thin wrappers that take ids and call services (which are idempotent)."""

from celery import shared_task

from .services import email as email_services
from .services import notifications, outbox


@shared_task(name="core.email_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(email_id: int) -> bool:
    return email_services.email_send(email_id=email_id)


@shared_task(name="core.notification_email")
def notification_email(notification_id: int) -> bool:
    return notifications.notification_email(notification_id=notification_id)


@shared_task(name="core.outbox_sweep")
def outbox_sweep() -> int:
    return outbox.outbox_sweep()
