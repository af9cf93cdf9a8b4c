"""Checkout: the member's cart becomes one requisition split into one purchase order per contract.

Everything is re-validated in bulk first (a fixed number of queries whatever the number of lines): the
ship-to facility and fund codes are the agency's active ones, each item is still active on a contract the
agency may use in its state, its contract price in effect today is still the price the member saw, the
quantity is whole, between 1 and 100,000 and in whole packs, and a requested local store exists. Every
problem is collected and raised at once (`checkout_invalid`, with `fields` naming each one); nothing is
written unless all pass. Then, in one transaction: the requisition, its purchase orders (created
`submitted`, then moved by the approval routing through `po_transition`), their lines at the price of the
price-history row in effect (the database trigger checks the same), the ordered cart lines removed (saved
for later ones stay), and notifications.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agencies.agreements.selectors import agreement_checkout_blocks
from agencies.selectors import catalog_scope
from agencies.setup.selectors import (
    active_facility_list,
    active_fund_code_list,
    member_defaults_get,
    valid_tax_certificate,
)
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import count_of, money
from marketplace.core.models import Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from orders.approvals.services.routing import requisition_route
from orders.carts.models import Cart, CartLine
from orders.carts.selectors import contract_unusable_reason, money_round
from orders.carts.services import quantity_problem
from orders.purchase_orders.models import Fulfilment, OrderEvent, POStatus, PurchaseOrder, PurchaseOrderLine
from orders.requisitions import selectors
from orders.requisitions.models import Requisition, RequisitionStatus
from suppliers.models import VettingStatus

STORE_FULFILMENTS = (Fulfilment.STORE_PICKUP, Fulfilment.STORE_DELIVERY)


@dataclass
class CheckoutInput:
    """What the member chose. `facility_id` / `fund_code_id` default to the member's defaults; `line_fund_codes`
    (cart line id -> fund code id) overrides the fund code per line; `fulfilment` is per contract id
    (delivery when not given)."""

    facility_id: int | None = None
    requested_date: dt.date | None = None
    notes: str = ""
    is_emergency: bool = False
    emergency_reason: str = ""
    fund_code_id: int | None = None
    line_fund_codes: dict[int, int] = field(default_factory=dict)
    fulfilment: dict[int, str] = field(default_factory=dict)


class CheckoutProblems:
    def __init__(self):
        self.fields: dict[str, list[str]] = defaultdict(list)

    def add(self, key: str, message: str) -> None:
        self.fields[key].append(message)

    def raise_if_any(self) -> None:
        if not self.fields:
            return
        count = sum(len(m) for m in self.fields.values())
        raise ApplicationError(
            "checkout_invalid",
            f"Nothing was ordered: {count} problem{'s' if count != 1 else ''} to fix first.",
            dict(self.fields),
        )


def _money(value: Decimal) -> str:
    return money(value)


def _refuse_without_agreement(*, agency: Organization, lines: list[CartLine]) -> None:
    """A co-op's membership agreement not signed (or its re-acceptance date passed) stops ordering on its
    contracts: 409 `agreement_required`, `fields.agreement` says which co-op and where to sign. Nothing is written."""
    blocks = agreement_checkout_blocks(agency=agency, contract_ids={line.item.contract_id for line in lines})
    if not blocks:
        return
    reasons = list(dict.fromkeys(blocks.values()))  # one message per co-op, in contract order
    message = reasons[0] if len(reasons) == 1 else "Nothing was ordered: membership agreements must be accepted first."
    raise ApplicationError("agreement_required", message, {"agreement": reasons}, status=409)


def checkout_submit(*, agency: Organization, user: User, data: CheckoutInput) -> Requisition:
    """Check out the member's cart (see the module docstring). Raises `checkout_invalid` with every problem."""
    today = organization_today(agency)
    with transaction.atomic():
        # The cart row lock serialises a double-submitted checkout: the second finds the lines already ordered.
        cart = Cart.objects.select_for_update().filter(agency=agency, user=user).first()
        lines = (
            list(
                CartLine.objects.filter(cart=cart, saved_for_later=False)
                .select_related("item", "item__contract", "item__contract__supplier__supplier_profile")
                .order_by("added_at", "id")
            )
            if cart
            else []
        )
        if not lines:
            raise ApplicationError(
                "checkout_invalid",
                "Your cart has nothing to order.",
                {"cart": ["Add items to your cart (items saved for later are not ordered)."]},
            )
        _refuse_without_agreement(agency=agency, lines=lines)
        problems = CheckoutProblems()
        defaults = member_defaults_get(agency=agency, user=user)

        facility_id = data.facility_id or (defaults.facility_id if defaults else None)
        facility = None
        if facility_id is None:
            problems.add("facility", "Choose where the order ships to.")
        else:
            facility = active_facility_list(agency=agency).filter(pk=facility_id).first()
            if facility is None:
                problems.add("facility", "Choose one of your agency's active ship-to facilities.")

        if data.requested_date is not None and data.requested_date < today:
            problems.add(
                "requested_date", f"The requested delivery date cannot be in the past (today is {today:%b %-d, %Y})."
            )
        if data.is_emergency and not data.emergency_reason.strip():
            problems.add("emergency_reason", "Say what the emergency is: emergency orders are logged as such.")

        default_fund = data.fund_code_id or (defaults.fund_code_id if defaults else None)
        wanted_funds = {data.line_fund_codes.get(line.id, default_fund) for line in lines} - {None}
        funds = {f.id: f for f in active_fund_code_list(agency=agency).filter(pk__in=wanted_funds)}
        if data.fund_code_id is not None and data.fund_code_id not in funds:
            problems.add("fund_code", "Choose one of your agency's active fund codes.")

        scope = catalog_scope(agency=agency)
        prices = selectors.prices_in_effect(item_ids=[line.item_id for line in lines], on=today)
        for line in lines:
            item, contract = line.item, line.item.contract
            key = f"lines.{line.id}"
            if item.status != "active":
                problems.add(f"{key}.item", f"{item.sku} is no longer offered on contract {contract.number}.")
            profile = getattr(contract.supplier, "supplier_profile", None)
            if profile is not None and profile.vetting_status == VettingStatus.SUSPENDED:
                problems.add(
                    f"{key}.contract",
                    f"{contract.supplier.name} is suspended on the marketplace (its insurance lapsed), so {item.sku} "
                    "cannot be ordered for now. Remove it from your cart or save it for later.",
                )
            elif contract.id not in scope.contracts:
                reason = contract_unusable_reason(contract=contract, today=today)
                problems.add(f"{key}.contract", f"{item.sku}: {reason}")
            price = prices.get(item.id)
            if price is None:
                problems.add(f"{key}.price", f"{item.sku} has no contract price in effect today.")
            elif price.new_price != line.unit_price_snapshot:
                direction = "rose" if price.new_price > line.unit_price_snapshot else "dropped"
                problems.add(
                    f"{key}.price",
                    f"The contract price of {item.sku} {direction} from {_money(line.unit_price_snapshot)} to "
                    f"{_money(price.new_price)} (effective {price.effective_date:%b %-d, %Y}). Review it in your "
                    "cart and accept the new price to order.",
                )
            problem = quantity_problem(quantity=line.quantity)
            if problem:
                problems.add(f"{key}.quantity", problem)
            fund_id = data.line_fund_codes.get(line.id, default_fund)
            if fund_id is None:
                continue  # reported once, on `fund_code`, below
            if fund_id not in funds:
                problems.add(f"{key}.fund_code", "Choose one of your agency's active fund codes.")

        if default_fund is None and any(line.id not in data.line_fund_codes for line in lines):
            problems.add("fund_code", "Choose the fund code to charge (every line, unless you choose one per line).")

        by_contract: dict[int, list[CartLine]] = defaultdict(list)
        for line in lines:
            by_contract[line.item.contract_id].append(line)
        for contract_id, method in data.fulfilment.items():
            if contract_id not in by_contract:
                problems.add(f"fulfilment.{contract_id}", "That contract has nothing in your cart.")
            elif method not in Fulfilment.values:
                problems.add(f"fulfilment.{contract_id}", "Choose delivery, store pickup or local delivery.")
        stores = {}
        if facility is not None and any(m in STORE_FULFILMENTS for m in data.fulfilment.values()):
            stores = selectors.local_stores(
                facility=facility, supplier_ids={lines[0].item.contract.supplier_id for lines in by_contract.values()}
            )
        for contract_id, method in data.fulfilment.items():
            contract_lines = by_contract.get(contract_id)
            if contract_lines and method in STORE_FULFILMENTS:
                supplier = contract_lines[0].item.contract.supplier
                if supplier.id not in stores and facility is not None:
                    problems.add(
                        f"fulfilment.{contract_id}",
                        f"{supplier.name} has no locally owned store serving {facility.name}: choose delivery.",
                    )
        problems.raise_if_any()

        certificate = valid_tax_certificate(agency=agency, state=facility.state, on_date=today)
        requisition = Requisition.objects.create(
            agency=agency,
            requester=user,
            department_id=funds[default_fund].department_id if default_fund in funds else None,
            facility=facility,
            requested_date=data.requested_date,
            notes=data.notes.strip(),
            is_emergency=data.is_emergency,
            emergency_reason=data.emergency_reason.strip() if data.is_emergency else "",
            status=RequisitionStatus.PENDING_APPROVAL,
        )
        pos: list[PurchaseOrder] = []
        po_lines: list[tuple[PurchaseOrder, list[PurchaseOrderLine]]] = []
        for contract_id, contract_lines in sorted(by_contract.items()):
            contract = contract_lines[0].item.contract
            method = data.fulfilment.get(contract_id, Fulfilment.DELIVERY)
            store = stores.get(contract.supplier_id) if method in STORE_FULFILMENTS else None
            built = []
            for line in contract_lines:
                item, price = line.item, prices[line.item_id]
                built.append(
                    PurchaseOrderLine(
                        item=item,
                        price_change=price,
                        sku=item.sku,
                        name=item.name,
                        unit=item.unit,
                        pack_size=item.pack_size,
                        quantity=line.quantity,
                        unit_price=price.new_price,
                        list_price=item.list_price,
                        amount=money_round(price.new_price * line.quantity),
                        list_amount=money_round(item.list_price * line.quantity),
                        fund_code=funds[data.line_fund_codes.get(line.id, default_fund)],
                    )
                )
            po = PurchaseOrder(
                requisition=requisition,
                agency=agency,
                supplier_id=contract.supplier_id,
                cooperative_id=contract.cooperative_id,
                contract=contract,
                status=POStatus.SUBMITTED,
                facility=facility,
                fulfilment=method,
                store_id=store.id if store else None,
                requested_date=data.requested_date,
                is_emergency=data.is_emergency,
                tax_exempt=certificate is not None,
                tax_certificate=certificate,
                subtotal=sum((pl.amount for pl in built), Decimal("0.00")),
                list_total=sum((pl.list_amount for pl in built), Decimal("0.00")),
                tax=Decimal("0.00"),
                order_date=today,
            )
            pos.append(po)
            po_lines.append((po, built))
        PurchaseOrder.objects.bulk_create(pos)
        all_lines = []
        for po, built in po_lines:
            for pl in built:
                pl.purchase_order = po
            all_lines.extend(built)
        PurchaseOrderLine.objects.bulk_create(all_lines)

        requisition.total = sum((po.subtotal for po in pos), Decimal("0.00"))
        requisition.list_total = sum((po.list_total for po in pos), Decimal("0.00"))
        requisition.save(update_fields=["total", "list_total"])
        note = f"Checked out: {len(pos)} purchase order{'s' if len(pos) != 1 else ''}, {_money(requisition.total)}."
        if data.is_emergency:
            note += f" Emergency: {requisition.emergency_reason}"
        OrderEvent.objects.create(
            requisition=requisition, actor=user, from_status="", to_status=requisition.status, note=note
        )
        audit_record(
            actor=user,
            action="requisition.create",
            organization=agency,
            obj=requisition,
            after={
                "total": str(requisition.total),
                "purchase_orders": [str(po.public_id) for po in pos],
                "is_emergency": requisition.is_emergency,
                "tax_exempt": certificate is not None,
            },
        )
        CartLine.objects.filter(pk__in=[line.id for line in lines]).delete()
        cart.updated_at = timezone.now()
        cart.save(update_fields=["updated_at"])

        requisition = requisition_route(requisition=requisition, actor=user)
        waiting = requisition.status == RequisitionStatus.PENDING_APPROVAL
        notification_create(
            user=user,
            organization=agency,
            title=(
                f"Order submitted for approval: {_money(requisition.total)}"
                if waiting
                else f"Order approved: {_money(requisition.total)}"
            ),
            body=f"{note} "
            + (
                f"Waiting for {count_of(requisition.approvals_required, 'approval')}."
                if waiting
                else "No approval was needed; it will be sent to the supplier."
            ),
            url=f"/agencies/{agency.slug}/checkout/done/{requisition.public_id}/",
            kind=NotificationKind.GENERAL if waiting else NotificationKind.APPROVED,
        )
    return requisition
