"""The personal API token page: create (shown once), list, revoke; refusals change nothing."""

import pytest

from marketplace.core.models import ApiToken, AuditEvent
from marketplace.core.services.tokens import MAX_ACTIVE_TOKENS, api_token_create

pytestmark = pytest.mark.django_db


def test_create_shows_the_secret_once_and_audits(client, world):
    client.force_login(world.requester)

    response = client.post("/account/api-tokens/", {"name": "Nightly ERP"})

    html = response.content.decode()
    token = ApiToken.objects.get(user=world.requester)
    assert token.name == "Nightly ERP"
    assert f"{token.prefix}" in html and "will not be shown again" in html
    assert AuditEvent.objects.unscoped().filter(action="api_token.created", object_id=str(token.pk)).exists()
    assert token.prefix + "…" in client.get("/account/api-tokens/").content.decode()
    assert "will not be shown again" not in client.get("/account/api-tokens/").content.decode()


def test_blank_name_is_refused_with_a_message(client, world):
    client.force_login(world.requester)

    response = client.post("/account/api-tokens/", {"name": "   "})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_limit_is_enforced(client, world):
    for i in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=world.requester, name=f"t{i}")
    client.force_login(world.requester)

    response = client.post("/account/api-tokens/", {"name": "one too many"})

    assert response.status_code == 400
    assert "at most 10 active tokens" in response.content.decode()
    assert ApiToken.objects.filter(user=world.requester).count() == MAX_ACTIVE_TOKENS


def test_revoking_someone_elses_token_is_404_and_changes_nothing(client, world):
    token, _ = api_token_create(user=world.other_requester, name="theirs")
    client.force_login(world.requester)

    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_own_token(client, world):
    token, _ = api_token_create(user=world.requester, name="mine")
    client.force_login(world.requester)

    response = client.post(f"/account/api-tokens/{token.pk}/revoke/", follow=True)

    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_needs_sign_in(client):
    response = client.get("/account/api-tokens/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
