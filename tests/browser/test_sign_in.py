"""Signing in through the real login form: each role lands on its own organization's home."""

import pytest
from playwright.sync_api import expect

from marketplace.core.models import AuditEvent


@pytest.mark.parametrize(
    ("member", "organization", "home_prefix"),
    [
        ("requester", "agency", "/agencies/"),
        ("catalog_manager", "supplier", "/suppliers/"),
        ("coop_staff", "coop", "/coops/"),
    ],
)
def test_member_signs_in_and_lands_on_their_organization_home(ui, world, password, member, organization, home_prefix):
    user, org = getattr(world, member), getattr(world, organization)

    ui.sign_in(user.email, password)

    assert ui.path == f"{home_prefix}{org.slug}/"
    expect(ui.page.get_by_role("heading", level=1)).to_have_text(org.name)
    expect(ui.page.get_by_text(f"Successfully signed in as {user.full_name}")).to_be_visible()
    expect(ui.page.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_shows_an_error_and_stays_signed_out(ui, world):
    ui.sign_in(world.requester.email, "not-my-password")

    assert ui.path == "/accounts/login/"
    summary = ui.page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The email address and/or password you specified are not correct.")
    expect(ui.page.get_by_role("button", name="Sign out")).to_have_count(0)
    failed = AuditEvent.objects.unscoped().filter(action="auth.login_failed")
    assert [(e.actor_id, e.actor_label) for e in failed] == [(None, world.requester.email)]

    ui.goto(f"/agencies/{world.agency.slug}/", "agency-home-while-signed-out")

    assert ui.path == "/accounts/login/"
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Sign in")
