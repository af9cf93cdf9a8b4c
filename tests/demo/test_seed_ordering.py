"""`seed_demo` gives the demo city its ordering set-up, an emergency kit template and an order in every state the
order machine reaches today, made through the real services; a second run adds and changes nothing."""

import pytest
from django.core.management import call_command

from agencies.models import ApprovalRule, Department, FundCode, MemberDefaults, TaxExemptionCertificate
from marketplace.core.models import AuditEvent, Notification, OutboxTask, User
from orders.models import (
    Approval,
    CartLine,
    OrderEvent,
    OrderTemplate,
    OrderTemplateLine,
    PurchaseOrder,
    PurchaseOrderLine,
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
        list(PurchaseOrderLine.objects.values_list("pk", "quantity", "quantity_shipped").order_by("pk")),
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
        "shipped",
        "rejected",
        "cancelled",
    }
    assert all(po.number.startswith("MRC-") for po in pos.exclude(status__in=["pending_approval", "rejected"]))
    assert pos.filter(is_emergency=True).exists() and pos.filter(fulfilment="store_pickup").exists()
    assert all(po.tax_exempt for po in pos)
    assert pos.filter(pdf_status="ready").count() == 5  # rendered in process: ready on first start
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
