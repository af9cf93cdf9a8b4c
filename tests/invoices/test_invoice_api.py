"""The invoice API: create through the supplier's order, lists and detail for both sides, decisions, hostile
input answered with a 4xx in the documented shape and nothing changed, and constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Invoice, InvoiceStatus
from tests.invoices.helpers import billing_state, body
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po

pytestmark = pytest.mark.django_db


def _po_url(world, po):
    return f"/api/v1/suppliers/{world.supplier.slug}/purchase-orders/{po.public_id}/invoices/"


def test_create_and_read_back(client, world, order_desk, finance):
    po = receive_all(shipped_po(world, lines=2, quantity=2))
    client.force_login(order_desk)

    response = client.post(_po_url(world, po), body(po, number="API-1"), content_type="application/json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == "API-1" and data["status"] == "ready" and data["match_problems"] == []
    assert isinstance(data["total"], str) and data["total"] == str(Invoice.objects.get().total)
    assert [line["received"] for line in data["lines"]] == [2, 2]
    listed = client.get(_po_url(world, po)).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == data["id"]
    mine = client.get(f"/api/v1/suppliers/{world.supplier.slug}/invoices/?status=ready").json()
    assert [row["number"] for row in mine["results"]] == ["API-1"]

    client.force_login(finance)
    agency = client.get(f"/api/v1/agencies/{world.agency.slug}/invoices/").json()
    assert agency["results"][0]["number"] == "API-1"
    detail = client.get(f"/api/v1/agencies/{world.agency.slug}/invoices/{data['id']}/").json()
    assert detail["lines"][0]["order_unit_price"] == detail["lines"][0]["unit_price"]
    assert detail["payments"] == [] and detail["credit_memos"] == []


def test_hold_decided_through_the_api(client, world, order_desk, finance):
    po = shipped_po(world, quantity=2)
    client.force_login(order_desk)
    created = client.post(_po_url(world, po), body(po, number="H-9"), content_type="application/json").json()
    assert created["status"] == "on_hold" and "0 received" in created["match_problems"][0]["problem"]

    client.force_login(finance)
    base = f"/api/v1/agencies/{world.agency.slug}/invoices/{created['id']}/"
    refused = client.post(base + "accept-exception/", {"note": ""}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["note"]
    disputed = client.post(base + "dispute/", {"reason": "Not received"}, content_type="application/json")
    assert disputed.status_code == 200 and disputed.json()["status"] == "disputed"

    client.force_login(order_desk)
    sbase = f"/api/v1/suppliers/{world.supplier.slug}/invoices/{created['id']}/"
    answered = client.post(sbase + "answer/", {"note": "Delivered"}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["status"] == "on_hold"
    client.force_login(finance)
    client.post(base + "dispute/", {"reason": "Still not"}, content_type="application/json")
    client.force_login(order_desk)
    voided = client.post(sbase + "void/", {"reason": "Withdrawn"}, content_type="application/json")
    assert voided.status_code == 200 and voided.json()["status"] == "void"


def test_requester_gets_403_on_decisions(client, world, order_desk):
    po = shipped_po(world)
    invoice = invoice_rows(po, number="Q-1", user=order_desk, status=InvoiceStatus.ON_HOLD)
    client.force_login(world.requester)
    before = billing_state()
    response = client.post(
        f"/api/v1/agencies/{world.agency.slug}/invoices/{invoice.public_id}/accept-exception/",
        {"note": "mine"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert billing_state() == before


def test_invoice_for_another_suppliers_order_is_a_404(client, world):
    po = receive_all(shipped_po(world))
    client.force_login(world.other_supplier_admin)
    before = billing_state()
    url = f"/api/v1/suppliers/{world.other_supplier.slug}/purchase-orders/{po.public_id}/invoices/"
    response = client.post(url, body(po), content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert billing_state() == before


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.update(number="x" * 10_000),
        lambda b: b.update(number="A\x00B"),
        lambda b: b.update(note="n" * 10_000),
        lambda b: b.update(invoice_date="2026-13-45"),
        lambda b: b.update(invoice_date=None),
        lambda b: b.update(lines=[]),
        lambda b: b.update(lines="all"),
        lambda b: b["lines"][0].update(quantity=-5),
        lambda b: b["lines"][0].update(quantity=10**12),
        lambda b: b["lines"][0].update(quantity="two"),
        lambda b: b["lines"][0].update(quantity=2.5),
        lambda b: b["lines"][0].update(line=10**12),
        lambda b: b["lines"][0].update(line=99999),
        lambda b: b["lines"][0].update(unit_price="NaN"),
        lambda b: b["lines"][0].update(unit_price="1e400"),
        lambda b: b["lines"][0].update(unit_price="-1.00"),
        lambda b: b["lines"][0].update(unit_price="1.234"),
        lambda b: b["lines"][0].update(unit_price="9999999999.99"),
        lambda b: b["lines"].append(dict(b["lines"][0])),
    ],
)
def test_hostile_input_is_a_4xx_and_changes_nothing(client, world, order_desk, mutate):
    po = receive_all(shipped_po(world))
    payload = body(po)
    mutate(payload)
    client.force_login(order_desk)
    before = billing_state()

    response = client.post(_po_url(world, po), payload, content_type="application/json")

    assert 400 <= response.status_code < 500, response.content
    error = response.json()["error"]
    assert error["code"] and error["message"] and isinstance(error["fields"], dict)
    assert billing_state() == before


def test_quotes_in_a_number_are_kept_verbatim(client, world, order_desk):
    po = receive_all(shipped_po(world))
    client.force_login(order_desk)
    number = "'; DROP TABLE x; --\"<b>"
    response = client.post(_po_url(world, po), body(po, number=number), content_type="application/json")
    assert response.status_code == 201 and Invoice.objects.get().number == number
    page = client.get(f"/suppliers/{world.supplier.slug}/invoices/{response.json()['id']}/").content.decode()
    assert "&lt;b&gt;" in page and "<b>" not in page


def test_reused_number_is_a_409_with_the_number_field(client, world, order_desk):
    po = receive_all(shipped_po(world, quantity=4))
    invoice_rows(po, number="DUP-1", user=order_desk, quantities={po.lines.get().id: 1})
    client.force_login(order_desk)
    before = billing_state()
    payload = body(po, number="DUP-1", quantity=1)
    response = client.post(_po_url(world, po), payload, content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "number_taken"
    assert "number" in response.json()["error"]["fields"]
    assert billing_state() == before


def test_above_the_po_is_refused_with_a_clear_message(client, world, order_desk):
    po = receive_all(shipped_po(world, quantity=2))
    client.force_login(order_desk)
    before = billing_state()
    response = client.post(_po_url(world, po), body(po, quantity=3), content_type="application/json")
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "over_invoiced"
    assert "only 2" in next(iter(error["fields"].values()))[0]
    assert billing_state() == before


def test_pdf_not_ready_is_a_409(client, world, finance, order_desk):
    invoice = invoice_rows(shipped_po(world), number="P-1", user=order_desk)
    client.force_login(finance)
    response = client.get(f"/api/v1/agencies/{world.agency.slug}/invoices/{invoice.public_id}/pdf/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "pdf_not_ready"
    client.force_login(order_desk)
    assert client.get(f"/suppliers/{world.supplier.slug}/invoices/{invoice.public_id}/pdf/").status_code == 404


def test_bad_filters_are_a_400(client, world, finance):
    client.force_login(finance)
    for query in ("status=maybe", "due=tomorrow", "due_to=yesterday", "q=" + "x" * 41):
        response = client.get(f"/api/v1/agencies/{world.agency.slug}/invoices/?{query}")
        assert response.status_code == 400, query


@pytest.mark.parametrize(
    ("url", "user"),
    [
        ("/api/v1/agencies/city-of-alpha/invoices/", "finance"),
        ("/api/v1/suppliers/alpha-cells/invoices/", "order_desk"),
        ("/agencies/city-of-alpha/invoices/", "finance"),
        ("/suppliers/alpha-cells/invoices/", "order_desk"),
    ],
)
def test_same_query_count_for_1_and_50_rows(client, world, finance, order_desk, url, user):
    client.force_login(finance if user == "finance" else order_desk)
    po = shipped_po(world, quantity=60)
    line = po.lines.get()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    invoice_rows(po, number="QC-0", user=order_desk, quantities={line.id: 1})
    one = count()
    for n in range(1, 50):
        invoice_rows(po, number=f"QC-{n}", user=order_desk, quantities={line.id: 1})
    assert count() == one
