"""Outgoing e-mail: stored, then sent by a worker (never inside the request)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from ..models import OutgoingEmail
from .outbox import enqueue


def email_queue(*, to: list[str], subject: str, body: str, html_body: str = "", from_email: str = "") -> OutgoingEmail:
    email = OutgoingEmail.objects.create(
        to=to, subject=subject, body=body, html_body=html_body, from_email=from_email or settings.DEFAULT_FROM_EMAIL
    )
    enqueue("core.email_send", email.pk)
    return email


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail once. Returns False if it was already sent (or no longer exists)."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return False
        message = EmailMultiAlternatives(email.subject, email.body, email.from_email, email.to)
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        message.send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])
    return True
