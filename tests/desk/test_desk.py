"""The supplier order desk: acknowledge / reject, shipments per line (partial), backorders, cancelling part of a
line with the agency's consent; every refusal leaves everything as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from marketplace.core.models import AuditEvent
from orders.models import CancellationStatus, LineCancellation, OrderEvent, POStatus, PurchaseOrderLine, Shipment
from tests.desk.helpers import desk_state, released_po

pytestmark = pytest.mark.django_db

API = "/api/v1/suppliers/alpha-cells/purchase-orders"


@pytest.fixture
def clerk(world, make_member):
    return make_member(world.supplier, "order_desk", email="desk@alpha-cells.test")


@pytest.fixture
def api(client, clerk):
    client.force_login(clerk)
    return client


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def _lines(po):
    return list(po.lines.order_by("id"))


# --- Acknowledge / reject ------------------------------------------------------------------------------------------


def test_acknowledge_moves_sent_to_acknowledged_with_event_and_audit(world, api, clerk):
    po = released_po(world)
    response = _post(api, f"{API}/{po.public_id}/acknowledge/", {"note": "On it"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "acknowledged"
    assert response.json()["timeline"][-1]["to_label"] == "Acknowledged"
    po.refresh_from_db()
    assert po.status == POStatus.ACKNOWLEDGED
    event = OrderEvent.objects.filter(purchase_order=po).latest("id")
    assert (event.actor, event.from_status, event.to_status, event.note) == (clerk, "sent", "acknowledged", "On it")
    assert AuditEvent.objects.filter(action="purchase_order.acknowledged").count() == 1


def test_acknowledging_another_suppliers_po_through_own_url_is_404(world, api):
    theirs = released_po(world)
    theirs.supplier = world.other_supplier
    theirs.save(update_fields=["supplier"])
    before = desk_state(theirs)
    response = _post(api, f"{API}/{theirs.public_id}/acknowledge/", {})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert desk_state(theirs) == before


def test_an_unreleased_po_is_not_on_the_desk(world, api):
    waiting = released_po(world, status=POStatus.PENDING_APPROVAL, sent_at=None)
    assert api.get(f"{API}/{waiting.public_id}/").status_code == 404
    assert _post(api, f"{API}/{waiting.public_id}/acknowledge/", {}).status_code == 404
    assert waiting.number not in api.get(f"{API}/").content.decode()


def test_acknowledge_twice_is_refused_409(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    before = desk_state(po)
    response = _post(api, f"{API}/{po.public_id}/acknowledge/", {})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert desk_state(po) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_a_reason_is_refused_and_changes_nothing(world, api, reason):
    po = released_po(world)
    before = desk_state(po)
    response = _post(api, f"{API}/{po.public_id}/reject/", {"reason": reason})
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    assert desk_state(po) == before


def test_reject_with_a_reason_is_on_the_timeline_and_tells_the_requester(world, api):
    po = released_po(world)
    response = _post(api, f"{API}/{po.public_id}/reject/", {"reason": "Discontinued by the maker"})
    assert response.status_code == 200
    po.refresh_from_db()
    assert po.status == POStatus.REJECTED
    assert response.json()["timeline"][-1]["note"] == "Discontinued by the maker"
    assert world.requester.notifications.filter(title__contains="rejected").exists()


# --- Shipments -----------------------------------------------------------------------------------------------------


def _ship(api, po, quantities, **fields):
    body = {
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "ship_date": dt.date(2026, 1, 20).isoformat(),
        "lines": [{"line": line.id, "quantity": q} for line, q in quantities],
        **fields,
    }
    return _post(api, f"{API}/{po.public_id}/shipments/", body)


def test_partial_then_full_shipment(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    first, second = _lines(po)  # 2 each
    response = _ship(api, po, [(first, 1)])
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "partially_shipped"
    assert [line["quantity_open"] for line in response.json()["lines"]] == [1, 2]
    response = _ship(api, po, [(first, 1), (second, 2)], tracking_number="1Z1000")
    assert response.status_code == 201
    assert response.json()["status"] == "shipped"
    assert Shipment.objects.filter(purchase_order=po).count() == 2
    shipped = PurchaseOrderLine.objects.filter(purchase_order=po).values_list("quantity_shipped", flat=True)
    assert list(shipped) == [2, 2]
    labels = [(e["from_label"], e["to_label"]) for e in response.json()["timeline"]]
    assert ("Acknowledged", "Partially shipped") in labels and ("Partially shipped", "Shipped") in labels


def test_a_second_partial_shipment_is_on_the_timeline(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED, lines=1)
    (line,) = _lines(po)
    line.quantity = 5
    line.save(update_fields=["quantity"])
    _ship(api, po, [(line, 1)])
    response = _ship(api, po, [(line, 1)], tracking_number="SECOND-TRACK")
    assert response.json()["status"] == "partially_shipped"
    assert "SECOND-TRACK" in response.json()["timeline"][-1]["note"]


def test_shipping_more_than_ordered_is_refused_and_changes_nothing(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    first, second = _lines(po)
    before = desk_state(po)
    response = _ship(api, po, [(first, 1), (second, 3)])
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "over_shipped"
    assert f"lines.{second.id}.quantity" in body["fields"]
    assert "only 2" in body["fields"][f"lines.{second.id}.quantity"][0]
    assert desk_state(po) == before  # not even the valid first line


def test_shipping_on_a_po_that_is_not_acknowledged_is_refused(world, api):
    po = released_po(world, status=POStatus.SENT)
    before = desk_state(po)
    response = _ship(api, po, [(_lines(po)[0], 1)])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_acknowledged"
    assert desk_state(po) == before


def test_a_ship_date_in_the_future_is_refused(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    before = desk_state(po)
    response = _ship(api, po, [(_lines(po)[0], 1)], ship_date=(dt.date.today() + dt.timedelta(days=3)).isoformat())
    assert response.status_code == 400
    assert "ship_date" in response.json()["error"]["fields"]
    assert desk_state(po) == before


def test_a_line_of_another_order_is_refused(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    other = released_po(world, status=POStatus.ACKNOWLEDGED)
    before = desk_state(po), desk_state(other)
    response = _ship(api, po, [(_lines(other)[0], 1)])
    assert response.status_code == 400
    assert (desk_state(po), desk_state(other)) == before


def test_the_database_refuses_shipping_more_than_is_open(world):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    line = _lines(po)[0]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE orders_purchaseorderline SET quantity_shipped = quantity + 1 WHERE id = %s", [line.id])
    line.quantity_cancelled = 1
    line.save(update_fields=["quantity_cancelled"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseOrderLine.objects.filter(pk=line.pk).update(quantity_shipped=2)  # 2 > 2 − 1
    line.refresh_from_db()
    assert line.quantity_shipped == 0


# --- Backorders ----------------------------------------------------------------------------------------------------


def test_backorder_a_line_and_clear_it(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    line = _lines(po)[1]
    later = dt.date.today() + dt.timedelta(days=30)
    response = _post(api, f"{API}/{po.public_id}/backorders/", {"line": line.id, "expected_date": later.isoformat()})
    assert response.status_code == 200
    assert response.json()["lines"][1]["backordered_until"] == later.isoformat()
    assert "backordered" in response.json()["timeline"][-1]["note"]
    response = _post(api, f"{API}/{po.public_id}/backorders/", {"line": line.id, "expected_date": None})
    assert response.json()["lines"][1]["backordered_until"] is None


def test_backorder_in_the_past_is_refused(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    before = desk_state(po)
    body = {"line": _lines(po)[0].id, "expected_date": "2020-01-01"}
    assert _post(api, f"{API}/{po.public_id}/backorders/", body).status_code == 400
    assert desk_state(po) == before


# --- Cancelling part of a line: the agency consents ----------------------------------------------------------------


def test_cancel_request_needs_the_agencys_consent(world, api, client, clerk):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    first, second = _lines(po)
    _ship(api, po, [(first, 2)])
    response = _post(
        api, f"{API}/{po.public_id}/cancellations/", {"line": second.id, "quantity": 2, "reason": "Out of stock"}
    )
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    second.refresh_from_db()
    assert second.quantity_cancelled == 0  # nothing changes until the agency agrees
    assert world.requester.notifications.filter(title__contains="asks to cancel").exists()

    client.force_login(world.requester)  # the member who placed the order
    agency_api = f"/api/v1/agencies/city-of-alpha/orders/{po.public_id}/cancellations/{request_id}/"
    response = _post(client, agency_api, {"decision": "approve"})
    assert response.status_code == 200, response.content
    second.refresh_from_db()
    po.refresh_from_db()
    assert second.quantity_cancelled == 2
    assert po.status == POStatus.SHIPPED  # everything open is now shipped or cancelled
    assert _post(client, agency_api, {"decision": "decline"}).status_code == 409  # once


def test_declined_cancel_request_changes_no_quantity(world, api, client):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    line = _lines(po)[0]
    made = _post(api, f"{API}/{po.public_id}/cancellations/", {"line": line.id, "quantity": 1, "reason": "Short"})
    client.force_login(world.agency_admin)
    url = f"/api/v1/agencies/city-of-alpha/orders/{po.public_id}/cancellations/{made.json()['id']}/"
    assert _post(client, url, {"decision": "decline", "note": "We need them"}).status_code == 200
    line.refresh_from_db()
    assert line.quantity_cancelled == 0
    assert LineCancellation.objects.get().status == CancellationStatus.DECLINED


def test_cancel_request_for_more_than_is_open_is_refused(world, api):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    before = desk_state(po)
    body = {"line": _lines(po)[0].id, "quantity": 3, "reason": "x"}
    assert _post(api, f"{API}/{po.public_id}/cancellations/", body).status_code == 400
    assert desk_state(po) == before


def test_a_member_who_is_not_the_buyer_nor_an_approver_cannot_consent(world, api, client, make_member):
    po = released_po(world, status=POStatus.ACKNOWLEDGED)
    made = _post(
        api, f"{API}/{po.public_id}/cancellations/", {"line": _lines(po)[0].id, "quantity": 1, "reason": "Short"}
    )
    finance = make_member(world.agency, "finance", email="finance@alpha.test")
    client.force_login(finance)
    before = desk_state(po)
    url = f"/api/v1/agencies/city-of-alpha/orders/{po.public_id}/cancellations/{made.json()['id']}/"
    assert _post(client, url, {"decision": "approve"}).status_code == 403
    assert desk_state(po) == before


# --- The HTML desk -------------------------------------------------------------------------------------------------


def test_desk_page_acknowledges_and_ships(world, client, clerk):
    po = released_po(world)
    client.force_login(clerk)
    page = f"/suppliers/alpha-cells/orders/{po.public_id}/"
    assert _lines(po)[0].sku in client.get(page).content.decode()
    assert client.post(page, {"action": "acknowledge"}).status_code == 302
    first = _lines(po)[0]
    response = client.post(
        page,
        {"action": "ship", "carrier": "Store delivery", "ship_date": "2026-01-20", f"line-{first.id}-quantity": "9"},
    )
    assert response.status_code == 400
    assert "only 2" in response.content.decode()
    response = client.post(
        page,
        {"action": "ship", "carrier": "Store delivery", "ship_date": "2026-01-20", f"line-{first.id}-quantity": "2"},
    )
    assert response.status_code == 302
    po.refresh_from_db()
    assert po.status == POStatus.PARTIALLY_SHIPPED
    body = client.get(page).content.decode()
    assert "Acknowledged → Partially shipped" in body


def test_desk_page_reject_without_reason_says_so(world, client, clerk):
    po = released_po(world)
    client.force_login(clerk)
    before = desk_state(po)
    response = client.post(f"/suppliers/alpha-cells/orders/{po.public_id}/", {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    assert desk_state(po) == before


def test_catalog_manager_cannot_use_the_desk(world, client):
    po = released_po(world)
    client.force_login(world.catalog_manager)
    assert client.get("/suppliers/alpha-cells/orders/").status_code == 403
    assert _post(client, f"{API}/{po.public_id}/acknowledge/", {}).status_code == 403
