"""In-app notifications, mirrored to e-mail by a worker unless the user turned e-mail off for that kind; the
in-app centre's read / unread marks; the user's per-kind e-mail settings."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..errors import ApplicationError
from ..models import Notification, NotificationPreference, Organization, User
from ..notification_kinds import ALWAYS_EMAILED, NotificationKind
from .audit import audit_record
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
    """The in-app row now (in the caller's transaction, so it exists only if the change does); the e-mail is
    decided and sent by the worker after commit (`core.notification_email` through the outbox)."""
    notification = Notification.objects.create(
        user=user, organization=organization, kind=kind, title=title, body=body, url=url
    )
    enqueue("core.notification_email", notification.pk)
    return notification


def notification_email_wanted(*, user: User | int, kind: str) -> bool:
    """No stored preference means e-mail on; kinds in ALWAYS_EMAILED are e-mailed whatever is stored."""
    if kind in ALWAYS_EMAILED:
        return True
    return not NotificationPreference.objects.filter(user=user, kind=kind, email=False).exists()


def notification_email(*, notification_id: int) -> bool:
    """Mirror one notification to e-mail, once. Returns False when nothing was sent: already e-mailed, the user is
    inactive, or the user turned e-mail off for the notification's kind. In that last case `emailed_at` stays
    empty (the row was never e-mailed) and the task is not retried: returning is the task's normal end."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.user.is_active:
            return False
        if not notification_email_wanted(user=notification.user_id, kind=notification.kind):
            return False
        body = render_to_string("core/email/notification.txt", {"notification": notification})
        email_queue(to=[notification.user.email], subject=notification.title, body=body)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications read (all of them, or those among `notification_ids`)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def notification_read_set(*, user: User, notification_id: int, read: bool) -> Notification:
    """Mark one of the user's notifications read or unread. Another user's id, or no such id, is a 404 (the
    same answer, so ids of other users' notifications cannot be probed). Marking twice changes nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("organization")
            .filter(user=user, pk=notification_id)
            .first()
        )
        if notification is None:
            raise ApplicationError("not_found", "No such notification.", status=404)
        if read and notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        elif not read and notification.read_at is not None:
            notification.read_at = None
            notification.save(update_fields=["read_at"])
    return notification


def notification_preferences_set(*, user: User, email: Mapping[str, bool]) -> dict[str, bool]:
    """Store the user's e-mail choice for each kind in `email` (kinds not named keep theirs) and audit what
    changed. An unknown kind, or turning off a kind that is always e-mailed, refuses the whole save.
    Returns {kind: email} for the kinds whose setting changed."""
    fields: dict[str, list[str]] = {}
    for kind, on in email.items():
        if kind not in NotificationKind.values:
            fields.setdefault("kind", []).append(f"“{str(kind)[:40]}” is not a kind of notification.")
        elif kind in ALWAYS_EMAILED and not on:
            label = NotificationKind(kind).label
            fields[kind] = [f"E-mail for “{label}” cannot be turned off: these messages may need you to act."]
    if fields:
        raise ApplicationError("invalid", "Nothing was saved: some settings are not valid.", fields)
    with transaction.atomic():
        # One save per user at a time, so the audit row's "before" is what the save replaced.
        User.objects.select_for_update().filter(pk=user.pk).first()
        stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
        changed = {kind: bool(on) for kind, on in email.items() if stored.get(kind, True) != bool(on)}
        if not changed:
            return {}
        now = timezone.now()
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user=user, kind=kind, email=on, updated_at=now) for kind, on in changed.items()],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email", "updated_at"],
        )
        audit_record(
            actor=user,
            action="notification.preferences_changed",
            obj=user,
            before={kind: stored.get(kind, True) for kind in sorted(changed)},
            after={kind: changed[kind] for kind in sorted(changed)},
        )
    return changed
