"""Three-way match: an invoice line is checked against its PO line (price) and the agency's receipts
(quantity). Quantities are cumulative in invoice order: on a line received 5 times, a first invoice for 5
matches and a second for 5 more does not."""

from __future__ import annotations

from django.db.models import Sum

from marketplace.core.formatting import money
from orders.billing.models import Invoice, InvoiceLine, InvoiceStatus


def invoice_match_problems(invoice: Invoice) -> list[dict]:
    """The problems that keep `invoice` from matching, one per line at most: [{"line", "sku", "problem"}]."""
    lines = list(invoice.lines.select_related("po_line").order_by("id"))
    earlier = dict(
        InvoiceLine.objects.filter(po_line__in=[line.po_line_id for line in lines], invoice_id__lt=invoice.pk)
        .exclude(invoice__status=InvoiceStatus.VOID)
        .values_list("po_line_id")
        .annotate(total=Sum("quantity"))
    )
    problems = []
    for line in lines:
        po_line = line.po_line
        invoiced = earlier.get(po_line.pk, 0) + line.quantity
        if line.unit_price != po_line.unit_price:
            problem = f"Unit price {money(line.unit_price)} differs from the order's {money(po_line.unit_price)}."
        elif invoiced > po_line.quantity_received:
            problem = (
                f"{invoiced} invoiced so far but {po_line.quantity_received} received"
                + (f" ({po_line.quantity_damaged} damaged)" if po_line.quantity_damaged else "")
                + "."
            )
        else:
            continue
        problems.append({"line": po_line.pk, "sku": line.sku, "problem": problem})
    return problems
