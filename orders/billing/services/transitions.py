"""The one place an invoice changes status: checks the transition table, records an audit row and a line on the
order's timeline. The caller holds the invoice's row lock."""

from __future__ import annotations

from marketplace.core.errors import ApplicationError
from marketplace.core.models import User
from marketplace.core.services.audit import audit_record
from orders.billing.models import INVOICE_TRANSITIONS, Invoice, InvoiceStatus
from orders.purchase_orders.models import OrderEvent


def invoice_transition(*, invoice: Invoice, to: str, actor: User | None, note: str = "") -> Invoice:
    """Move a locked `invoice` to `to` (refused with `invalid_transition`, 409, when the table does not allow it)."""
    current = invoice.status
    if to not in INVOICE_TRANSITIONS.get(current, frozenset()):
        raise ApplicationError(
            "invalid_transition",
            f"Invoice {invoice.number} is “{InvoiceStatus(current).label.lower()}” and cannot become "
            f"“{InvoiceStatus(to).label.lower()}”.",
            status=409,
        )
    invoice.status = to
    invoice.save(update_fields=["status"])
    po = invoice.purchase_order
    OrderEvent.objects.create(
        purchase_order=po,
        requisition_id=po.requisition_id,
        actor=actor,
        from_status=po.status,
        to_status=po.status,
        note=f"Invoice {invoice.number}: {InvoiceStatus(to).label.lower()}" + (f" — {note}" if note else ""),
    )
    audit_record(
        actor=actor,
        action=f"invoice.{to}",
        organization=invoice.agency,
        obj=invoice,
        before={"status": current},
        after={"status": to, **({"note": note} if note else {})},
    )
    return invoice
