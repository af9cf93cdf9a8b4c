"""Responses to a signed-in user are `Cache-Control: private, no-store`; anonymous public pages are not."""

import pytest

from marketplace.core.services.tokens import api_token_create
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def test_signed_in_pages_and_api_answers_are_private_and_not_stored(client, world):
    client.force_login(world.agency_admin)

    for path in ("/agencies/city-of-alpha/", "/notifications/", "/contracts/", "/api/v1/me/", "/api/v1/contracts/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == PRIVATE, path


def test_api_token_answers_are_private_and_not_stored(client, world):
    _token, secret = api_token_create(user=world.coop_admin, name="integration")

    response = client.get("/api/v1/coops/alpha-coop/contracts/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_redirects_and_errors_to_a_signed_in_user_are_private_too(client, world):
    client.force_login(world.requester)

    assert client.get("/")["Cache-Control"] == PRIVATE  # redirect to the user's organization
    assert client.get("/coops/alpha-coop/").status_code == 404
    assert client.get("/coops/alpha-coop/")["Cache-Control"] == PRIVATE
    assert client.get("/contracts/", {"q": "\x00"})["Cache-Control"] == PRIVATE


def test_anonymous_public_pages_keep_their_headers(client, world):
    ContractFactory(cooperative=world.coop, supplier=world.supplier, number="PUB-1")

    for path in ("/contracts/", "/contracts/pub-1/", "/api/v1/contracts/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.has_header("Cache-Control"), path


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, world):
    client.force_login(world.agency_admin)

    response = client.get("/healthz")  # never_cache

    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert response["Cache-Control"] != PRIVATE
