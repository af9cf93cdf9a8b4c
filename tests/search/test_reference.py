"""Search's reference data (the agency's scope, the categories) is built once per version in a worker, and every
change to what it is read from is seen by the next search — however the change was written (contracts/catalog/
search/reference.py, migrations contracts 0009 and agencies 0009)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency
from contracts.catalog.search.reference import reference_version
from contracts.models import Category, Contract
from marketplace.core.models import CoopMembership, Organization
from suppliers.models import Supplier, VettingStatus
from tests.search.conftest import api, skus

pytestmark = pytest.mark.django_db

URL = "/api/v1/agencies/city-of-alpha/catalog/items/"


def _statements(client, **params) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_second_search_reads_the_version_instead_of_the_scope_and_the_categories(client, shop):
    client.force_login(shop.requester)
    first = _statements(client, q="battery")
    second = _statements(client, q="battery")

    def reads(statements, table):
        return [s for s in statements if f'FROM "{table}"' in s]

    assert reads(first, "contracts_contract") and reads(first, "contracts_category")
    assert reads(first, "agencies_agency")
    assert not reads(second, "contracts_contract") and not reads(second, "contracts_category")
    assert not reads(second, "agencies_agency")
    assert sum("FROM search_reference" in s for s in second) == 1
    assert len(second) == len(first) - 3  # scope, agency state, categories; the version is read on both


def _change_is_seen(client, shop, change, *, gone=(), appears=()):
    before = set(skus(api(client, shop.requester)))
    version = reference_version(connection)
    change()
    assert reference_version(connection) > version
    after = set(skus(api(client, shop.requester)))
    assert set(gone) <= before and not set(gone) & after
    assert not set(appears) & before and set(appears) <= after
    return after


def test_a_contract_ended_by_a_bulk_update_disappears_from_the_next_search(client, shop):
    _change_is_seen(
        client,
        shop,
        lambda: Contract.objects.filter(pk=shop.contract.pk).update(status="terminated"),
        gone=set(shop.items),
    )


def test_a_lapsed_coop_membership_empties_the_next_search(client, shop):
    after = _change_is_seen(
        client,
        shop,
        lambda: CoopMembership.objects.filter(agency=shop.agency, cooperative=shop.coop).update(status="lapsed"),
        gone={*shop.items, "FL-1"},
    )
    assert after == set()


def test_a_supplier_suspended_by_a_bulk_update_disappears_from_the_next_search(client, shop):
    _change_is_seen(
        client,
        shop,
        lambda: Supplier.objects.filter(organization=shop.supplier).update(vetting_status=VettingStatus.SUSPENDED),
        gone={*shop.items, "FL-1"},
    )


def test_a_contract_no_longer_available_to_the_coop_disappears_from_the_next_search(client, shop):
    _change_is_seen(client, shop, lambda: shop.contract.available_to.remove(shop.coop), gone=set(shop.items))


def test_an_agency_moving_state_sees_the_other_states_contracts_next(client, shop):
    _change_is_seen(
        client,
        shop,
        lambda: Agency.objects.filter(organization=shop.agency).update(state="TX"),
        gone={"FL-1"},
        appears={"TX-1"},
    )


def test_renamed_categories_and_contracts_are_shown_by_the_next_search(client, shop):
    client.force_login(shop.requester)
    client.get(URL, {"q": "streamlight"})
    version = reference_version(connection)
    Category.objects.filter(slug="flashlights").update(name="Torches", path="Lighting > Torches")
    Contract.objects.filter(pk=shop.contract.pk).update(title="Batteries and Lighting, renewed")
    assert reference_version(connection) > version

    data = client.get(URL, {"q": "streamlight"}).json()
    row = data["results"][0]

    assert row["sku"] == "SL-78100" and row["category"]["name"] == "Torches"
    assert row["contract"]["title"] == "Batteries and Lighting, renewed"
    assert [v["label"] for v in data["facets"]["category"]] == ["Lighting > Torches"]


def test_a_renamed_supplier_changes_the_version(shop):
    version = reference_version(connection)
    Organization.objects.filter(pk=shop.supplier.pk).update(name="Alpha Cells Renamed")
    assert reference_version(connection) > version


def test_a_change_rolled_back_is_never_seen_again(client, shop):
    client.force_login(shop.requester)
    before = set(skus(api(client, shop.requester)))
    version = reference_version(connection)
    with pytest.raises(RuntimeError), transaction.atomic():
        Contract.objects.filter(pk=shop.contract.pk).update(status="terminated")
        assert set(skus(api(client, shop.requester))) == before - set(shop.items)  # seen inside its transaction
        raise RuntimeError("rolled back")

    assert reference_version(connection) == version
    assert set(skus(api(client, shop.requester))) == before


def test_an_unrelated_organization_change_keeps_the_version(shop):
    version = reference_version(connection)
    Organization.objects.filter(pk=shop.agency.pk).update(time_zone="America/Chicago")
    Supplier.objects.filter(organization=shop.supplier).update(phone="555-0100")
    assert reference_version(connection) == version
