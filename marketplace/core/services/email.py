"""Outgoing e-mail: stored, then sent by a worker (never inside the request).

Attachments are named by their path in Django's default storage and read when the worker sends, so a large
file (a purchase-order PDF) is never copied into the database and the row stays small."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from ..errors import ApplicationError
from ..models import OutgoingEmail
from .outbox import enqueue


class Attachment(TypedDict):
    path: str  # name in default storage
    filename: str  # the name the recipient sees
    mimetype: str


def email_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str = "",
    from_email: str = "",
    attachments: list[Attachment] | None = None,
) -> OutgoingEmail:
    cleaned: list[dict[str, str]] = []
    for attachment in attachments or []:
        path, filename = attachment.get("path", ""), attachment.get("filename", "")
        if not path or not filename or "/" in filename or "\\" in filename:
            raise ApplicationError("invalid", "An attachment needs a storage path and a plain file name.")
        cleaned.append(
            {"path": path, "filename": filename, "mimetype": attachment.get("mimetype") or "application/octet-stream"}
        )
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject,
        body=body,
        html_body=html_body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        attachments=cleaned,
    )
    enqueue("core.email_send", email.pk)
    return email


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail once. Returns False if it was already sent (or no longer exists).
    A missing attachment raises `FileNotFoundError` (an `OSError`: the task retries it with backoff)."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return False
        message = EmailMultiAlternatives(email.subject, email.body, email.from_email, email.to)
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        for attachment in email.attachments or []:
            with default_storage.open(attachment["path"], "rb") as handle:
                message.attach(attachment["filename"], handle.read(), attachment["mimetype"])
        message.send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])
    return True
