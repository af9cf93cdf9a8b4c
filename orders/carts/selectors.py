"""Cart reads, always for one member in one agency: the badge count, the cart with its totals per contract, and
what changed since each line was added (price, item, contract). A fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from agencies.selectors import catalog_scope
from contracts.catalog.search.engine import SearchScope
from contracts.models import CatalogItem, Contract, ItemStatus
from marketplace.core.models import Organization, User
from orders.carts.models import Cart, CartLine

CENT = Decimal("0.01")


def money_round(value: Decimal) -> Decimal:
    """Half-up to the cent (§5a)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cart_get(*, agency: Organization, user: User) -> Cart | None:
    return Cart.objects.for_organization(agency).filter(user=user).first()


def cart_line_count(*, agency: Organization, user: User) -> int:
    """Lines to be ordered (saved-for-later lines are not counted): the header badge. One query."""
    return CartLine.objects.filter(cart__agency=agency, cart__user=user, saved_for_later=False).count()


def cart_line_queryset(*, agency: Organization, user: User) -> QuerySet[CartLine]:
    """The member's own cart lines (another member's line, or another agency's, is simply not there)."""
    return CartLine.objects.filter(cart__agency=agency, cart__user=user).select_related(
        "item", "item__contract", "item__contract__supplier", "item__category"
    )


def orderable_item_get(*, agency: Organization, item_id) -> CatalogItem | None:
    """An active item on a contract the agency may buy on in its state (its search scope), or None."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        return None
    scope = catalog_scope(agency=agency)
    return (
        CatalogItem.objects.filter(pk=item_id, contract_id__in=scope.contract_ids, status=ItemStatus.ACTIVE)
        .select_related("contract", "contract__supplier")
        .first()
    )


@dataclass
class CartRow:
    """A cart line and what changed since it was added."""

    line: CartLine
    amount: Decimal
    list_amount: Decimal
    warnings: list[str] = field(default_factory=list)
    price_changed: bool = False

    @property
    def item(self) -> CatalogItem:
        return self.line.item

    @property
    def savings(self) -> Decimal:
        return self.list_amount - self.amount

    @property
    def savings_percent(self) -> Decimal:
        return percent_of(self.savings, self.list_amount)


@dataclass
class CartGroup:
    """The lines of one contract (one purchase order at checkout)."""

    contract: Contract
    rows: list[CartRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal("0.00"))

    @property
    def list_total(self) -> Decimal:
        return sum((r.list_amount for r in self.rows), Decimal("0.00"))

    @property
    def savings(self) -> Decimal:
        return self.list_total - self.total


@dataclass
class CartSummary:
    cart: Cart | None
    scope: SearchScope
    groups: list[CartGroup]
    saved: list[CartRow]

    @property
    def rows(self) -> list[CartRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def total(self) -> Decimal:
        return sum((g.total for g in self.groups), Decimal("0.00"))

    @property
    def list_total(self) -> Decimal:
        return sum((g.list_total for g in self.groups), Decimal("0.00"))

    @property
    def savings(self) -> Decimal:
        return self.list_total - self.total

    @property
    def savings_percent(self) -> Decimal:
        return percent_of(self.savings, self.list_total)

    @property
    def has_warnings(self) -> bool:
        return any(row.warnings for row in self.rows)


def line_warnings(*, line: CartLine, scope: SearchScope) -> tuple[list[str], bool]:
    """What changed since the line was added: (messages, price_changed)."""
    item = line.item
    warnings: list[str] = []
    if item.status != ItemStatus.ACTIVE:
        warnings.append("This item is no longer offered on its contract. Remove it to check out.")
    if item.contract_id not in scope.contracts:
        warnings.append(
            f"Contract {item.contract.number} can no longer be used by your agency (it expired, ended, or is not "
            "available to your co-op or state). Remove this item to check out."
        )
    price_changed = item.contract_price != line.unit_price_snapshot
    if price_changed:
        direction = "rose" if item.contract_price > line.unit_price_snapshot else "dropped"
        warnings.append(
            f"The contract price {direction} from ${line.unit_price_snapshot:,} to ${item.contract_price:,} since "
            "you added this item. Accept the new price to check out."
        )
    return warnings, price_changed


def _row(line: CartLine, scope: SearchScope) -> CartRow:
    warnings, price_changed = line_warnings(line=line, scope=scope)
    return CartRow(
        line=line,
        amount=money_round(line.unit_price_snapshot * line.quantity),
        list_amount=money_round(line.list_price_snapshot * line.quantity),
        warnings=warnings,
        price_changed=price_changed,
    )


def cart_summary(*, agency: Organization, user: User) -> CartSummary:
    """The member's cart: lines to order grouped by contract (with totals at the prices seen when added) and
    the saved-for-later lines. Queries: the cart, the agency's scope (2), the lines."""
    cart = cart_get(agency=agency, user=user)
    scope = catalog_scope(agency=agency)
    lines = list(cart_line_queryset(agency=agency, user=user).order_by("added_at", "id")) if cart else []
    groups: dict[int, CartGroup] = {}
    saved: list[CartRow] = []
    for line in lines:
        row = _row(line, scope)
        if line.saved_for_later:
            saved.append(row)
            continue
        contract = line.item.contract
        groups.setdefault(contract.id, CartGroup(contract=contract)).rows.append(row)
    ordered = sorted(groups.values(), key=lambda g: (g.contract.supplier.name, g.contract.number))
    return CartSummary(cart=cart, scope=scope, groups=ordered, saved=saved)
