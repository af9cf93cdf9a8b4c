"""Cart reads, always for one member in one agency: the badge count, the cart with its totals per contract, and
what changed since each line was added (price, item, contract); the agency's order templates. A fixed number of
queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from agencies.selectors import catalog_scope
from contracts.catalog.search.engine import SearchScope
from contracts.models import CatalogItem, Contract, ContractState, ItemStatus
from marketplace.core.dates import organization_today
from marketplace.core.formatting import long_date, money
from marketplace.core.models import Organization, User
from orders.carts.models import Cart, CartLine, OrderTemplate, OrderTemplateLine

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


def orderable_items(*, agency: Organization, item_ids, scope: SearchScope | None = None) -> dict[int, CatalogItem]:
    """The items among `item_ids` the agency may order now: active, on a contract in the agency's search scope
    (active, available to its co-ops, usable in its state). One query (plus two for the scope if not given)."""
    ids = set()
    for value in item_ids:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            continue
    if not ids:
        return {}
    scope = scope or catalog_scope(agency=agency)
    items = CatalogItem.objects.filter(pk__in=ids, contract_id__in=scope.contract_ids, status=ItemStatus.ACTIVE)
    return {item.id: item for item in items.select_related("contract", "contract__supplier")}


def orderable_item_get(*, agency: Organization, item_id) -> CatalogItem | None:
    """An active item on a contract the agency may buy on in its state (its search scope), or None."""
    return orderable_items(agency=agency, item_ids=[item_id]).get(int_or_none(item_id))


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def unorderable_reason(*, item: CatalogItem, scope: SearchScope) -> str:
    """Why an item the agency once ordered (or keeps in a template) cannot go into a cart now. Only for items the
    agency already knows (its own orders and templates): it names the contract."""
    if item.status != ItemStatus.ACTIVE:
        return f"{item.sku} is no longer offered on contract {item.contract.number}."
    if item.contract_id not in scope.contracts:
        return contract_unusable_reason(contract=item.contract, today=organization_today(scope.agency))
    return f"{item.sku} cannot be ordered right now."


def contract_unusable_reason(*, contract: Contract, today) -> str:
    """Why the agency cannot order on a contract outside its search scope, in the words of the contract's status
    (`Contract.state_on`, on the agency's calendar day): not started yet, ended, terminated, or not available."""
    state = contract.state_on(today)
    if state == ContractState.UPCOMING:
        return (
            f"Contract {contract.number} cannot be used yet: it starts on {long_date(contract.term_start)}, and "
            "nothing can be ordered on it before then."
        )
    if state == ContractState.ENDED:
        return f"Contract {contract.number} can no longer be used: its term ended on {long_date(contract.term_end)}."
    if state == ContractState.TERMINATED:
        return f"Contract {contract.number} can no longer be used: its co-op terminated it."
    return (
        f"Contract {contract.number} can no longer be used by your agency (it is not available to your co-op or "
        "in your state)."
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
        reason = contract_unusable_reason(contract=item.contract, today=organization_today(scope.agency))
        warnings.append(f"{reason} Remove this item or save it for later to check out.")
    price_changed = item.contract_price != line.unit_price_snapshot
    if price_changed:
        direction = "rose" if item.contract_price > line.unit_price_snapshot else "dropped"
        warnings.append(
            f"The contract price {direction} from {money(line.unit_price_snapshot)} to {money(item.contract_price)} "
            "since you added this item. Accept the new price to check out."
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


# --- order templates -------------------------------------------------------------------------------------------


def order_template_list(*, agency: Organization) -> QuerySet[OrderTemplate]:
    """The agency's templates by name, with how many lines each has and who made it. One query."""
    return (
        OrderTemplate.objects.for_organization(agency)
        .select_related("created_by")
        .annotate(line_count=Count("lines"))
        .order_by("name", "id")
    )


@dataclass
class TemplateRow:
    """A template line with today's price and, when it cannot be ordered now, why."""

    line: OrderTemplateLine
    problem: str = ""

    @property
    def item(self) -> CatalogItem:
        return self.line.item

    @property
    def amount(self) -> Decimal:
        return money_round(self.item.contract_price * self.line.quantity)


@dataclass
class TemplateDetail:
    template: OrderTemplate
    rows: list[TemplateRow]

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows if not r.problem), Decimal("0.00"))

    @property
    def problem_count(self) -> int:
        return sum(1 for r in self.rows if r.problem)


def order_template_get(*, agency: Organization, public_id) -> OrderTemplate | None:
    return (
        OrderTemplate.objects.for_organization(agency).select_related("created_by").filter(public_id=public_id).first()
    )


def order_template_detail(*, agency: Organization, public_id) -> TemplateDetail | None:
    """A template of the agency with its lines at today's prices, each checked as loading it would check it.
    Queries: the template, the scope (2), the lines. None when it is not the agency's."""
    template = order_template_get(agency=agency, public_id=public_id)
    if template is None:
        return None
    scope = catalog_scope(agency=agency)
    lines = (
        OrderTemplateLine.objects.filter(template=template)
        .select_related("item", "item__contract", "item__contract__supplier")
        .order_by("item__contract__supplier__name", "item__name", "pk")
    )
    rows = []
    for line in lines:
        item = line.item
        orderable = item.status == ItemStatus.ACTIVE and item.contract_id in scope.contracts
        rows.append(TemplateRow(line=line, problem="" if orderable else unorderable_reason(item=item, scope=scope)))
    return TemplateDetail(template=template, rows=rows)


def orderable_item_by_sku(*, agency: Organization, sku: str) -> CatalogItem | None:
    """The orderable item with this SKU (case-insensitive) on the agency's contracts; the first contract by number
    when several carry it."""
    sku = (sku or "").strip()
    if not sku:
        return None
    scope = catalog_scope(agency=agency)
    return (
        CatalogItem.objects.filter(sku__iexact=sku, contract_id__in=scope.contract_ids, status=ItemStatus.ACTIVE)
        .order_by("contract__number", "pk")
        .first()
    )
