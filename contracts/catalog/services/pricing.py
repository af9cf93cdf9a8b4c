"""Catalog prices: the contract's pricing basis, price changes (decreases at once, increases wait for the
co-op) and the price history of every item.

- `contract_price_limit` / `contract_price_problem` are the one statement of the pricing rule; the import
  validator and the SQL re-check at apply time (contracts/imports/apply.py) say the same thing.
- `catalog_item_price_request` is how a supplier changes one item's price outside an import.
- `price_change_approve` / `price_change_reject` are the co-op's decisions; approval row-locks the item and
  applies the new price effective on the approval date.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contracts.models import CatalogItem, Contract, PriceChange, PriceChangeStatus, PricingBasis
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date
from marketplace.core.formatting import money as as_money  # text: "$1,234.50"; money() here rounds
from marketplace.core.models import Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import COOP_STAFF_ROLES, SUPPLIER_CATALOG_ROLES
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_PRICE = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
MAX_REASON_LENGTH = 2000


def money(value: Decimal | int | str) -> Decimal:
    """To the cent, half-up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_change(old: Decimal | None, new: Decimal) -> Decimal | None:
    """(new - old) / old as a percentage to one decimal (None when there is no old price)."""
    if old is None or old == 0:
        return None
    return ((Decimal(new) - Decimal(old)) * HUNDRED / Decimal(old)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def discount_off_list(list_price: Decimal | None, price: Decimal | None) -> Decimal | None:
    """How far `price` is below `list_price`, as a percentage to one decimal (None without a list price)."""
    if list_price is None or price is None or list_price <= 0:
        return None
    return ((Decimal(list_price) - Decimal(price)) * HUNDRED / Decimal(list_price)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def contract_price_limit(*, contract: Contract, list_price: Decimal) -> Decimal:
    """The highest contract price the contract's pricing basis allows for `list_price`.

    Minimum discount: list × (1 − discount/100), to the cent half-up. Fixed price: the list price.
    """
    if contract.pricing_basis == PricingBasis.MIN_DISCOUNT and contract.min_discount_percent:
        factor = (HUNDRED - Decimal(contract.min_discount_percent)) / HUNDRED
        return money(Decimal(list_price) * factor)
    return money(list_price)


def contract_price_problem(*, contract: Contract, list_price: Decimal, contract_price: Decimal) -> str | None:
    """Why this pair of prices breaks the contract's pricing basis (None when it does not)."""
    if contract_price <= 0:
        return "The contract price must be more than zero."
    if list_price <= 0:
        return "The list price must be more than zero."
    limit = contract_price_limit(contract=contract, list_price=list_price)
    if contract_price > limit:
        if contract.pricing_basis == PricingBasis.MIN_DISCOUNT and contract.min_discount_percent:
            return (
                f"The contract price {as_money(contract_price)} is above {as_money(limit)}, the most the contract's "
                f"minimum discount of {Decimal(contract.min_discount_percent).normalize():f}% off the list price "
                f"{as_money(list_price)} allows."
            )
        return f"The contract price {as_money(contract_price)} is above the list price {as_money(list_price)}."
    return None


def _supplier_users(contract: Contract) -> list[User]:
    return list(organization_users(organization=contract.supplier_id, roles=SUPPLIER_CATALOG_ROLES))


def _coop_users(contract: Contract) -> list[User]:
    return list(organization_users(organization=contract.cooperative_id, roles=COOP_STAFF_ROLES))


def _notify(users: list[User], *, organization: Organization, title: str, body: str, url: str = "") -> None:
    for user in users:
        notification_create(
            user=user, organization=organization, title=title, body=body, url=url, kind=NotificationKind.CATALOG
        )


def _price_changes_url(contract: Contract) -> str:
    return reverse("coop-price-changes", kwargs={"org": contract.cooperative.slug})


def _snapshot(change: PriceChange) -> dict:
    return {
        "item": change.item_id,
        "status": change.status,
        "old_price": None if change.old_price is None else str(change.old_price),
        "new_price": str(change.new_price),
        "new_list_price": None if change.new_list_price is None else str(change.new_list_price),
        "effective_date": None if change.effective_date is None else change.effective_date.isoformat(),
        "reason": change.reason,
        "request_reason": change.request_reason,
    }


def catalog_item_price_request(
    *, item: CatalogItem, actor: User, contract_price: Decimal, list_price: Decimal | None = None, reason: str = ""
) -> PriceChange:
    """A supplier changes one item's price: a decrease (or a list-only change) applies today; an increase
    becomes a pending request for the co-op. One pending request per item: a new one replaces the old."""
    contract = item.contract
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        message = f"Keep the reason under {MAX_REASON_LENGTH} characters."
        raise ApplicationError("invalid", message, {"reason": [message]})
    contract_price = money(contract_price)
    list_price = money(list_price if list_price is not None else item.list_price)
    if contract_price > MAX_PRICE or list_price > MAX_PRICE:
        raise ApplicationError("invalid", "That price is too large.", {"contract_price": ["That price is too large."]})
    problem = contract_price_problem(contract=contract, list_price=list_price, contract_price=contract_price)
    if problem:
        raise ApplicationError("price_rule", problem, {"contract_price": [problem]})
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().select_related("contract").get(pk=item.pk)
        if contract_price == item.contract_price and list_price == item.list_price:
            raise ApplicationError("unchanged", "That is already the item's price.")
        today = organization_today(item.contract.cooperative)
        superseded = PriceChange.objects.filter(item=item, status=PriceChangeStatus.PENDING)
        superseded.update(
            status=PriceChangeStatus.REJECTED, decided_at=timezone.now(), reason="Superseded by a newer request."
        )
        if contract_price > item.contract_price:
            change = PriceChange.objects.create(
                item=item,
                old_price=item.contract_price,
                new_price=contract_price,
                old_list_price=item.list_price,
                new_list_price=list_price,
                status=PriceChangeStatus.PENDING,
                requested_by=actor,
                request_reason=reason,
            )
            audit_record(
                actor=actor,
                action="price_change.request",
                organization=contract.supplier,
                obj=change,
                after=_snapshot(change),
            )
            _notify(
                _coop_users(contract),
                organization=contract.cooperative,
                title=f"Price increase to approve: {item.sku} on {contract.number}",
                body=f"{item.name}: {as_money(item.contract_price)} → {as_money(contract_price)}. "
                + (f"Reason: {reason}" if reason else "No reason given."),
                url=_price_changes_url(contract),
            )
            return change
        change = PriceChange.objects.create(
            item=item,
            old_price=item.contract_price,
            new_price=contract_price,
            old_list_price=item.list_price,
            new_list_price=list_price,
            status=PriceChangeStatus.APPLIED,
            effective_date=today,
            requested_by=actor,
            request_reason=reason,
        )
        before = {"contract_price": str(item.contract_price), "list_price": str(item.list_price)}
        item.contract_price, item.list_price, item.updated_at = contract_price, list_price, timezone.now()
        item.save(update_fields=["contract_price", "list_price", "updated_at"])
        audit_record(
            actor=actor,
            action="price_change.apply",
            organization=contract.supplier,
            obj=change,
            before=before,
            after=_snapshot(change),
        )
        return change


def _decidable(*, change_id: int, cooperative: Organization) -> tuple[PriceChange, CatalogItem]:
    """Lock the item, then the request (always in that order), and check the co-op owns the contract."""
    change = (
        PriceChange.objects.filter(pk=change_id, item__contract__cooperative=cooperative)
        .values_list("item_id", flat=True)
        .first()
    )
    if change is None:
        raise ApplicationError("not_found", "No such price change.", status=404)
    item = CatalogItem.objects.select_for_update().select_related("contract", "contract__cooperative").get(pk=change)
    locked = PriceChange.objects.select_for_update().get(pk=change_id)
    if locked.status != PriceChangeStatus.PENDING:
        raise ApplicationError(
            "not_pending",
            f"This price change was already {locked.get_status_display().lower()}; nothing was changed.",
            status=409,
        )
    return locked, item


def _decision_record(
    *, change: PriceChange, contract: Contract, actor: User, action: str, before: dict, title: str, body: str
) -> None:
    """A decision is audited on both sides (the co-op's and the supplier's log) and told to both."""
    for organization in (contract.cooperative, contract.supplier):
        audit_record(
            actor=actor, action=action, organization=organization, obj=change, before=before, after=_snapshot(change)
        )
    _notify(_supplier_users(contract), organization=contract.supplier, title=title, body=body)
    _notify(_coop_users(contract), organization=contract.cooperative, title=title, body=body)


def price_change_approve(*, change_id: int, cooperative: Organization, actor: User) -> PriceChange:
    """Co-op staff approve a pending increase: the item takes the new price, effective today."""
    with transaction.atomic():
        change, item = _decidable(change_id=change_id, cooperative=cooperative)
        contract = item.contract
        new_list = change.new_list_price if change.new_list_price is not None else item.list_price
        problem = contract_price_problem(contract=contract, list_price=new_list, contract_price=change.new_price)
        if problem:
            raise ApplicationError(
                "price_rule", f"This increase no longer fits the contract's pricing basis: {problem}", status=409
            )
        before = _snapshot(change)
        today = organization_today(item.contract.cooperative)
        change.old_price = item.contract_price  # the price it actually replaces (a decrease may have come since)
        change.old_list_price = item.list_price
        change.status, change.effective_date = PriceChangeStatus.APPROVED, today
        change.decided_by, change.decided_at = actor, timezone.now()
        change.save(
            update_fields=["old_price", "old_list_price", "status", "effective_date", "decided_by", "decided_at"]
        )
        item.contract_price, item.list_price, item.updated_at = change.new_price, new_list, timezone.now()
        item.save(update_fields=["contract_price", "list_price", "updated_at"])
        title = f"Price increase approved: {item.sku} on {contract.number}"
        body = (
            f"{item.name}: {as_money(change.old_price)} → {as_money(change.new_price)}, effective {long_date(today)}."
        )
        _decision_record(
            change=change,
            contract=contract,
            actor=actor,
            action="price_change.approve",
            before=before,
            title=title,
            body=body,
        )
    return change


def price_change_reject(*, change_id: int, cooperative: Organization, actor: User, reason: str) -> PriceChange:
    """Co-op staff reject a pending increase, saying why; the item keeps its price."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("invalid", "Give a reason for the rejection.", {"reason": ["Give a reason."]})
    if len(reason) > MAX_REASON_LENGTH:
        message = f"Keep the reason under {MAX_REASON_LENGTH} characters."
        raise ApplicationError("invalid", message, {"reason": [message]})
    with transaction.atomic():
        change, item = _decidable(change_id=change_id, cooperative=cooperative)
        contract = item.contract
        before = _snapshot(change)
        change.status, change.reason = PriceChangeStatus.REJECTED, reason
        change.decided_by, change.decided_at = actor, timezone.now()
        change.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        title = f"Price increase rejected: {item.sku} on {contract.number}"
        body = (
            f"{item.name}: {as_money(change.old_price)} → {as_money(change.new_price)} was rejected. Reason: {reason}"
        )
        _decision_record(
            change=change,
            contract=contract,
            actor=actor,
            action="price_change.reject",
            before=before,
            title=title,
            body=body,
        )
    return change
