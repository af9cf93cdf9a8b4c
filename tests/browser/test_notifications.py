"""The notification centre and the e-mail settings in a real browser: marking one notification read with htmx
updates its row and the header's count in place; the settings page saves and has no serious axe violations."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.core.models import Notification, NotificationPreference


def test_marking_one_read_updates_the_row_and_the_header_count(ui, world, password):
    Notification.objects.create(
        user=world.requester, organization=world.agency, title="PO CT-7 shipped", kind="shipped"
    )
    Notification.objects.create(user=world.requester, title="PO CT-8 backordered", kind="backordered")
    ui.sign_in(world.requester.email, password)
    ui.goto("/notifications/")
    expect(ui.page.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    ui.assert_accessible("notification-centre")

    ui.page.get_by_role("button", name=re.compile(r"^Mark as read\W+PO CT-7 shipped")).click()

    expect(ui.page.get_by_role("button", name=re.compile(r"^Mark as unread\W+PO CT-7 shipped"))).to_be_visible()
    expect(ui.page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    assert Notification.objects.get(title="PO CT-7 shipped").read_at is not None

    ui.goto("/notifications/?unread=1")
    expect(ui.page.get_by_role("heading", name="PO CT-8 backordered")).to_be_visible()
    expect(ui.page.get_by_role("heading", name="PO CT-7 shipped")).to_have_count(0)
    ui.assert_accessible("notification-centre-unread")


def test_settings_page_saves_and_is_accessible(ui, world, password):
    ui.sign_in(world.requester.email, password)
    ui.goto("/account/notifications/")
    ui.assert_accessible("notification-settings")

    ui.page.locator("label[for=id_email_shipped]").click()  # USWDS hides the box itself behind its label
    ui.page.get_by_role("button", name="Save settings").click()

    expect(ui.page.get_by_text("Your notification settings were saved.")).to_be_visible()
    expect(ui.page.get_by_label("An order shipped")).not_to_be_checked()
    assert NotificationPreference.objects.get(user=world.requester, kind="shipped").email is False
    ui.assert_accessible("notification-settings-saved")
