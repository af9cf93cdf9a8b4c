"""Browser steps shared by the journeys that bring people in through an invitation e-mail."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.core.models import OutgoingEmail


def invitation_link(email: str) -> str:
    """The accept link of the latest invitation e-mailed to `email` (other e-mails to the address are skipped)."""
    mail = OutgoingEmail.objects.filter(to=[email], body__contains="/invitations/").latest("pk")
    return re.search(r"/invitations/[A-Za-z0-9_-]+/", mail.body).group(0)


def sign_up_and_accept(ui, email: str, password: str, organization_name: str) -> None:
    """From the invitation link: create the account with the invited (fixed) address, then accept."""
    link = invitation_link(email)
    ui.goto(link, f"invitation-{email}")
    ui.page.get_by_role("link", name="Create an account").click()
    expect(ui.page.get_by_label("Email")).to_have_value(email)
    ui.page.locator("#id_password1").fill(password)
    ui.page.locator("#id_password2").fill(password)
    ui.page.get_by_role("button", name="Create account").click()
    ui.page.wait_for_url(f"**{link}")
    ui.page.get_by_role("button", name=f"Accept and join {organization_name}").click()
    ui.page.wait_for_load_state()
