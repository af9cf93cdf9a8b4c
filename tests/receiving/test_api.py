"""Receiving API: record a delivery and list receipts (agency), list and answer discrepancies (supplier), resolve
(agency); hostile input is a 400 in the documented shape and changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.dates import organization_today
from orders.models import Discrepancy, POStatus
from tests.receiving.helpers import order, po_lines, state

pytestmark = pytest.mark.django_db


def _receipts(po):
    return f"/api/v1/agencies/{po.agency.slug}/purchase-orders/{po.public_id}/receipts/"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_record_list_answer_resolve(client, world, order_desk):
    po = order(world, lines=2, quantity=3)
    first, second = po_lines(po)
    today = organization_today(world.agency).isoformat()
    client.force_login(world.requester)
    response = _post(
        client,
        _receipts(po),
        {
            "received_on": today,
            "complete": True,
            "lines": [
                {"line": first.id, "quantity_received": 3},
                {"line": second.id, "quantity_received": 1, "quantity_damaged": 1, "note": "wet"},
            ],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["order_status"] == POStatus.SHIPPED
    assert body["received_on"] == today
    assert {(d["kind"], d["quantity"], d["sku"]) for d in body["discrepancies"]} == {
        ("damaged", 1, second.sku),
        ("short", 1, second.sku),
    }
    listed = client.get(_receipts(po)).json()
    assert listed["count"] == 1
    assert listed["results"][0]["lines"][1] == {
        "line": second.id,
        "sku": second.sku,
        "quantity_received": 1,
        "quantity_damaged": 1,
        "note": "wet",
    }

    client.force_login(order_desk)
    discrepancies = client.get(
        f"/api/v1/suppliers/{po.supplier.slug}/purchase-orders/{po.public_id}/discrepancies/"
    ).json()["results"]
    assert [d["status"] for d in discrepancies] == ["open", "open"]
    for d in discrepancies:
        answered = _post(
            client, f"/api/v1/suppliers/{po.supplier.slug}/discrepancies/{d['id']}/answer/", {"response": "Credit"}
        )
        assert answered.status_code == 200 and answered.json()["status"] == "answered"

    client.force_login(world.requester)
    for d in discrepancies:
        resolved = _post(
            client, f"/api/v1/agencies/{po.agency.slug}/discrepancies/{d['id']}/resolve/", {"resolution": "OK"}
        )
        assert resolved.status_code == 200 and resolved.json()["resolved_by"]
    po.refresh_from_db()
    assert po.status == POStatus.RECEIVED


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"received_on": "TODAY", "lines": [{"line": 0, "quantity_received": 1}]},
        {"lines": [{"line": "LINE", "quantity_received": 1}], "received_on": "2026-01-01"},
        {"lines": [{"line": "LINE", "quantity_received": -1}]},
        {"lines": [{"line": "LINE", "quantity_received": "1e9"}]},
        {"lines": [{"line": "LINE", "quantity_received": 10**12}]},
        {"lines": [{"line": "LINE", "quantity_received": "abc"}]},
        {"lines": [{"line": "LINE", "quantity_received": 1.5}]},
        {"lines": [{"line": "LINE", "quantity_received": 0, "quantity_damaged": 0}]},
        {"lines": []},
        {"lines": "nope"},
        {"lines": [{"line": "LINE", "quantity_received": 1}], "note": "x" * 10_000},
        {"lines": [{"line": "LINE", "quantity_received": 1}], "note": "nul\x00"},
        {"lines": [{"line": "LINE", "quantity_received": 1, "note": "'\"<script>" * 2000}]},
        {"lines": [{"line": 2**63, "quantity_received": 1}]},
        {"lines": [{"line": "LINE", "quantity_received": 1}], "received_on": "2099-01-01"},
    ],
)
def test_hostile_receipt_input_is_a_400_and_changes_nothing(client, world, body):
    po = order(world)
    (line,) = po_lines(po)
    body = {"received_on": organization_today(world.agency).isoformat(), **body}
    if isinstance(body.get("lines"), list):
        body["lines"] = [{**row, "line": line.id if row["line"] == "LINE" else row["line"]} for row in body["lines"]]
    client.force_login(world.requester)
    before = state(po)
    response = _post(client, _receipts(po), body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    # a NUL never reaches the view: the middleware refuses it as `bad_request`
    assert error["code"] in ("invalid", "bad_request") and error["message"]
    assert state(po) == before


def test_supplier_cannot_record_and_agency_cannot_answer_through_the_api(client, world, order_desk):
    po = order(world, quantity=2)
    (line,) = po_lines(po)
    today = organization_today(world.agency).isoformat()
    client.force_login(world.requester)
    _post(
        client,
        _receipts(po),
        {"received_on": today, "complete": True, "lines": [{"line": line.id, "quantity_received": 1}]},
    )
    discrepancy = Discrepancy.objects.get()
    before = state(po)
    client.force_login(order_desk)
    response = _post(
        client,
        f"/api/v1/agencies/{po.supplier.slug}/purchase-orders/{po.public_id}/receipts/",
        {"received_on": today, "lines": [{"line": line.id, "quantity_received": 1}]},
    )
    assert response.status_code == 404
    client.force_login(world.agency_admin)
    response = _post(
        client, f"/api/v1/suppliers/{po.supplier.slug}/discrepancies/{discrepancy.public_id}/answer/", {"response": "x"}
    )
    assert response.status_code == 404
    assert state(po) == before


def test_resolving_twice_is_a_409(client, world):
    po = order(world, quantity=2)
    (line,) = po_lines(po)
    client.force_login(world.requester)
    today = organization_today(world.agency).isoformat()
    _post(
        client,
        _receipts(po),
        {"received_on": today, "complete": True, "lines": [{"line": line.id, "quantity_received": 1}]},
    )
    url = f"/api/v1/agencies/{po.agency.slug}/discrepancies/{Discrepancy.objects.get().public_id}/resolve/"
    assert _post(client, url, {"resolution": "Accepted"}).status_code == 200
    before = state(po)
    response = _post(client, url, {"resolution": "Again"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_open"
    assert state(po) == before


def test_receipt_and_discrepancy_lists_query_count_is_the_same_for_1_and_many(client, world):
    po = order(world, quantity=50)
    (line,) = po_lines(po)
    today = organization_today(world.agency).isoformat()
    receipts = _receipts(po)
    discrepancies = f"/api/v1/suppliers/{po.supplier.slug}/purchase-orders/{po.public_id}/discrepancies/"

    def deliver():
        client.force_login(world.agency_admin)
        body = {"received_on": today, "lines": [{"line": line.id, "quantity_received": 1, "quantity_damaged": 1}]}
        assert _post(client, receipts, body).status_code == 201

    def count(url, user, rows):
        client.force_login(user)
        client.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).json()["count"] == rows
        return len(queries.captured_queries)

    deliver()
    one = (count(receipts, world.agency_admin, 1), count(discrepancies, world.supplier_admin, 1))
    for _ in range(9):
        deliver()
    assert (count(receipts, world.agency_admin, 10), count(discrepancies, world.supplier_admin, 10)) == one
