"""What terminating a contract would affect, counted for the confirmation page (counts only: the co-op sees no
agency's cart)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from contracts.models import Contract
from marketplace.core.models import Organization
from orders.carts.models import CartLine
from orders.purchase_orders.models import POStatus, PurchaseOrder

# Orders placed but not yet sent to the supplier: terminating does not cancel them (their approvers decide).
NOT_YET_SENT = (POStatus.SUBMITTED, POStatus.PENDING_APPROVAL, POStatus.APPROVED)


@dataclass(frozen=True)
class TerminationImpact:
    cart_lines: int
    carts: int
    agencies_with_carts: int
    orders_waiting: int  # purchase orders on the contract waiting for approval or to be sent


def contract_termination_impact(*, cooperative: Organization, contract: Contract) -> TerminationImpact:
    """Two queries whatever the numbers."""
    carts = CartLine.objects.filter(item__contract=contract).aggregate(
        lines=Count("id"), carts=Count("cart", distinct=True), agencies=Count("cart__agency", distinct=True)
    )
    waiting = (
        PurchaseOrder.objects.for_organization(cooperative).filter(contract=contract, status__in=NOT_YET_SENT).count()
    )
    return TerminationImpact(
        cart_lines=carts["lines"],
        carts=carts["carts"],
        agencies_with_carts=carts["agencies"],
        orders_waiting=waiting,
    )
