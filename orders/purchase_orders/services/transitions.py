"""The one place a purchase order changes status: checks the transition table, locks the row, records an
`OrderEvent` (the order timeline) and an audit row. Callers (release, the order desk, receiving) add their own
rules on top and call this for the move itself."""

from __future__ import annotations

from django.db import transaction

from marketplace.core.errors import ApplicationError
from marketplace.core.models import User
from marketplace.core.services.audit import audit_record
from orders.purchase_orders.models import PO_TRANSITIONS, OrderEvent, POStatus, PurchaseOrder


def po_transition(*, po: PurchaseOrder, to: str, actor: User | None, note: str = "") -> PurchaseOrder:
    """Move `po` to `to` (refused with `invalid_transition`, 409, when the table does not allow it).
    `actor=None` is the system. Returns the locked, updated row."""
    if to not in POStatus.values:
        raise ApplicationError(
            "invalid", f"Unknown status “{to}”.", {"to": [f"Choose one of {', '.join(POStatus.values)}."]}
        )
    with transaction.atomic():
        po = PurchaseOrder.objects.select_for_update().select_related("agency").get(pk=po.pk)
        current = po.status
        if to not in PO_TRANSITIONS[current]:
            raise ApplicationError(
                "invalid_transition",
                f"A purchase order that is “{POStatus(current).label.lower()}” cannot become "
                f"“{POStatus(to).label.lower()}”.",
                status=409,
            )
        po.status = to
        po.save(update_fields=["status"])
        OrderEvent.objects.create(
            purchase_order=po,
            requisition_id=po.requisition_id,
            actor=actor,
            from_status=current,
            to_status=to,
            note=note,
        )
        audit_record(
            actor=actor,
            action=f"purchase_order.{to}",
            organization=po.agency,
            obj=po,
            before={"status": current},
            after={"status": to, **({"note": note} if note else {})},
        )
    return po
