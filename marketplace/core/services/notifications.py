"""In-app notifications, mirrored to e-mail by a worker."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Notification, Organization, User
from ..notification_kinds import NotificationKind
from .email import email_queue
from .outbox import enqueue


def notification_create(
    *,
    user: User,
    title: str,
    body: str = "",
    url: str = "",
    organization: Organization | None = None,
    kind: str = NotificationKind.GENERAL,
) -> Notification:
    notification = Notification.objects.create(
        user=user, organization=organization, kind=kind, title=title, body=body, url=url
    )
    enqueue("core.notification_email", notification.pk)
    return notification


def notification_email(*, notification_id: int) -> bool:
    """Mirror one notification to e-mail, once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.user.is_active:
            return False
        body = render_to_string("core/email/notification.txt", {"notification": notification})
        email_queue(to=[notification.user.email], subject=notification.title, body=body)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
