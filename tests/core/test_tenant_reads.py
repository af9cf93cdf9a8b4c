"""Every tenant read takes the tenant from the URL: each test here fails if one `for_organization()` filter is
dropped (scripts/tenant_mutation_check.py drops them one at a time).

The isolation matrix (test_isolation.py) catches filters whose loss puts another tenant's rows on a page. These
cover the reads it cannot see: a `.first()` that happens to pick the right row while the probed organization is
the oldest one (agency state and profile, supplier profile), a choice the page makes from a list (the facility
store distances are measured from), a form's choices, a write that looks its contract up by number, and the
expiry sweep's once-only check. Pages are reached over HTTP, the sweep through its Celery task name.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import CatalogImport, Contract
from marketplace.celery import app
from marketplace.core.dates import organization_today
from marketplace.core.models import AuditEvent
from marketplace.core.services.audit import audit_record
from tests.factories import (
    AgencyFactory,
    CatalogImportFactory,
    CatalogItemFactory,
    ContractFactory,
    CoopMembershipFactory,
    FacilityFactory,
    PriceChangeFactory,
    StoreLocationFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, user, path, **params):
    client.force_login(user)
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _api(client, user, path, **params):
    client.force_login(user)
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


# --- Agencies: the catalog follows the agency's own state and facilities ----------------------------------------


@pytest.fixture
def texas(world, make_member):
    """A Texas county (newer than world.agency, a Florida city) in world.coop, and one item per state."""
    agency = AgencyFactory(
        organization__name="Lone Star County", organization__slug="lone-star", agency_type="county", state="TX"
    ).organization
    CoopMembershipFactory(cooperative=world.coop, agency=agency)
    world.texas = agency
    world.texas_buyer = make_member(agency, "requester", email="buyer@lonestar.test")
    texas_contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, states=["TX"])
    florida_contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, states=["FL"])
    world.texas_item = CatalogItemFactory(contract=texas_contract, sku="TX-ONLY-1", name="Texasonly lamp")
    world.florida_item = CatalogItemFactory(contract=florida_contract, sku="FL-ONLY-1", name="Floridaonly lamp")
    return world


def test_catalog_search_uses_the_agencys_own_state(client, texas):
    w = texas

    found = _api(client, w.texas_buyer, f"/api/v1/agencies/{w.texas.slug}/catalog/items/")
    page = _page(client, w.texas_buyer, f"/agencies/{w.texas.slug}/catalog/")

    skus = [row["sku"] for row in found["results"]]
    assert "TX-ONLY-1" in skus and "FL-ONLY-1" not in skus
    assert "Texasonly lamp" in page and "Floridaonly lamp" not in page


def test_catalog_item_follows_the_agencys_own_state(client, texas):
    w = texas
    client.force_login(w.texas_buyer)

    texas_item = client.get(f"/agencies/{w.texas.slug}/catalog/items/{w.texas_item.pk}/")
    florida_item = client.get(f"/api/v1/agencies/{w.texas.slug}/catalog/items/{w.florida_item.pk}/")

    assert texas_item.status_code == 200 and "TX-ONLY-1" in texas_item.content.decode()
    assert florida_item.status_code == 404


def test_agency_home_shows_the_agencys_own_profile(client, texas):
    body = _page(client, texas.texas_buyer, f"/agencies/{texas.texas.slug}/")

    assert "County · TX · your roles" in body


@pytest.fixture
def facilities(world):
    """world.agency's facility next to a store of world.supplier, and another agency's facility whose name sorts
    first, next to another store of the same supplier; one item to buy."""
    world.own_facility = FacilityFactory(
        agency=world.agency, name="Zephyr Yard", latitude="28.500000", longitude="-81.300000"
    )
    world.foreign_facility = FacilityFactory(
        agency=world.other_agency, name="Aardvark Depot", latitude="30.300000", longitude="-84.200000"
    )
    StoreLocationFactory(
        supplier=world.supplier,
        name="Orlando Counter",
        latitude="28.510000",
        longitude="-81.310000",
        locally_owned=True,
    )
    StoreLocationFactory(
        supplier=world.supplier,
        name="Tallahassee Counter",
        latitude="30.310000",
        longitude="-84.210000",
        locally_owned=True,
    )
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
    world.lamp = CatalogItemFactory(contract=contract, sku="LAMP-1", name="Porch lamp")
    return world


@pytest.mark.parametrize("choose_foreign", [False, True], ids=["default", "foreign-facility-in-query"])
def test_catalog_measures_distances_from_the_agencys_own_facility(client, facilities, choose_foreign):
    w = facilities
    params = {"facility": w.foreign_facility.pk} if choose_foreign else {}

    search = _page(client, w.requester, f"/agencies/{w.agency.slug}/catalog/", **params)
    item = _page(client, w.requester, f"/agencies/{w.agency.slug}/catalog/items/{w.lamp.pk}/", **params)

    assert "Local pickup shown for Zephyr Yard" in search
    assert "Orlando Counter" in search and "Tallahassee Counter" not in search
    assert "stores near Zephyr Yard" in item
    assert "Orlando Counter" in item and "Tallahassee Counter" not in item
    for body in (search, item):
        assert "Aardvark Depot" not in body  # neither measured from nor offered as a choice


def test_agency_home_lists_only_its_own_facilities(client, facilities):
    body = _page(client, facilities.agency_admin, f"/agencies/{facilities.agency.slug}/")

    assert "Zephyr Yard" in body and "Aardvark Depot" not in body


# --- Suppliers: home page, catalog pages, import form and upload --------------------------------------------------


@pytest.fixture
def suppliers(world):
    """world.supplier and world.other_supplier, each with a contract, a store, an item and an import."""
    for org, tag, coop in ((world.supplier, "OWN", world.coop), (world.other_supplier, "FOREIGN", world.other_coop)):
        contract = ContractFactory(cooperative=coop, supplier=org, number=f"{tag}-CT-1")
        StoreLocationFactory(supplier=org, name=f"{tag} store")
        CatalogItemFactory(contract=contract, sku=f"{tag}-SKU-1")
        CatalogImportFactory(contract=contract, original_name=f"{tag.lower()}-file.csv")
    return world


def test_supplier_home_shows_the_suppliers_own_profile(client, world, make_member):
    newcomer = SupplierFactory(
        organization__name="Gamma Fuses", organization__slug="gamma-fuses", vetting_status="submitted"
    ).organization
    user = make_member(newcomer, "supplier_admin", email="admin@gamma.test")

    body = _page(client, user, f"/suppliers/{newcomer.slug}/")

    assert '<p class="stat">Submitted</p>' in body


@pytest.mark.parametrize(
    "path",
    [
        "/suppliers/{org}/",
        "/suppliers/{org}/catalog/",
        "/suppliers/{org}/catalog/items/",
        "/suppliers/{org}/catalog/imports/new/",
    ],
)
def test_supplier_pages_show_only_the_suppliers_own_rows(client, suppliers, path):
    body = _page(client, suppliers.supplier_admin, path.format(org=suppliers.supplier.slug))

    assert "OWN-" in body
    assert "FOREIGN" not in body and "foreign-file.csv" not in body


def test_supplier_api_lists_only_the_suppliers_own_rows(client, suppliers):
    base = f"/api/v1/suppliers/{suppliers.supplier.slug}"

    items = _api(client, suppliers.supplier_admin, f"{base}/catalog/items/")
    imports = _api(client, suppliers.supplier_admin, f"{base}/catalog-imports/")

    assert [row["sku"] for row in items["results"]] == ["OWN-SKU-1"]
    assert [row["file_name"] for row in imports["results"]] == ["own-file.csv"]


def test_upload_to_another_suppliers_contract_is_not_found_and_stores_nothing(client, suppliers, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(suppliers.supplier_admin)
    url = f"/api/v1/suppliers/{suppliers.supplier.slug}/catalog-imports/"
    csv = b"sku,name,list_price,contract_price\r\nX-1,Lamp,20.00,14.00\r\n"

    def upload(number):
        return client.post(url, {"contract": number, "file": SimpleUploadedFile("x.csv", csv, content_type="text/csv")})

    assert upload("OWN-CT-1").status_code == 202  # the same request on its own contract is accepted
    imports, files = CatalogImport.objects.count(), sorted(tmp_path.rglob("*.*"))

    response = upload("FOREIGN-CT-1")

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    # the request is rolled back either way; the upload must not reach storage before the contract is refused
    assert CatalogImport.objects.count() == imports
    assert sorted(tmp_path.rglob("*.*")) == files


# --- Co-ops: price changes and contracts ----------------------------------------------------------------------------


def test_coop_price_changes_list_only_its_own_contracts(client, world):
    for coop, supplier, tag in (
        (world.coop, world.supplier, "OWN"),
        (world.other_coop, world.other_supplier, "FOREIGN"),
    ):
        item = CatalogItemFactory(contract=ContractFactory(cooperative=coop, supplier=supplier), sku=f"{tag}-PC-1")
        PriceChangeFactory(item=item)

    page = _page(client, world.coop_admin, f"/coops/{world.coop.slug}/price-changes/")
    found = _api(client, world.coop_admin, f"/api/v1/coops/{world.coop.slug}/price-changes/")

    assert "OWN-PC-1" in page and "FOREIGN-PC-1" not in page
    assert "OWN-PC-1" in str(found) and "FOREIGN-PC-1" not in str(found)


# --- The expiry sweep: its once-only check reads the owning co-op's audit log ---------------------------------


def test_another_tenants_audit_row_does_not_suppress_an_expiry_notice(world):
    today = organization_today(world.coop)
    contract = ContractFactory(
        cooperative=world.coop,
        supplier=world.supplier,
        term_start=today - timedelta(days=700),
        term_end=today + timedelta(days=25),
    )
    # a row of another co-op that names the same object and threshold (object ids are per type, not per tenant)
    audit_record(
        actor=None,
        action="contract.expiry_notice",
        organization=world.other_coop,
        obj=contract,
        after={"days": 30, "term_end": contract.term_end.isoformat()},
    )
    app.loader.import_default_modules()

    app.tasks["contracts.expiry_sweep"].apply().get()

    sent = AuditEvent.objects.filter(
        action="contract.expiry_notice", organization=world.coop, object_id=str(contract.pk)
    )
    assert [e.after["days"] for e in sent] == [30]


@pytest.mark.django_db
def test_a_contract_is_awarded_only_to_a_supplier_that_is_itself_verified(client, world):
    """Another supplier being verified must not make an unverified one eligible (suppliers.selectors)."""
    unverified = SupplierFactory(
        organization__name="Gamma Volts", organization__slug="gamma-volts", vetting_status="submitted"
    ).organization
    client.force_login(world.coop_admin)
    before = Contract.objects.count()
    response = client.post(
        f"/api/v1/coops/{world.coop.slug}/contracts/",
        {
            "number": "CM-UNVERIFIED-1",
            "title": "Batteries",
            "supplier": unverified.slug,
            "term_start": "2026-01-01",
            "term_end": "2028-12-31",
            "pricing_basis": "fixed",
            "admin_fee_percent": "2",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.json()
    assert "supplier" in response.json()["error"]["fields"]
    assert Contract.objects.count() == before
