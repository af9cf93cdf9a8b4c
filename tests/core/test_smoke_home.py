"""Each role lands on its own organization's home page, showing that organization's real data."""

import pytest

from tests.factories import ContractFactory, FacilityFactory, StoreLocationFactory

pytestmark = pytest.mark.django_db


def test_requester_lands_on_agency_home_with_contracts_and_facilities(client, world):
    ContractFactory(cooperative=world.coop, supplier=world.supplier, number="ALPHA-1", title="Lamps and cells")
    ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier, number="BETA-9")
    FacilityFactory(agency=world.agency, name="Fleet Garage")
    FacilityFactory(agency=world.other_agency, name="Beta Yard")
    client.force_login(world.requester)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/agencies/city-of-alpha/", 302)]
    html = response.content.decode()
    assert "City of Alpha" in html and "ALPHA-1" in html and "Fleet Garage" in html
    assert "BETA-9" not in html and "Beta Yard" not in html


def test_supplier_lands_on_supplier_home_with_its_stores(client, world):
    StoreLocationFactory(supplier=world.supplier, name="Alpha Store Sanford")
    StoreLocationFactory(supplier=world.other_supplier, name="Beta Store Austin")
    client.force_login(world.catalog_manager)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/suppliers/alpha-cells/", 302)]
    assert "Alpha Store Sanford" in response.content.decode()
    assert "Beta Store Austin" not in response.content.decode()


def test_coop_staff_lands_on_coop_home_with_member_agencies(client, world):
    client.force_login(world.coop_staff)

    response = client.get("/", follow=True)

    assert response.redirect_chain == [("/coops/alpha-coop/", 302)]
    html = response.content.decode()
    assert "your roles: Co-op staff" in html
    assert "City of Alpha" in html
    assert "Beta County" not in html


def test_member_agency_without_contracts_is_not_told_to_join_a_coop(client, world):
    client.force_login(world.requester)

    html = client.get("/agencies/city-of-alpha/").content.decode()

    assert "No active contracts are available through your co-ops yet." in html
    assert "needs an active co-op membership" not in html
