"""How a purchase order moves from `shipped` to `closed`: from the facts, never by hand. After every receipt,
discrepancy resolution, invoice and payment the service that changed them calls `po_progress`, which

- matches again the invoices on hold that nobody has decided yet (a later receipt can clear a hold);
- moves `shipped → received` when every shipped line is received or its discrepancies resolved;
- `received → invoiced` when the non-void invoices cover every received unit and none is on hold or disputed;
- `invoiced → paid → closed` when every one of those invoices is paid (a PO closes when it is received and every
  invoice is paid)."""

from __future__ import annotations

from django.db import transaction

from marketplace.core.models import User
from orders.billing.models import Invoice, InvoiceStatus
from orders.billing.services.matching import invoice_match_problems
from orders.billing.services.transitions import invoice_transition
from orders.purchase_orders.models import POStatus, PurchaseOrder
from orders.purchase_orders.services.transitions import po_transition
from orders.receiving.models import DiscrepancyStatus


def po_line_receiving_done(line, *, open_discrepancy: bool, resolved_discrepancy: bool) -> bool:
    """A shipped line is done when nothing about it is open and what arrived (good or damaged) covers what was
    shipped, or the difference was resolved."""
    if open_discrepancy:
        return False
    return line.quantity_received + line.quantity_damaged >= line.quantity_shipped or resolved_discrepancy


def invoices_rematch(*, po: PurchaseOrder, actor: User | None) -> list[Invoice]:
    """Release the invoices of `po` on hold that now match (nobody has decided on their hold yet)."""
    released = []
    for invoice in (
        Invoice.objects.select_for_update()
        .filter(purchase_order=po, status=InvoiceStatus.ON_HOLD, hold_decided_at__isnull=True)
        .select_related("purchase_order", "agency")
        .order_by("id")
    ):
        problems = invoice_match_problems(invoice)
        if not problems:
            invoice.match_problems = []
            invoice.save(update_fields=["match_problems"])
            invoice_transition(invoice=invoice, to=InvoiceStatus.READY, actor=actor, note="matched after receiving")
            released.append(invoice)
        elif problems != invoice.match_problems:
            invoice.match_problems = problems
            invoice.save(update_fields=["match_problems"])
    return released


def po_progress(*, po: PurchaseOrder, actor: User | None) -> PurchaseOrder:
    """Move `po` as far along shipped → received → invoiced → paid → closed as its facts allow."""
    with transaction.atomic():
        po = PurchaseOrder.objects.select_for_update().get(pk=po.pk)
        invoices_rematch(po=po, actor=actor)
        if po.status == POStatus.SHIPPED and _received(po):
            po = po_transition(po=po, to=POStatus.RECEIVED, actor=actor, note="every shipped line received")
        if po.status == POStatus.RECEIVED and _invoiced(po):
            po = po_transition(po=po, to=POStatus.INVOICED, actor=actor, note="every received unit invoiced")
        if po.status == POStatus.INVOICED and _paid(po):
            po = po_transition(po=po, to=POStatus.PAID, actor=actor, note="every invoice paid")
        if po.status == POStatus.PAID:
            po = po_transition(po=po, to=POStatus.CLOSED, actor=actor, note="received and every invoice paid")
    return po


def _received(po: PurchaseOrder) -> bool:
    statuses: dict[int, set[str]] = {}
    for line_id, status in po.discrepancies.values_list("po_line_id", "status"):
        statuses.setdefault(line_id, set()).add(status)
    return all(
        po_line_receiving_done(
            line,
            open_discrepancy=bool(statuses.get(line.pk, set()) - {DiscrepancyStatus.RESOLVED}),
            resolved_discrepancy=DiscrepancyStatus.RESOLVED in statuses.get(line.pk, set()),
        )
        for line in po.lines.all()
        if line.quantity_shipped
    )


def _live_invoices(po: PurchaseOrder):
    return po.invoices.exclude(status=InvoiceStatus.VOID)


def _invoiced(po: PurchaseOrder) -> bool:
    invoices = list(_live_invoices(po).values_list("status", flat=True))
    if not invoices or {InvoiceStatus.ON_HOLD, InvoiceStatus.DISPUTED} & set(invoices):
        return False
    return all(line.quantity_invoiced >= line.quantity_received for line in po.lines.all())


def _paid(po: PurchaseOrder) -> bool:
    return all(status == InvoiceStatus.PAID for status in _live_invoices(po).values_list("status", flat=True))
