"""The one place a requisition changes status (same shape as `po_transition`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import ApplicationError
from marketplace.core.models import User
from marketplace.core.services.audit import audit_record
from orders.purchase_orders.models import OrderEvent
from orders.requisitions.models import REQUISITION_TRANSITIONS, Requisition, RequisitionStatus


def requisition_transition(*, requisition: Requisition, to: str, actor: User | None, note: str = "") -> Requisition:
    if to not in RequisitionStatus.values:
        raise ApplicationError(
            "invalid", f"Unknown status “{to}”.", {"to": [f"Choose one of {', '.join(RequisitionStatus.values)}."]}
        )
    with transaction.atomic():
        requisition = Requisition.objects.select_for_update().select_related("agency").get(pk=requisition.pk)
        current = requisition.status
        if to not in REQUISITION_TRANSITIONS[current]:
            raise ApplicationError(
                "invalid_transition",
                f"A requisition that is “{RequisitionStatus(current).label.lower()}” cannot become "
                f"“{RequisitionStatus(to).label.lower()}”.",
                status=409,
            )
        requisition.status = to
        requisition.decided_at = timezone.now()
        requisition.save(update_fields=["status", "decided_at"])
        OrderEvent.objects.create(requisition=requisition, actor=actor, from_status=current, to_status=to, note=note)
        audit_record(
            actor=actor,
            action=f"requisition.{to}",
            organization=requisition.agency,
            obj=requisition,
            before={"status": current},
            after={"status": to, **({"note": note} if note else {})},
        )
    return requisition
