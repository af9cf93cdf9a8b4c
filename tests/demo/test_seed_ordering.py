"""`seed_demo` gives the demo city its ordering set-up, an emergency kit template and an order in every state the
order machine reaches today, made through the real services; a second run adds and changes nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from agencies.models import ApprovalRule, Department, FundCode, MemberDefaults, TaxExemptionCertificate
from marketplace.core.models import AuditEvent, Notification, OutboxTask, User
from orders.models import (
    AdminFeeAccrual,
    Approval,
    CartLine,
    Discrepancy,
    Invoice,
    OrderEvent,
    OrderTemplate,
    OrderTemplateLine,
    Payment,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    Requisition,
    Shipment,
)

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(Department.objects.values_list("pk", "name", "is_active").order_by("pk")),
        list(FundCode.objects.values_list("pk", "code", "is_active").order_by("pk")),
        list(ApprovalRule.objects.values_list("pk", "min_amount", "approvals_required", "is_emergency").order_by("pk")),
        list(TaxExemptionCertificate.objects.values_list("pk", "number", "removed_at").order_by("pk")),
        list(MemberDefaults.objects.values_list("pk", "facility_id", "fund_code_id").order_by("pk")),
        list(OrderTemplate.objects.values_list("pk", "name").order_by("pk")),
        list(OrderTemplateLine.objects.values_list("pk", "item_id", "quantity").order_by("pk")),
        list(Requisition.objects.values_list("pk", "status", "total").order_by("pk")),
        list(PurchaseOrder.objects.values_list("pk", "number", "status", "subtotal", "pdf_status").order_by("pk")),
        list(
            PurchaseOrderLine.objects.values_list(
                "pk", "quantity", "quantity_shipped", "quantity_received", "quantity_damaged", "quantity_invoiced"
            ).order_by("pk")
        ),
        list(Invoice.objects.values_list("pk", "number", "status", "total", "amount_paid").order_by("pk")),
        [m.objects.count() for m in (Receipt, Discrepancy, Payment, AdminFeeAccrual)],
        [m.objects.count() for m in (Approval, OrderEvent, Shipment, CartLine, Notification, OutboxTask)],
        AuditEvent.objects.count(),
    )


def test_seed_demo_orders_are_idempotent():
    call_command("seed_demo", "--quiet-logins", "--items", "300")
    first = _state()

    call_command("seed_demo", "--quiet-logins", "--items", "300")

    assert _state() == first


def test_every_state_of_the_order_machine_has_a_demo_order(client):
    call_command("seed_demo", "--quiet-logins")  # the full demo catalog: every price band the orders pick from

    pos = PurchaseOrder.objects.filter(agency__slug="city-of-maple-ridge")
    assert set(pos.values_list("status", flat=True)) >= {
        "pending_approval",
        "sent",
        "acknowledged",
        "partially_shipped",
        "invoiced",
        "closed",
        "rejected",
        "cancelled",
    }
    assert all(po.number.startswith("MRC-") for po in pos.exclude(status__in=["pending_approval", "rejected"]))
    assert pos.filter(is_emergency=True).exists() and pos.filter(fulfilment="store_pickup").exists()
    assert all(po.tax_exempt for po in pos)
    assert pos.filter(pdf_status="ready").count() == 6  # rendered in process: ready on first start
    assert ApprovalRule.objects.filter(agency__slug="city-of-maple-ridge", is_active=True).count() == 4

    approver = User.objects.get(email="approver@maple-ridge.test")
    client.force_login(approver)
    assert "hurricane-season backup power" in client.get("/agencies/city-of-maple-ridge/approvals/").content.decode()
    client.force_login(User.objects.get(email="buyer@maple-ridge.test"))
    templates = client.get("/agencies/city-of-maple-ridge/order-templates/").content.decode()
    assert "Emergency backup power kit" in templates
    sent = pos.get(status="partially_shipped")
    page = client.get(f"/agencies/city-of-maple-ridge/purchase-orders/{sent.public_id}/", follow=True).content.decode()
    assert sent.number in page and "Reorder" in page and "Partially shipped" in page


def test_demo_orders_run_through_receiving_invoicing_and_payment(client):
    call_command("seed_demo", "--quiet-logins")

    invoices = {i.number: i for i in Invoice.objects.filter(agency__slug="city-of-maple-ridge")}
    closed, ready, held = invoices["BCS-INV-10481"], invoices["BCS-INV-10502"], invoices["BCS-INV-10517"]
    assert (closed.status, closed.amount_paid, closed.balance_due) == ("paid", closed.total, 0)
    assert closed.purchase_order.status == "closed"
    fee = AdminFeeAccrual.objects.get(payment__invoice=closed)
    assert fee.fee == (closed.total * fee.rate).quantize(Decimal("0.01")) and fee.fee > 0
    assert (ready.status, ready.purchase_order.status, ready.pdf_status) == ("ready", "invoiced", "ready")
    assert held.status == "on_hold" and "received" in held.match_problems[0]["problem"]
    assert Discrepancy.objects.get(purchase_order=held.purchase_order).kind == "damaged"

    client.force_login(User.objects.get(email="finance@maple-ridge.test"))
    page = client.get(f"/agencies/city-of-maple-ridge/invoices/{ready.public_id}/").content.decode()
    assert "Pay by card" in page and "Record an ACH or check payment" in page
    page = client.get(f"/agencies/city-of-maple-ridge/invoices/{held.public_id}/").content.decode()
    assert "Decide the hold" in page and "Accept exception" in page


def test_a_benchmark_sized_catalog_still_gets_its_demo_orders():
    """Bulk items (`seed_demo --items` above 2,000) have no price history, so checkout refuses them: the demo's
    orders must pick the realistic items even where a bulk item is cheaper (the 1M-item search bench failed here)."""
    call_command("seed_demo", "--quiet-logins", "--items", "30000")
    lines = list(PurchaseOrderLine.objects.values_list("sku", flat=True))
    assert lines
    assert not [sku for sku in lines if sku.startswith("BCX-")]
    assert Requisition.objects.count() >= 8
