"""One order from cart to closed through the API only, each side with its own member: the requester fills the cart
and checks out, the supplier's order desk acknowledges and ships, the requester records the delivery, the desk
invoices, finance pays on account; the order is closed, every step on its timeline, and the co-op's fee accrued."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.core.dates import organization_today
from orders.models import AdminFeeAccrual, POStatus, PurchaseOrder
from tests.orders.shopping import make_shop

pytestmark = pytest.mark.django_db

AGENCY = "/api/v1/agencies/city-of-alpha"
SUPPLIER = "/api/v1/suppliers/alpha-cells"


def _post(client, user, path, data, status=None):
    client.force_login(user)
    response = client.post(path, data, content_type="application/json")
    if status is not None:
        assert response.status_code == status, response.content
    return response


def test_an_order_runs_from_cart_to_closed_through_the_api(client, world, finance, order_desk):
    shop = make_shop(world)
    shop.contract.admin_fee_rate = Decimal("0.0200")
    shop.contract.save(update_fields=["admin_fee_rate"])
    today = organization_today(world.agency).isoformat()

    _post(client, world.requester, f"{AGENCY}/cart/lines/", {"item": shop.battery.pk, "quantity": 5}, 201)
    checkout = _post(client, world.requester, f"{AGENCY}/checkout/", {"notes": "API journey"}, 201).json()
    assert checkout["status"] == "approved"  # no approval rules: approved and released at once
    po = PurchaseOrder.objects.get(requisition__public_id=checkout["public_id"])
    assert po.status == POStatus.SENT
    line = po.lines.get()

    _post(client, order_desk, f"{SUPPLIER}/purchase-orders/{po.public_id}/acknowledge/", {}, 200)
    _post(
        client,
        order_desk,
        f"{SUPPLIER}/purchase-orders/{po.public_id}/shipments/",
        {"carrier": "UPS", "ship_date": today, "lines": [{"line": line.pk, "quantity": 5}]},
        201,
    )
    receipt = _post(
        client,
        world.requester,
        f"{AGENCY}/purchase-orders/{po.public_id}/receipts/",
        {"received_on": today, "complete": True, "lines": [{"line": line.pk, "quantity_received": 5}]},
        201,
    ).json()
    assert receipt["discrepancies"] == []
    invoice = _post(
        client,
        order_desk,
        f"{SUPPLIER}/purchase-orders/{po.public_id}/invoices/",
        {"number": "AC-API-1", "invoice_date": today, "lines": [{"line": line.pk, "quantity": 5}]},
        201,
    ).json()
    assert (invoice["status"], invoice["total"]) == ("ready", "50.00")
    _post(
        client,
        finance,
        f"{AGENCY}/invoices/{invoice['id']}/payments/",
        {"method": "ach", "amount": "50.00", "paid_on": today, "reference": "ACH 7781"},
        201,
    )

    client.force_login(world.requester)
    order = client.get(f"{AGENCY}/orders/{po.public_id}/").json()
    assert order["status"] == "closed"
    moves = [(e["from_status"], e["to_status"]) for e in order["timeline"] if e["from_status"] != e["to_status"]]
    assert [to for _, to in moves][-7:] == [
        "sent",
        "acknowledged",
        "shipped",
        "received",
        "invoiced",
        "paid",
        "closed",
    ]
    fee = AdminFeeAccrual.objects.get(payment__invoice__number="AC-API-1")
    assert (fee.base_amount, fee.rate, fee.fee) == (Decimal("50.00"), Decimal("0.0200"), Decimal("1.00"))
