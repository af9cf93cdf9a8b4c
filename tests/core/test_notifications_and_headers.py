"""In-app notifications belong to their user; every page carries the security headers and CSP."""

import pytest
from django.core.exceptions import ValidationError

from marketplace.core.models import Membership, Notification
from marketplace.core.services.notifications import notification_create

pytestmark = pytest.mark.django_db


def test_notifications_page_shows_only_mine_and_marks_them_read(client, world):
    notification_create(user=world.requester, title="Your PO was approved", organization=world.agency)
    notification_create(user=world.other_requester, title="Someone else's news")
    client.force_login(world.requester)

    html = client.get("/notifications/").content.decode()
    assert "Your PO was approved" in html and "Someone else" not in html
    assert '>1<span class="usa-sr-only"> unread</span>' in html

    client.post("/notifications/read/")

    assert Notification.objects.get(user=world.requester).read_at is not None
    assert Notification.objects.get(user=world.other_requester).read_at is None
    assert 'usa-sr-only"> unread' not in client.get("/notifications/").content.decode()


def test_pages_send_csp_without_inline_script_and_frame_denial(client, world):
    client.force_login(world.requester)

    response = client.get("/agencies/city-of-alpha/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html


def test_membership_role_must_fit_the_organization_kind(world):
    membership = Membership(user=world.outsider, organization=world.supplier, role="approver")

    with pytest.raises(ValidationError, match="not a role in a supplier"):
        membership.full_clean()


def test_user_with_several_organizations_chooses_where_to_work(client, world, make_member):
    user = make_member(world.agency, "requester", email="both@example.test")
    Membership.objects.create(user=user, organization=world.supplier, role="order_desk")
    client.force_login(user)

    html = client.get("/").content.decode()

    assert "Choose where to work" in html
    assert 'href="/agencies/city-of-alpha/"' in html and 'href="/suppliers/alpha-cells/"' in html


def test_user_without_organization_is_told_what_to_do(client, world):
    client.force_login(world.outsider)

    html = client.get("/").content.decode()

    assert "You are not a member of any organization yet" in html
