"""API base: /me, the error shape, token authentication, schema and offline docs."""

import pytest

from marketplace.core.models import ApiToken
from marketplace.core.services.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_me_lists_memberships_with_roles(client, world, make_member):
    user = make_member(world.agency, "requester", "approver")
    make_member(world.supplier, "order_desk", email="dual@example.test")
    client.force_login(user)

    body = client.get("/api/v1/me/").json()

    assert body["email"] == user.email
    assert body["mfa_enabled"] is False
    [membership] = body["memberships"]
    assert membership["organization"]["slug"] == "city-of-alpha"
    assert sorted(membership["roles"]) == ["approver", "requester"]
    assert membership["url"] == "/api/v1/agencies/city-of-alpha/"


def test_anonymous_gets_the_documented_error_shape(client):
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "Authentication credentials were not provided.", "fields": {}}
    }


def test_token_authenticates_and_records_last_use(client, world):
    token, secret = api_token_create(user=world.requester, name="ERP sync")

    response = client.get("/api/v1/agencies/city-of-alpha/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code == 200
    assert response.json()["organization"]["name"] == "City of Alpha"
    assert response.json()["roles"] == ["requester"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_cannot_reach_another_organization(client, world):
    _, secret = api_token_create(user=world.requester, name="ERP sync")

    response = client.get("/api/v1/agencies/beta-county/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("header", ["Token nope", "Token a b", "Token "])
def test_bad_token_is_refused(client, world, header):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_revoked_token_is_refused(client, world):
    token, secret = api_token_create(user=world.requester, name="old")
    api_token_revoke(user=world.requester, token_id=token.pk)

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_only_a_digest_of_the_token_is_stored(world):
    token, secret = api_token_create(user=world.requester, name="ERP sync")

    assert secret.startswith("mkt_") and len(secret) > 40
    assert secret not in (token.digest, token.prefix)
    assert token.prefix == secret[:10]


def test_token_cannot_be_used_by_a_deactivated_user(client, world):
    _, secret = api_token_create(user=world.requester, name="ERP sync")
    world.requester.is_active = False
    world.requester.save(update_fields=["is_active"])

    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401


def test_schema_lists_the_tenant_nested_endpoints_with_types(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    schema = response.json()
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/agencies/{org}/" in schema["paths"]
    assert "/api/v1/coops/{org}/members/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert "Error" in schema["components"]["schemas"]
    assert "AgencyDetail" in schema["components"]["schemas"]


def test_docs_page_loads_its_assets_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script (CSP): the init script is its own URL
