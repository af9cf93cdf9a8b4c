"""Demo receiving, invoices and payments for the City of Maple Ridge's shipped orders, made through the real
services (receipts and discrepancies, invoices with the three-way match, an ACH payment, the admin fee, the order
moving on by its facts), so the demo shows an order in each billing state:

- the library cells: received, invoiced, paid by ACH → closed (an admin fee accrued for the co-op);
- the night-crew flashlights: received and invoiced → an invoice ready to pay (pay it by card in `make demo`);
- the storm order: partly shipped, one battery arrived damaged → a discrepancy for the supplier to answer, and the
  supplier's invoice for every shipped unit on hold for finance (more invoiced than received in good order).

Idempotent: an order with a receipt is not received again; an invoice number already used is not invoiced again.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from marketplace.core.dates import organization_today
from marketplace.core.models import Organization, User
from orders.billing.models import Invoice, PaymentMethod
from orders.billing.services.accounts import payment_record
from orders.billing.services.invoice_pdf import invoice_pdf_render
from orders.billing.services.invoices import invoice_create
from orders.purchase_orders.models import PurchaseOrder
from orders.receiving.services import receipt_record

from .ordering import AGENCY, BUYER, ORDER_DESK

FINANCE = "finance@maple-ridge.test"
# (the order's note, invoice number, {line index: damaged units}, ACH reference or "" to leave it unpaid)
BILLING = [
    ("Demo: AA and AAA cells for the library branches' smoke detectors.", "BCS-INV-10481", {}, "ACH 021000021-7741"),
    ("Demo: flashlights for the Public Works night crew.", "BCS-INV-10502", {}, ""),
    (
        "Demo: exit signs and emergency-light batteries knocked out by the storm at Station 3.",
        "BCS-INV-10517",
        {1: 1},
        "",
    ),
]


def seed_billing(log=print) -> dict[str, int]:
    agency = Organization.objects.get(slug=AGENCY)
    users = {u.email: u for u in User.objects.filter(email__in=[BUYER, ORDER_DESK, FINANCE])}
    made = {"receipts": 0, "invoices": 0, "payments": 0}
    render: list[int] = []
    today = organization_today(agency)
    for note, number, damaged, reference in BILLING:
        po = PurchaseOrder.objects.for_organization(agency).filter(requisition__notes=note).order_by("pk").first()
        if po is None or not po.lines.filter(quantity_shipped__gt=0).exists():
            continue
        with transaction.atomic():
            if not po.receipts.exists():
                lines = list(po.lines.order_by("pk"))
                receipt_record(
                    po=po,
                    actor=users[BUYER],
                    received_on=today,
                    lines={
                        line.pk: (
                            line.quantity_shipped - damaged.get(i, 0),
                            damaged.get(i, 0),
                            "Box crushed in transit; one unit leaking." if damaged.get(i) else "",
                        )
                        for i, line in enumerate(lines)
                        if line.quantity_shipped
                    },
                    complete=True,
                    note="Checked in at the dock.",
                )
                made["receipts"] += 1
            if Invoice.objects.filter(supplier=po.supplier, number=number).exists():
                continue
            po.refresh_from_db()
            invoice = invoice_create(
                po=po,
                actor=users[ORDER_DESK],
                number=number,
                invoice_date=today,
                lines={line.pk: (line.quantity_shipped, None) for line in po.lines.filter(quantity_shipped__gt=0)},
                note="Remit to BrightCell Supply, lockbox 4471.",
            )
            made["invoices"] += 1
            render.append(invoice.pk)
            if reference:
                payment_record(
                    invoice=invoice,
                    actor=users[FINANCE],
                    method=PaymentMethod.ACH,
                    amount=Decimal(invoice.total),
                    paid_on=today,
                    reference=reference,
                )
                made["payments"] += 1
    for invoice_id in render:  # made here too, so the pages offer the PDF on first start
        invoice_pdf_render(invoice_id=invoice_id)
    if made["invoices"]:
        log(f"Demo billing: {made['invoices']} invoices, {made['payments']} paid on account.")
    return made


__all__ = ["seed_billing"]
