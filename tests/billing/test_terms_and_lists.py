"""Payment terms per supplier the agency buys from (finance and agency admins; 0–120 days; audited), and the
finance payments list with its filters (page and API, constant query count)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent
from orders.billing.services.accounts import payment_record, payment_terms_set
from orders.models import PaymentTerms
from tests.billing.helpers import money_state, ready_invoice

pytestmark = pytest.mark.django_db


def _terms_page(world):
    return f"/agencies/{world.agency.slug}/payment-terms/"


def test_terms_page_lists_suppliers_bought_from_and_sets_net_days(world, client, finance):
    ready_invoice(world)  # world.agency buys from world.supplier
    client.force_login(finance)
    page = client.get(_terms_page(world)).content.decode()
    assert world.supplier.name in page and "Net 30 (default)" in page
    assert world.other_supplier.name not in page
    response = client.post(_terms_page(world), {"supplier": world.supplier.slug, "net_days": "45"})
    assert response.status_code == 302
    terms = PaymentTerms.objects.get(agency=world.agency, supplier=world.supplier)
    assert (terms.net_days, terms.updated_by) == (45, finance)
    audit = AuditEvent.objects.get(action="payment_terms.set")
    assert (audit.before["net_days"], audit.after["net_days"]) == (30, 45)
    assert "Net 45" in client.get(_terms_page(world)).content.decode()


def test_agency_admin_may_set_terms_too(world):
    ready_invoice(world)
    terms = payment_terms_set(agency=world.agency, supplier=world.supplier, net_days=0, actor=world.agency_admin)
    assert terms.net_days == 0
    terms = payment_terms_set(agency=world.agency, supplier=world.supplier, net_days=120, actor=world.agency_admin)
    assert PaymentTerms.objects.get().net_days == 120


@pytest.mark.parametrize("net_days", ["121", "-1", "abc", "1e3", "99999999999999999999", "", "3.5", "4\x00"])
def test_bad_net_days_are_refused_with_nothing_changed(world, client, finance, net_days):
    ready_invoice(world)
    client.force_login(finance)
    before = money_state()
    response = client.post(_terms_page(world), {"supplier": world.supplier.slug, "net_days": net_days})
    assert response.status_code == 400
    if "\x00" not in net_days:
        assert 'id="error-summary"' in response.content.decode()
    assert money_state() == before


@pytest.mark.parametrize(
    "slug", ["beta-lamps", "no-such-supplier", "city-of-alpha", "'; DROP TABLE x; --", "x" * 10_000]
)
def test_terms_for_a_supplier_not_bought_from_are_refused(world, client, finance, slug):
    ready_invoice(world)
    client.force_login(finance)
    before = money_state()
    response = client.post(_terms_page(world), {"supplier": slug, "net_days": "10"})
    assert response.status_code == 400
    assert money_state() == before


def test_terms_service_refusals(world):
    ready_invoice(world)
    before = money_state()
    with pytest.raises(ApplicationError) as refused:
        payment_terms_set(agency=world.agency, supplier=world.supplier, net_days=10, actor=world.requester)
    assert refused.value.status_code == 403
    with pytest.raises(ApplicationError):
        payment_terms_set(agency=world.agency, supplier=world.other_supplier, net_days=10, actor=world.agency_admin)
    with pytest.raises(ApplicationError):
        payment_terms_set(agency=world.agency, supplier=world.supplier, net_days=121, actor=world.agency_admin)
    assert money_state() == before


def test_requester_cannot_see_or_set_terms(world, client):
    ready_invoice(world)
    client.force_login(world.requester)
    before = money_state()
    assert client.get(_terms_page(world)).status_code == 403
    assert client.post(_terms_page(world), {"supplier": world.supplier.slug, "net_days": "5"}).status_code == 403
    assert money_state() == before


# --- Payments list -----------------------------------------------------------------------------------------------


def _pay(world, finance, number, *, method="ach", amount="5.00", days_ago=0):
    invoice = ready_invoice(world, number=number, quantity=4)
    paid_on = organization_today(world.agency) - dt.timedelta(days=days_ago)
    return payment_record(
        invoice=invoice,
        actor=finance,
        method=method,
        amount=Decimal(amount),
        paid_on=paid_on,
        reference=f"REF-{number}",
    )


def test_payments_list_filters_by_method_status_and_date(world, client, finance):
    _pay(world, finance, "A", method="ach", days_ago=0)
    _pay(world, finance, "B", method="check", days_ago=3)
    client.force_login(finance)
    base = f"/agencies/{world.agency.slug}/payments/"
    page = client.get(base).content.decode()
    assert "REF-A" in page and "REF-B" in page
    checks = client.get(base, {"method": "check"}).content.decode()
    assert "REF-B" in checks and "REF-A" not in checks
    recent = (organization_today(world.agency) - dt.timedelta(days=1)).isoformat()
    api = client.get(f"/api/v1{base}", {"date_from": recent}).json()
    assert [p["reference"] for p in api["results"]] == ["REF-A"]
    assert client.get(f"/api/v1{base}", {"status": "failed"}).json()["count"] == 0
    bad = client.get(f"/api/v1{base}", {"method": "bitcoin"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    assert client.get(base, {"date_from": "not-a-date"}).status_code == 400


def test_payments_list_query_count_does_not_grow_with_rows(world, client, finance):
    _pay(world, finance, "Q1")
    client.force_login(finance)
    url = f"/api/v1/agencies/{world.agency.slug}/payments/"
    page = f"/agencies/{world.agency.slug}/payments/"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as html_one:
        assert client.get(page).status_code == 200
    for n in range(4):
        _pay(world, finance, f"Q{n + 2}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).json()["count"] == 5
    assert len(many) == len(one)
    with CaptureQueriesContext(connection) as html_many:
        assert "REF-Q5" in client.get(page).content.decode()
    assert len(html_many) == len(html_one)
