"""Cart writes: add an item (in the agency's search scope only), change quantity, save for later / move back,
accept a changed price, remove. Every write locks the member's cart row first, so two tabs adding at once
serialise instead of losing a quantity."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from contracts.models import CatalogItem
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Organization, User
from orders.carts.models import Cart, CartLine
from orders.carts.selectors import orderable_item_get

MAX_QUANTITY = 100_000


def quantity_problem(*, quantity) -> str | None:
    """Why `quantity` cannot be ordered (None if it can): a whole number from 1 to 100,000.

    A quantity counts the item's unit of measure, the unit its price is for: a case item ("CS of 72") is
    ordered in cases, so its pack size says what a case holds and does not constrain the quantity."""
    if isinstance(quantity, bool):
        return "Enter a whole number."
    if isinstance(quantity, str):
        quantity = quantity.strip()
        if not quantity.lstrip("-").isdigit():
            return "Enter a whole number, like 1 or 12."
        quantity = int(quantity)
    elif isinstance(quantity, float):
        if not quantity.is_integer():
            return "Enter a whole number, like 1 or 12."
        quantity = int(quantity)
    elif not isinstance(quantity, int):
        try:
            if quantity != int(quantity):
                return "Enter a whole number, like 1 or 12."
            quantity = int(quantity)
        except (TypeError, ValueError, ArithmeticError):
            return "Enter a whole number, like 1 or 12."
    if quantity < 1:
        return "The quantity must be at least 1."
    if quantity > MAX_QUANTITY:
        return f"The quantity can be at most {MAX_QUANTITY:,}."
    return None


def _check_quantity(quantity, item: CatalogItem) -> int:
    problem = quantity_problem(quantity=quantity)
    if problem:
        raise ApplicationError("invalid", problem, {"quantity": [problem]})
    return int(quantity)


def cart_get_or_create(*, agency: Organization, user: User) -> Cart:
    cart, _created = Cart.objects.get_or_create(agency=agency, user=user)
    return cart


def _locked_cart(*, agency: Organization, user: User, create: bool = True) -> Cart:
    if create:
        cart_get_or_create(agency=agency, user=user)
    cart = Cart.objects.select_for_update().filter(agency=agency, user=user).first()
    if cart is None:
        raise ApplicationError("not_found", "No such line in your cart.", status=404)
    return cart


def _touch(cart: Cart) -> None:
    cart.updated_at = timezone.now()
    cart.save(update_fields=["updated_at"])


def cart_line_add(*, agency: Organization, user: User, item_id, quantity) -> CartLine:
    """Add `quantity` of an item the agency may buy. Adding an item already in the cart adds to its quantity
    (and brings it back from "saved for later"); the price snapshot is taken again, at today's price."""
    item = orderable_item_get(agency=agency, item_id=item_id)
    if item is None:
        message = "No such item in your agency's catalog (it may have been discontinued or its contract ended)."
        raise ApplicationError("invalid", message, {"item": [message]})
    quantity = _check_quantity(quantity, item)
    with transaction.atomic():
        cart = _locked_cart(agency=agency, user=user)
        line = CartLine.objects.filter(cart=cart, item=item).first()
        now = timezone.now()
        if line is None:
            line = CartLine.objects.create(
                cart=cart,
                item=item,
                quantity=quantity,
                unit_price_snapshot=item.contract_price,
                list_price_snapshot=item.list_price,
                added_at=now,
                updated_at=now,
            )
        else:
            total = line.quantity + quantity if not line.saved_for_later else quantity
            _check_quantity(total, item)
            line.quantity, line.saved_for_later = total, False
            line.unit_price_snapshot, line.list_price_snapshot = item.contract_price, item.list_price
            line.updated_at = now
            line.save(
                update_fields=[
                    "quantity",
                    "saved_for_later",
                    "unit_price_snapshot",
                    "list_price_snapshot",
                    "updated_at",
                ]
            )
        _touch(cart)
    line.item = item
    return line


def _own_line(*, agency: Organization, user: User, line_id, lock: bool = False) -> CartLine:
    qs = CartLine.objects.filter(cart__agency=agency, cart__user=user).select_related("item", "item__contract")
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=int(line_id))
    except (CartLine.DoesNotExist, TypeError, ValueError):
        raise ApplicationError("not_found", "No such line in your cart.", status=404)


def cart_line_update(
    *,
    agency: Organization,
    user: User,
    line_id,
    quantity=None,
    saved_for_later: bool | None = None,
    accept_current_price: bool = False,
) -> CartLine:
    """Change a line: its quantity, saved for later or not, or take the item's current price as the new snapshot
    (after the cart warned that it changed)."""
    with transaction.atomic():
        _locked_cart(agency=agency, user=user, create=False)
        line = _own_line(agency=agency, user=user, line_id=line_id, lock=True)
        fields = ["updated_at"]
        if quantity is not None:
            line.quantity = _check_quantity(quantity, line.item)
            fields.append("quantity")
        if saved_for_later is not None:
            line.saved_for_later = bool(saved_for_later)
            fields.append("saved_for_later")
        if accept_current_price:
            line.unit_price_snapshot, line.list_price_snapshot = line.item.contract_price, line.item.list_price
            fields += ["unit_price_snapshot", "list_price_snapshot"]
        line.updated_at = timezone.now()
        line.save(update_fields=fields)
        _touch(line.cart)
    return line


def cart_line_remove(*, agency: Organization, user: User, line_id) -> None:
    with transaction.atomic():
        cart = _locked_cart(agency=agency, user=user, create=False)
        line = _own_line(agency=agency, user=user, line_id=line_id, lock=True)
        line.delete()
        _touch(cart)
