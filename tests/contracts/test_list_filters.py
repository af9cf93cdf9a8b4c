"""Contract list filters (contracts/filters.py), through HTTP: the co-op's contract list and the public list narrow
the HTML page and the API alike, refuse an unknown value (a form error on the page, the documented 400 in the API)
without changing anything, never show another tenant's or a draft contract, and keep a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import Contract
from marketplace.core.models import AuditEvent
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

COOP_PAGE = "/coops/alpha-coop/contracts/"
COOP_API = "/api/v1/coops/alpha-coop/contracts/"
PUBLIC_PAGE = "/contracts/"
PUBLIC_API = "/api/v1/contracts/"


def _state():
    return tuple(Contract.objects.unscoped().order_by("pk").values_list("pk", "status", "title", "states")), (
        AuditEvent.objects.count()
    )


def _numbers(response):
    return sorted(r["number"] for r in response.json()["results"])


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def contracts(world):
    def make(number, status, title="Batteries and lighting", states=(), coop=None):
        return ContractFactory(
            cooperative=coop or world.coop,
            supplier=world.supplier,
            number=number,
            status=status,
            title=title,
            states=list(states),
        )

    make("LAMP-ACTIVE", "active", title="Lamps and lanterns", states=["FL"])
    make("CELL-ACTIVE", "active", title="Cells", states=["TX"])
    make("LAMP-EXPIRED", "expired", title="Old lamps")
    make("LAMP-DRAFT", "draft", title="Draft lamps")
    make("LAMP-THEIRS", "active", title="Their lamps", coop=world.other_coop)


# --- The co-op's contracts -----------------------------------------------------------------------------------


def test_coop_list_filters_by_status_and_text_on_the_page_and_in_the_api(client, world, contracts):
    client.force_login(world.coop_staff)
    query = {"q": "lamp", "status": "active"}

    page = client.get(COOP_PAGE, query)
    api = client.get(COOP_API, query)

    body = page.content.decode()
    assert page.status_code == 200 and "LAMP-ACTIVE" in body
    assert "LAMP-EXPIRED" not in body and "CELL-ACTIVE" not in body and "LAMP-THEIRS" not in body
    assert '<option value="active" selected>Active</option>' in body and 'value="lamp"' in body
    assert _numbers(api) == ["LAMP-ACTIVE"]
    assert _numbers(client.get(COOP_API, {"status": "draft"})) == ["LAMP-DRAFT"]
    assert _numbers(client.get(COOP_API, {"q": "lamp"})) == ["LAMP-ACTIVE", "LAMP-DRAFT", "LAMP-EXPIRED"]


def test_coop_list_shows_no_match_message(client, world, contracts):
    client.force_login(world.coop_staff)
    body = client.get(COOP_PAGE, {"q": "nothing-like-this"}).content.decode()
    assert "No contracts match these filters" in body


@pytest.mark.parametrize(("param", "value"), [("status", "archived"), ("q", "x" * 101)])
def test_coop_list_refuses_an_invalid_filter(client, world, contracts, param, value):
    client.force_login(world.coop_staff)
    before = _state()

    page = client.get(COOP_PAGE, {param: value})
    api = client.get(COOP_API, {param: value})

    body = page.content.decode()
    assert page.status_code == 400
    assert "Please correct 1 problem" in body and f'id="id_{param}-error"' in body
    assert "LAMP-ACTIVE" not in body
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [param]
    assert _state() == before


@pytest.mark.parametrize("url", [COOP_PAGE, COOP_API])
def test_coop_filtered_list_runs_the_same_queries_for_1_and_30_rows(client, world, url):
    client.force_login(world.coop_staff)
    params = {"q": "row", "status": "active"}
    ContractFactory(cooperative=world.coop, supplier=world.supplier, title="Row contract")
    one = _queries(client, url, params)
    for _ in range(29):
        ContractFactory(cooperative=world.coop, supplier=world.supplier, title="Row contract")
    assert _queries(client, url, params) == one


# --- The public list -----------------------------------------------------------------------------------------


def test_public_list_filters_by_state_and_text(client, contracts):
    page = client.get(PUBLIC_PAGE, {"state": "FL", "q": "lamp"})

    body = page.content.decode()
    assert page.status_code == 200 and "LAMP-ACTIVE" in body and "CELL-ACTIVE" not in body
    assert "LAMP-DRAFT" not in body  # drafts are not public, whatever the filters
    assert '<option value="FL" selected>Florida</option>' in body
    # no state limit means usable everywhere; a lower-case code is the same state
    assert _numbers(client.get(PUBLIC_API, {"state": "tx"})) == [
        "CELL-ACTIVE",
        "LAMP-EXPIRED",
        "LAMP-THEIRS",
    ]
    assert _numbers(client.get(PUBLIC_API, {"q": "draft"})) == []


@pytest.mark.parametrize(("param", "value"), [("state", "XY"), ("q", "x" * 101)])
def test_public_list_refuses_an_invalid_filter(client, contracts, param, value):
    before = _state()

    page = client.get(PUBLIC_PAGE, {param: value})
    api = client.get(PUBLIC_API, {param: value})

    body = page.content.decode()
    assert page.status_code == 400
    assert "Please correct 1 problem" in body and f'id="id_{param}-error"' in body
    assert "LAMP-ACTIVE" not in body
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [param]
    assert _state() == before


@pytest.mark.parametrize("url", [PUBLIC_PAGE, PUBLIC_API])
def test_public_filtered_list_runs_the_same_queries_for_1_and_30_rows(client, world, url):
    params = {"q": "row", "state": "FL"}
    ContractFactory(cooperative=world.coop, supplier=world.supplier, title="Row contract")
    one = _queries(client, url, params)
    for _ in range(29):
        ContractFactory(cooperative=world.coop, supplier=world.supplier, title="Row contract", states=["FL"])
    assert _queries(client, url, params) == one


def test_public_list_with_no_match_offers_to_clear_the_search(client, contracts):
    body = client.get(PUBLIC_PAGE, {"q": "nothing-like-this", "state": "FL"}).content.decode()

    assert "No published contracts match this search." in body
    assert '<a class="usa-link" href="/contracts/">Clear search</a>' in body
    assert "LAMP-ACTIVE" not in body


def test_public_list_without_a_search_has_no_clear_search_link(client, contracts):
    body = client.get(PUBLIC_PAGE).content.decode()

    assert "LAMP-ACTIVE" in body and "Clear search" not in body
