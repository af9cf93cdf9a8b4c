"""Only items on active contracts that an active co-op membership makes available, usable in the agency's state."""

import pytest

from tests.search.conftest import api, skus

pytestmark = pytest.mark.django_db


def test_browse_lists_the_usable_contracts_items_only(client, shop):
    found = skus(api(client, shop.requester, page_size=200))

    assert set(found) == set(shop.items) | {"FL-1"}


@pytest.mark.parametrize(
    "reason", ["discontinued", "inactive contract", "other co-op", "lapsed membership", "other state"]
)
def test_hidden_items_are_never_found(client, shop, reason):
    item = shop.hidden[reason]

    by_name = api(client, shop.requester, q=item.name)
    assert item.sku not in skus(by_name)
    # Its own word ('Zincchloride', 'Draftonly' …) matches nothing the agency may buy: only the common words do.
    assert by_name.json()["relaxed"] is True and "battery" in by_name.json()["matched_words"]
    assert skus(api(client, shop.requester, q=item.sku)) == []
    client.force_login(shop.requester)
    assert client.get(f"/api/v1/agencies/city-of-alpha/catalog/items/{item.id}/").status_code == 404
    assert client.get(f"/agencies/city-of-alpha/catalog/items/{item.id}/").status_code == 404


def test_a_contract_limited_to_the_agencys_state_is_usable(client, shop):
    assert skus(api(client, shop.requester, q="floridaonly")) == ["FL-1"]


def test_the_other_agency_sees_its_own_coops_contract_not_ours(client, shop):
    client.force_login(shop.other_requester)

    found = skus(client.get("/api/v1/agencies/beta-county/catalog/items/"))

    assert found == ["OC-1"]


def test_an_agency_without_an_active_membership_sees_nothing(client, shop):
    from marketplace.core.models import CoopMembership

    CoopMembership.objects.filter(agency=shop.agency).update(status="lapsed")

    response = api(client, shop.requester, q="battery")

    assert skus(response) == [] and response.json()["count"] == 0
