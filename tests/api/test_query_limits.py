"""Query parameters outside the documented limits are 400 `invalid` naming the parameter, never a 404 or a
silently different answer."""

import pytest

from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=99", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=201", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
def test_bad_page_or_page_size_is_a_400(client, world, query, field):
    client.force_login(world.requester)

    response = client.get(f"/api/v1/agencies/city-of-alpha/members/?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == [field]


def test_page_size_within_limits_is_used(client, world):
    client.force_login(world.requester)

    body = client.get("/api/v1/agencies/city-of-alpha/members/?page_size=1&page=2").json()

    assert body["count"] == 2 and len(body["results"]) == 1 and body["previous"] is not None


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/coops/alpha-coop/contracts/?status=archived", "status"),
        ("/api/v1/coops/alpha-coop/contracts/?q=" + "x" * 101, "q"),
        ("/api/v1/coops/alpha-coop/price-changes/?status=maybe", "status"),
        ("/api/v1/suppliers/alpha-cells/catalog-imports/?status=done", "status"),
        ("/api/v1/contracts/?state=Florida", "state"),
    ],
)
def test_filter_outside_the_schema_is_a_400(client, world, url, field):
    ContractFactory(cooperative=world.coop, supplier=world.supplier)
    client.force_login(world.coop_staff if "/coops/" in url else world.catalog_manager)

    response = client.get(url)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_membership_without_expiry_has_null_expires_on(client, world):
    client.force_login(world.requester)

    body = client.get("/api/v1/agencies/city-of-alpha/").json()

    assert body["coop_memberships"][0]["expires_on"] is None
