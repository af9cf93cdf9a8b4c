"""The catalog's list filters (contracts/catalog/filters.py), through HTTP: each FilterSet narrows the HTML page and
the API list alike, refuses an unknown value (a form error on the page, the documented 400 in the API) without
widening or changing anything, never reaches another tenant's rows, and keeps the page's query count constant."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.catalog.services.imports import catalog_import_create
from contracts.catalog.services.pricing import catalog_item_price_request
from contracts.models import CatalogImport, CatalogItem, PriceChange
from marketplace.core.models import AuditEvent
from tests.catalog_imports.conftest import csv_bytes, make_item, row, upload
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def _state():
    items = tuple(CatalogItem.objects.order_by("pk").values_list("pk", "contract_price", "status", "updated_at"))
    changes = tuple(PriceChange.objects.order_by("pk").values_list("pk", "status", "new_price"))
    imports = tuple(CatalogImport.objects.unscoped().order_by("pk").values_list("pk", "status"))
    return items, changes, imports, AuditEvent.objects.count()


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


# --- The supplier's items ------------------------------------------------------------------------------------


def _items(world):
    return f"/suppliers/{world.supplier.slug}/catalog/items/"


def _items_api(world):
    return f"/api/v1/suppliers/{world.supplier.slug}/catalog/items/"


@pytest.fixture
def items(world, contract, other_contract):
    gamma = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-GAMMA")
    make_item(contract, "A-1", name="AA battery")
    make_item(contract, "A-2", name="AAA battery", status="discontinued")
    make_item(gamma, "G-1", name="Lantern battery")
    make_item(other_contract, "Z-9", name="Someone else's lantern")


def test_items_filters_combine_on_the_page_and_in_the_api(client, world, items):
    client.force_login(world.catalog_manager)
    query = {"q": "battery", "contract": "CT-ALPHA", "status": "active"}

    page = client.get(_items(world), query)
    api = client.get(_items_api(world), query)

    body = page.content.decode()
    assert page.status_code == 200 and "A-1" in body and "A-2" not in body and "G-1" not in body
    assert "1 item match" in body
    assert '<option value="CT-ALPHA" selected>' in body
    assert [r["sku"] for r in api.json()["results"]] == ["A-1"]


@pytest.mark.parametrize(
    ("param", "value"),
    [("status", "gone"), ("contract", "CT-BETA"), ("contract", "NO-SUCH"), ("q", "x" * 101)],
)
def test_items_refuse_an_invalid_filter(client, world, items, param, value):
    """CT-BETA is another supplier's contract: not a choice here, so it cannot reach its items."""
    client.force_login(world.catalog_manager)
    before = _state()

    page = client.get(_items(world), {param: value})
    api = client.get(_items_api(world), {param: value})

    body = page.content.decode()
    assert page.status_code == 400
    assert "Please correct 1 problem" in body and f'id="id_{param}-error"' in body
    assert "A-1" not in body and "Z-9" not in body
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "invalid" and error["message"] == "Some fields are not valid."
    assert list(error["fields"]) == [param]
    assert _state() == before


def test_items_contract_choices_are_the_suppliers_own(client, world, items):
    client.force_login(world.catalog_manager)
    body = client.get(_items(world)).content.decode()
    assert '<option value="CT-GAMMA">' in body and "CT-BETA" not in body
    assert '<option value="" selected>All contracts</option>' in body


@pytest.mark.parametrize("api", [False, True])
def test_items_filtered_list_runs_the_same_queries_for_1_and_60_rows(client, world, contract, api):
    client.force_login(world.catalog_manager)
    url = _items_api(world) if api else _items(world)
    params = {"q": "batt", "contract": "CT-ALPHA", "status": "active"}
    make_item(contract, "R-000", name="Row battery")
    one = _queries(client, url, params)
    for n in range(1, 60):
        make_item(contract, f"R-{n:03d}", name="Row battery")
    assert _queries(client, url, params) == one


# --- The co-op's price changes --------------------------------------------------------------------------------


def _changes(world):
    return f"/coops/{world.coop.slug}/price-changes/"


def _changes_api(world):
    return f"/api/v1/coops/{world.coop.slug}/price-changes/"


@pytest.fixture
def changes(world, contract, other_contract):
    """P-1 waits for approval (on CT-ALPHA); every make_item also records an applied change; CT-BETA is another
    co-op's contract with another supplier's pending increase."""
    item = make_item(contract, "P-1", price="12.00", list_price="20.00", name="Pending lamp")
    catalog_item_price_request(item=item, actor=world.catalog_manager, contract_price=Decimal("13.00"))
    make_item(contract, "H-1", name="Historic cell")
    theirs = make_item(other_contract, "Z-9", price="12.00", list_price="20.00")
    catalog_item_price_request(item=theirs, actor=world.other_supplier_admin, contract_price=Decimal("13.00"))


def _skus(response):
    return sorted(r["item"]["sku"] for r in response.json()["results"])


def test_price_changes_default_to_pending_when_status_is_absent(client, world, changes):
    client.force_login(world.coop_staff)

    page = client.get(_changes(world))
    api = client.get(_changes_api(world))

    body = page.content.decode()
    assert page.status_code == 200 and "P-1" in body and "H-1" not in body and "Z-9" not in body
    assert '<option value="pending" selected>' in body
    assert [(r["item"]["sku"], r["status"]) for r in api.json()["results"]] == [("P-1", "pending")]


def test_price_changes_empty_status_means_any_status(client, world, changes):
    client.force_login(world.coop_staff)

    page = client.get(_changes(world), {"status": ""})
    api = client.get(_changes_api(world), {"status": ""})

    body = page.content.decode()
    assert "P-1" in body and "H-1" in body and "Z-9" not in body
    assert '<option value="" selected>Any status</option>' in body
    assert _skus(api) == ["H-1", "P-1", "P-1"]  # P-1's first price (applied) and its pending increase


def test_price_changes_filter_by_status_contract_supplier_and_text(client, world, changes):
    client.force_login(world.coop_staff)
    api = _changes_api(world)

    assert _skus(client.get(api, {"status": "applied"})) == ["H-1", "P-1"]
    assert _skus(client.get(api, {"status": "", "q": "historic"})) == ["H-1"]
    assert _skus(client.get(api, {"status": "", "contract": "CT-ALPHA", "supplier": world.supplier.slug})) == [
        "H-1",
        "P-1",
        "P-1",
    ]
    # another co-op's supplier: a valid slug, but the co-op's own rows are all this list can show
    assert _skus(client.get(api, {"status": "", "supplier": world.other_supplier.slug})) == []
    body = client.get(_changes(world), {"status": "applied", "q": "historic"}).content.decode()
    assert "H-1" in body and "P-1" not in body


@pytest.mark.parametrize(("param", "value"), [("status", "maybe"), ("contract", "CT-BETA"), ("q", "x" * 101)])
def test_price_changes_refuse_an_invalid_filter(client, world, changes, param, value):
    client.force_login(world.coop_staff)
    before = _state()

    page = client.get(_changes(world), {param: value})
    api = client.get(_changes_api(world), {param: value})

    body = page.content.decode()
    assert page.status_code == 400
    assert "Please correct 1 problem" in body and f'id="id_{param}-error"' in body
    assert "P-1" not in body and "Z-9" not in body
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [param]
    assert "not one of the available choices" in error["fields"][param][0] or param == "q"
    assert _state() == before


@pytest.mark.parametrize("api", [False, True])
def test_price_change_list_runs_the_same_queries_for_1_and_many_rows(client, world, contract, api):
    client.force_login(world.coop_staff)
    url = _changes_api(world) if api else _changes(world)
    params = {"status": "", "contract": "CT-ALPHA", "q": "row"}
    make_item(contract, "R-000", name="Row lamp")
    one = _queries(client, url, params)
    for n in range(1, 30):
        make_item(contract, f"R-{n:03d}", name="Row lamp")
    assert _queries(client, url, params) == one


# --- The supplier's catalog imports (API) ------------------------------------------------------------------------


def _imports_api(world):
    return f"/api/v1/suppliers/{world.supplier.slug}/catalog-imports/"


@pytest.fixture
def imports(world, contract):
    gamma = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-GAMMA")
    first = catalog_import_create(contract=contract, actor=world.catalog_manager, file=upload(csv_bytes([row()])))
    second = catalog_import_create(contract=gamma, actor=world.catalog_manager, file=upload(csv_bytes([row()])))
    CatalogImport.objects.unscoped().filter(pk=second.pk).update(status="rejected")
    return first, second


def test_imports_filter_by_contract_and_status(client, world, imports):
    first, second = imports
    client.force_login(world.catalog_manager)
    api = _imports_api(world)

    def ids(params):
        return [r["id"] for r in client.get(api, params).json()["results"]]

    assert ids({}) == [str(second.public_id), str(first.public_id)]
    assert ids({"contract": "CT-ALPHA"}) == [str(first.public_id)]
    assert ids({"status": "rejected"}) == [str(second.public_id)]
    assert ids({"contract": "CT-ALPHA", "status": "rejected"}) == []


@pytest.mark.parametrize(("param", "value"), [("status", "done"), ("contract", "CT-BETA")])
def test_imports_refuse_an_invalid_filter(client, world, imports, other_contract, param, value):
    client.force_login(world.catalog_manager)
    before = _state()

    response = client.get(_imports_api(world), {param: value})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [param]
    assert _state() == before
