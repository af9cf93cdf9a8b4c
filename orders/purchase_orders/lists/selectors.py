"""Reads of purchase orders for the people on each side of one: the buying agency's order list (mine / my
department / all, by role), the co-op's read-only list of orders on its contracts, and the detail every side sees
(lines, totals, fulfilment, shipments, cancellation requests and the one timeline). The supplier's desk builds on
the same detail (`orders.purchase_orders.desk.selectors`).

Every read starts from `PurchaseOrder.objects.for_organization(org)`; another tenant's order is `None` (a 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum

from agencies.models import MemberDefaults
from marketplace.core.filters import NarrowingFilterSet
from marketplace.core.models import Organization, User
from marketplace.core.roles import Role
from orders.approvals.models import Approval
from orders.purchase_orders.desk.models import LineCancellation
from orders.purchase_orders.models import (
    OrderEvent,
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Shipment,
    ShipmentLine,
)
from orders.requisitions.models import RequisitionStatus
from suppliers.models import StoreLocation

# Agency members who see every order of the agency; a requester sees the orders they placed.
ALL_ORDERS_ROLES = frozenset({Role.APPROVER, Role.FINANCE, Role.AGENCY_ADMIN})
# Orders the supplier and the co-op see: released to the supplier (a PO waiting for approval is the agency's own).
RELEASED = (
    POStatus.SENT,
    POStatus.ACKNOWLEDGED,
    POStatus.PARTIALLY_SHIPPED,
    POStatus.SHIPPED,
    POStatus.RECEIVED,
    POStatus.INVOICED,
    POStatus.PAID,
    POStatus.CLOSED,
)
RELEASED_STATUS_CHOICES = [(s.value, s.label) for s in POStatus if s in RELEASED] + [
    (POStatus.REJECTED.value, POStatus.REJECTED.label),
    (POStatus.CANCELLED.value, POStatus.CANCELLED.label),
]
LIST_RELATED = ("agency", "supplier", "contract", "store", "facility", "requisition__requester")


def released(queryset: QuerySet[PurchaseOrder]) -> QuerySet[PurchaseOrder]:
    """Orders that reached the supplier (rejected or cancelled ones only if they had been sent)."""
    return queryset.filter(Q(status__in=RELEASED) | Q(sent_at__isnull=False))


def _narrow(queryset: QuerySet, filters: NarrowingFilterSet | None) -> QuerySet:
    return filters.narrow(queryset) if filters is not None else queryset


# --- Agency --------------------------------------------------------------------------------------------------------


def sees_all_agency_orders(roles: frozenset[str]) -> bool:
    return bool(roles & ALL_ORDERS_ROLES)


def member_department_id(*, agency: Organization, user: User) -> int | None:
    """A member's department: the department of their default fund code (the one checkout charges by default)."""
    return (
        MemberDefaults.objects.for_organization(agency)
        .filter(user=user, fund_code__isnull=False)
        .values_list("fund_code__department_id", flat=True)
        .first()
    )


def agency_orders(*, agency: Organization, user: User, roles: frozenset[str]) -> QuerySet[PurchaseOrder]:
    """The agency's orders this member may see: all of them for approvers, finance and admins; a requester's own."""
    queryset = PurchaseOrder.objects.for_organization(agency)
    if not sees_all_agency_orders(roles):
        queryset = queryset.filter(requisition__requester=user)
    return queryset


def agency_order_list(
    *, agency: Organization, user: User, roles: frozenset[str], filters: NarrowingFilterSet | None = None
) -> QuerySet[PurchaseOrder]:
    return _narrow(agency_orders(agency=agency, user=user, roles=roles), filters).select_related(*LIST_RELATED)


# Orders whose savings count on the agency home: approved, and every state an approved order moves on to. Drafts,
# orders still waiting for a decision (submitted, waiting for approval), and rejected or cancelled ones do not.
SAVINGS_STATUSES = (POStatus.APPROVED, *RELEASED)


@dataclass(frozen=True)
class AgencySavings:
    """What the member's visible orders saved against list price: Σ (list − contract price) × units not cancelled."""

    amount: Decimal
    list_amount: Decimal
    order_count: int
    everyone: bool  # the agency's orders (approvers, finance, admins); else the member's own

    @property
    def percent(self) -> Decimal | None:
        if not self.list_amount:
            return None
        return (self.amount * 100 / self.list_amount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def agency_savings(*, agency: Organization, user: User, roles: frozenset[str]) -> AgencySavings:
    """Savings so far on the orders this member may see (the same orders as their order list), in one query."""
    orders = agency_orders(agency=agency, user=user, roles=roles).filter(status__in=SAVINGS_STATUSES)
    units = F("quantity") - F("quantity_cancelled")
    money = DecimalField(max_digits=16, decimal_places=2)
    totals = PurchaseOrderLine.objects.filter(purchase_order__in=orders).aggregate(
        amount=Sum(ExpressionWrapper((F("list_price") - F("unit_price")) * units, output_field=money)),
        list_amount=Sum(ExpressionWrapper(F("list_price") * units, output_field=money)),
        order_count=Count("purchase_order", distinct=True),
    )
    return AgencySavings(
        amount=totals["amount"] or Decimal("0.00"),
        list_amount=totals["list_amount"] or Decimal("0.00"),
        order_count=totals["order_count"],
        everyone=sees_all_agency_orders(roles),
    )


def agency_supplier_choices(*, agency: Organization) -> list[tuple[str, str]]:
    rows = (
        PurchaseOrder.objects.for_organization(agency)
        .order_by("supplier__name")
        .values_list("supplier__slug", "supplier__name")
        .distinct()
    )
    return list(rows)


def agency_order_get(*, agency: Organization, user: User, roles: frozenset[str], po_id) -> PurchaseOrder | None:
    return _with_detail(agency_orders(agency=agency, user=user, roles=roles)).filter(public_id=po_id).first()


# --- Co-op ---------------------------------------------------------------------------------------------------------


def coop_orders(*, cooperative: Organization) -> QuerySet[PurchaseOrder]:
    return released(PurchaseOrder.objects.for_organization(cooperative))


def coop_order_list(*, cooperative: Organization, filters: NarrowingFilterSet | None = None) -> QuerySet[PurchaseOrder]:
    return _narrow(coop_orders(cooperative=cooperative), filters).select_related(*LIST_RELATED)


def coop_choices(*, cooperative: Organization, field: str) -> list[tuple[str, str]]:
    """(slug, name) of the agencies (`field="agency"`) or suppliers on the co-op's released orders."""
    rows = coop_orders(cooperative=cooperative).order_by(f"{field}__name")
    return list(rows.values_list(f"{field}__slug", f"{field}__name").distinct())


def coop_order_get(*, cooperative: Organization, po_id) -> PurchaseOrder | None:
    return _with_detail(coop_orders(cooperative=cooperative)).filter(public_id=po_id).first()


# --- Supplier (the desk's reads live in desk/selectors.py and build on these) -------------------------------------


def supplier_orders(*, supplier: Organization) -> QuerySet[PurchaseOrder]:
    return released(PurchaseOrder.objects.for_organization(supplier))


def supplier_store_choices(*, supplier: Organization) -> list[tuple[str, str]]:
    stores = StoreLocation.objects.for_organization(supplier).order_by("name", "id")
    return [(str(s.pk), f"{s.name} ({s.city}, {s.state})") for s in stores]


# --- Detail --------------------------------------------------------------------------------------------------------


def _with_detail(queryset: QuerySet[PurchaseOrder]) -> QuerySet[PurchaseOrder]:
    lines = PurchaseOrderLine.objects.select_related("fund_code").order_by("id")
    shipments = Shipment.objects.select_related("created_by").prefetch_related(
        Prefetch("lines", queryset=ShipmentLine.objects.select_related("po_line").order_by("id"))
    )
    cancellations = LineCancellation.objects.select_related("line", "requested_by", "decided_by")
    return queryset.select_related(
        *LIST_RELATED, "cooperative", "tax_certificate", "requisition__department"
    ).prefetch_related(
        Prefetch("lines", queryset=lines),
        Prefetch("shipments", queryset=shipments.order_by("ship_date", "id")),
        Prefetch("line_cancellations", queryset=cancellations.order_by("requested_at", "id")),
    )


def po_with_detail(queryset: QuerySet[PurchaseOrder], po_id) -> PurchaseOrder | None:
    return _with_detail(queryset).filter(public_id=po_id).first()


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str  # the member's name (or e-mail); "System" for moves nobody made
    subject: str  # "Requisition" or "Purchase order"
    from_status: str
    to_status: str
    from_label: str
    to_label: str
    note: str

    @property
    def is_move(self) -> bool:
        return self.from_status != self.to_status


def _status_label(status: str, requisition: bool) -> str:
    choices = RequisitionStatus if requisition else POStatus
    try:
        return choices(status).label
    except ValueError:
        return status.replace("_", " ").capitalize() if status else ""


def po_approvals(po: PurchaseOrder) -> list[Approval]:
    """The approvals its requisition took, oldest first (one query)."""
    return list(
        Approval.objects.filter(requisition_id=po.requisition_id)
        .select_related("approver")
        .order_by("created_at", "id")
    )


def po_timeline(po: PurchaseOrder) -> list[TimelineEntry]:
    """One timeline of an order, oldest first: its requisition's moves (checkout, approvals) and its own (release,
    acknowledgement, shipments, backorders, cancellations, receiving …). One query."""
    events = (
        OrderEvent.objects.filter(
            Q(purchase_order_id=po.pk) | Q(purchase_order__isnull=True, requisition_id=po.requisition_id)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    entries = []
    for event in events:
        is_requisition = event.purchase_order_id is None
        actor = event.actor.get_full_name() or event.actor.email if event.actor else "System"
        entries.append(
            TimelineEntry(
                at=event.created_at,
                actor=actor,
                subject="Requisition" if is_requisition else "Purchase order",
                from_status=event.from_status,
                to_status=event.to_status,
                from_label=_status_label(event.from_status, is_requisition),
                to_label=_status_label(event.to_status, is_requisition),
                note=event.note,
            )
        )
    return entries
