"""The worker mirrors a notification to e-mail unless its user turned e-mail off for that kind; `general` is always
e-mailed."""

from __future__ import annotations

import pytest

from marketplace.core.models import Notification, NotificationPreference, OutgoingEmail
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.services.notifications import notification_create, notification_email

K = NotificationKind


def _note(user, kind, title="Something happened"):
    return Notification.objects.create(user=user, kind=kind, title=title, body="Details")


@pytest.mark.django_db
def test_email_off_for_the_kind_sends_nothing_and_is_not_marked_emailed(world):
    NotificationPreference.objects.create(user=world.requester, kind=K.SHIPPED, email=False)
    note = _note(world.requester, K.SHIPPED)

    assert notification_email(notification_id=note.pk) is False

    note.refresh_from_db()
    assert note.emailed_at is None
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_email_on_by_default_and_when_turned_back_on(world):
    first = _note(world.requester, K.SHIPPED, "First shipment")
    NotificationPreference.objects.create(user=world.requester, kind=K.BACKORDERED, email=True)
    second = _note(world.requester, K.BACKORDERED, "A backorder")

    assert notification_email(notification_id=first.pk) is True
    assert notification_email(notification_id=second.pk) is True
    assert notification_email(notification_id=first.pk) is False  # once

    assert sorted(OutgoingEmail.objects.values_list("subject", flat=True)) == ["A backorder", "First shipment"]
    assert all(email.to == [world.requester.email] for email in OutgoingEmail.objects.all())


@pytest.mark.django_db
def test_another_users_switch_does_not_silence_mine(world):
    NotificationPreference.objects.create(user=world.agency_admin, kind=K.SHIPPED, email=False)
    note = _note(world.requester, K.SHIPPED)

    assert notification_email(notification_id=note.pk) is True
    assert OutgoingEmail.objects.get().to == [world.requester.email]


@pytest.mark.django_db
def test_general_is_emailed_even_with_a_stored_off_row(world):
    # the API and the page refuse to store this; a row written some other way still does not silence it
    NotificationPreference.objects.create(user=world.requester, kind=K.GENERAL, email=False)
    note = _note(world.requester, K.GENERAL)

    assert notification_email(notification_id=note.pk) is True
    assert OutgoingEmail.objects.count() == 1


def test_the_real_worker_skips_the_kind_that_is_off(worker, world):
    NotificationPreference.objects.create(user=world.requester, kind=K.SHIPPED, email=False)

    notification_create(user=world.requester, title="Silenced shipment", kind=K.SHIPPED)
    notification_create(user=world.requester, title="Wanted backorder", kind=K.BACKORDERED)
    # the single worker takes tasks in order: once the second one's e-mail is out, the first was decided
    worker.wait_for_mail(1)
    worker.wait_until_idle()

    mails = worker.sent_mail()
    assert len(mails) == 1 and "Wanted backorder" in mails[0]
    assert Notification.objects.get(title="Silenced shipment").emailed_at is None
    assert Notification.objects.get(title="Wanted backorder").emailed_at is not None
