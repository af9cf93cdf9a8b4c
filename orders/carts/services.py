"""Cart writes: add an item (in the agency's search scope only), change quantity, save for later / move back,
accept a changed price, remove; fill the cart from a past purchase order (reorder) or an order template, with the
same checks as adding one item (`cart_fill`). Every cart write locks the member's cart row first, so two tabs
adding at once serialise instead of losing a quantity.

Order templates (agency-shared, kept by agency admins and approvers): create (also from the cart), rename,
change lines, delete; every change audited."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.selectors import catalog_scope
from contracts.models import CatalogItem
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Membership, Organization, User
from marketplace.core.roles import Role
from marketplace.core.services.audit import audit_record
from orders.carts.models import Cart, CartLine, OrderTemplate, OrderTemplateLine
from orders.carts.selectors import int_or_none, orderable_items, unorderable_reason
from orders.purchase_orders.models import PurchaseOrder, PurchaseOrderLine

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


def _check_quantity(quantity, item: CatalogItem | None) -> int:
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


@dataclass
class Wanted:
    """An item to put into a cart and how many (from the add form, a past PO line or a template line)."""

    item_id: int
    quantity: object
    item: CatalogItem | None = None  # the row as the caller knows it (for the skip reason); None: unknown


@dataclass
class SkippedLine:
    """A line that was not put into the cart, and why. `field` is what was wrong: "item" or "quantity"."""

    sku: str
    name: str
    quantity: object
    reason: str
    field: str = "item"


@dataclass
class CartFill:
    """What `cart_fill` did: the cart lines it added to or created (with the item loaded), and what it skipped."""

    added: list[CartLine] = dc_field(default_factory=list)
    skipped: list[SkippedLine] = dc_field(default_factory=list)


def cart_fill(*, agency: Organization, user: User, wanted: list[Wanted]) -> CartFill:
    """Put every wanted item into the member's cart, each checked as adding one item is: the item must be
    active on a contract in the agency's search scope, the quantity a whole number from 1 to 100,000, also
    together with what the cart already holds. An item already in the cart adds to its quantity (and comes back
    from "saved for later"); the line's price snapshot becomes today's contract price. Lines that fail are
    skipped with the reason; nothing else changes. A fixed number of queries whatever the number of lines."""
    scope = catalog_scope(agency=agency)
    orderable = orderable_items(agency=agency, item_ids=[w.item_id for w in wanted], scope=scope)
    result = CartFill()
    with transaction.atomic():
        cart = _locked_cart(agency=agency, user=user)
        lines = {line.item_id: line for line in CartLine.objects.filter(cart=cart, item_id__in=list(orderable))}
        created, updated, now = {}, {}, timezone.now()
        for want in wanted:
            item = orderable.get(want.item_id)
            if item is None:
                known = want.item
                result.skipped.append(
                    SkippedLine(
                        sku=known.sku if known else "",
                        name=known.name if known else "",
                        quantity=want.quantity,
                        reason=unorderable_reason(item=known, scope=scope) if known else NOT_IN_CATALOG,
                    )
                )
                continue
            problem = quantity_problem(quantity=want.quantity)
            line = lines.get(item.id)
            if not problem and line is not None:
                total = int(want.quantity) + (0 if line.saved_for_later else line.quantity)
                if quantity_problem(quantity=total):
                    problem = (
                        f"Your cart already holds {line.quantity:,}; together that would be more than {MAX_QUANTITY:,}."
                    )
            if problem:
                result.skipped.append(SkippedLine(item.sku, item.name, want.quantity, problem, field="quantity"))
                continue
            if line is None:
                line = CartLine(cart=cart, item=item, quantity=int(want.quantity), added_at=now)
                lines[item.id] = created[item.id] = line
            else:
                line.quantity = total
                if line.pk:
                    updated[line.pk] = line
            line.saved_for_later = False
            line.unit_price_snapshot, line.list_price_snapshot = item.contract_price, item.list_price
            line.updated_at = now
            line.item = item
            if line not in result.added:
                result.added.append(line)
        if created:
            CartLine.objects.bulk_create(created.values())
        if updated:
            CartLine.objects.bulk_update(updated.values(), LINE_FIELDS)
        if created or updated:
            _touch(cart)
    return result


LINE_FIELDS = ["quantity", "saved_for_later", "unit_price_snapshot", "list_price_snapshot", "updated_at"]
NOT_IN_CATALOG = "No such item in your agency's catalog (it may have been discontinued or its contract ended)."


def cart_line_add(*, agency: Organization, user: User, item_id, quantity) -> CartLine:
    """Add `quantity` of an item the agency may buy. Adding an item already in the cart adds to its quantity
    (and brings it back from "saved for later"); the price snapshot is taken again, at today's price.

    The item id may be anything a client sends: an item the agency may not buy is refused with one message,
    whoever's it is (never naming another tenant's contract)."""
    item_key = int_or_none(item_id)
    if item_key is None:
        raise ApplicationError("invalid", NOT_IN_CATALOG, {"item": [NOT_IN_CATALOG]})
    filled = cart_fill(agency=agency, user=user, wanted=[Wanted(item_id=item_key, quantity=quantity)])
    if filled.skipped:
        skipped = filled.skipped[0]
        message = skipped.reason if skipped.field == "quantity" else NOT_IN_CATALOG
        raise ApplicationError("invalid", message, {skipped.field: [message]})
    return filled.added[0]


def cart_reorder(*, agency: Organization, user: User, po_public_id) -> tuple[PurchaseOrder, CartFill]:
    """Put every line of one of the agency's past purchase orders into the member's cart (`cart_fill`: today's
    contract price, lines that can no longer be ordered skipped with the reason). Another agency's PO: 404."""
    po = PurchaseOrder.objects.for_organization(agency).filter(public_id=po_public_id).first()
    if po is None:
        raise ApplicationError("not_found", "No such purchase order.", status=404)
    lines = PurchaseOrderLine.objects.filter(purchase_order=po).select_related("item", "item__contract").order_by("pk")
    wanted = [Wanted(item_id=line.item_id, quantity=line.quantity, item=line.item) for line in lines]
    return po, cart_fill(agency=agency, user=user, wanted=wanted)


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


# --- order templates: agency-shared lists of items any member can load into their cart ---------------------

TEMPLATE_MANAGER_ROLES = frozenset({Role.AGENCY_ADMIN, Role.APPROVER})
TEMPLATE_MAX_LINES = 200


def _check_template_manager(*, agency: Organization, actor: User) -> None:
    """Agency admins and approvers keep the templates (the views gate it too; a service called from elsewhere
    still refuses a requester)."""
    roles = set(
        Membership.objects.for_organization(agency).filter(user=actor, is_active=True).values_list("role", flat=True)
    )
    if not roles & TEMPLATE_MANAGER_ROLES:
        raise ApplicationError(
            "permission_denied", "Only agency admins and approvers can change order templates.", status=403
        )


def _template_snapshot(template: OrderTemplate, lines: list[OrderTemplateLine]) -> dict:
    return {
        "name": template.name,
        "description": template.description,
        "lines": [{"sku": line.item.sku, "quantity": line.quantity} for line in lines],
    }


def _template_lines(template: OrderTemplate) -> list[OrderTemplateLine]:
    return list(OrderTemplateLine.objects.filter(template=template).select_related("item").order_by("pk"))


def _template_text(*, name, description, errors: dict[str, list[str]]) -> tuple[str | None, str | None]:
    if name is not None:
        name = str(name).strip()
        if not name:
            errors["name"] = ["Give the template a name."]
        elif len(name) > 150:
            errors["name"] = ["Keep the name to 150 characters."]
    if description is not None:
        description = str(description).strip()
        if len(description) > 2000:
            errors["description"] = ["Keep the description to 2,000 characters."]
    return name, description


def _template_clean_lines(
    *, agency: Organization, lines, errors: dict[str, list[str]]
) -> list[tuple[CatalogItem, int]]:
    """[(item, quantity)] from [{"item": id, "quantity": n}]: each item orderable by the agency now (the check
    adding to a cart makes), each quantity valid, no item twice."""
    lines = list(lines)
    if len(lines) > TEMPLATE_MAX_LINES:
        errors["lines"] = [f"A template holds at most {TEMPLATE_MAX_LINES} items."]
        return []
    orderable = orderable_items(agency=agency, item_ids=[line.get("item") for line in lines])
    clean, seen = [], set()
    for n, line in enumerate(lines):
        item = orderable.get(int_or_none(line.get("item")))
        if item is None:
            errors[f"lines.{n}.item"] = [NOT_IN_CATALOG]
            continue
        if item.id in seen:
            errors[f"lines.{n}.item"] = [f"{item.sku} is in the template twice: give it one line."]
            continue
        seen.add(item.id)
        problem = quantity_problem(quantity=line.get("quantity"))
        if problem:
            errors[f"lines.{n}.quantity"] = [problem]
            continue
        clean.append((item, int(line["quantity"])))
    return clean


def _template_save(fn):
    """The unique name is checked by the database (two admins naming two templates alike at once)."""
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError as exc:
        message = "Your agency already has a template with this name."
        raise ApplicationError("invalid", message, {"name": [message]}) from exc


def _name_taken(*, agency: Organization, name: str, exclude_pk: int | None = None) -> bool:
    return OrderTemplate.objects.for_organization(agency).filter(name__iexact=name).exclude(pk=exclude_pk).exists()


@transaction.atomic
def order_template_create(
    *,
    agency: Organization,
    actor: User,
    name,
    description="",
    lines=(),
    from_cart: bool = False,
) -> OrderTemplate:
    """A new template of the agency. `lines`: [{"item": id, "quantity": n}]; `from_cart`: the lines to order in
    the actor's own cart instead (saved-for-later lines are left out). Audited."""
    _check_template_manager(agency=agency, actor=actor)
    errors: dict[str, list[str]] = {}
    name, description = _template_text(name=name, description=description or "", errors=errors)
    if "name" not in errors and _name_taken(agency=agency, name=name):
        errors["name"] = ["Your agency already has a template with this name."]
    if from_cart:
        cart_lines = CartLine.objects.filter(cart__agency=agency, cart__user=actor, saved_for_later=False)
        lines = [
            {"item": i, "quantity": q}
            for i, q in cart_lines.order_by("added_at", "id").values_list("item_id", "quantity")
        ]
        if not lines:
            errors["from_cart"] = ["Your cart has nothing to order: add items first, or start an empty template."]
    clean = _template_clean_lines(agency=agency, lines=lines, errors=errors)
    if errors:
        raise ApplicationError("invalid", "The template was not saved: fix the fields named.", errors)
    template = _template_save(
        lambda: OrderTemplate.objects.create(agency=agency, name=name, description=description, created_by=actor)
    )
    OrderTemplateLine.objects.bulk_create(
        OrderTemplateLine(template=template, item=item, quantity=quantity) for item, quantity in clean
    )
    audit_record(
        actor=actor,
        action="order_template.created",
        organization=agency,
        obj=template,
        after=_template_snapshot(template, _template_lines(template)),
    )
    return template


def _locked_template(*, agency: Organization, public_id) -> OrderTemplate:
    template = OrderTemplate.objects.for_organization(agency).select_for_update().filter(public_id=public_id).first()
    if template is None:
        raise ApplicationError("not_found", "No such order template.", status=404)
    return template


@transaction.atomic
def order_template_update(
    *, agency: Organization, actor: User, public_id, name=None, description=None, lines=None
) -> OrderTemplate:
    """Rename / describe a template, or replace its lines (`lines`: [{"item": id, "quantity": n}]). Only what is
    given changes. Audited with what changed."""
    _check_template_manager(agency=agency, actor=actor)
    template = _locked_template(agency=agency, public_id=public_id)
    before_lines = _template_lines(template)
    before = _template_snapshot(template, before_lines)
    errors: dict[str, list[str]] = {}
    name, description = _template_text(name=name, description=description, errors=errors)
    if name is not None and "name" not in errors and _name_taken(agency=agency, name=name, exclude_pk=template.pk):
        errors["name"] = ["Your agency already has a template with this name."]
    clean = _template_clean_lines(agency=agency, lines=lines, errors=errors) if lines is not None else None
    if errors:
        raise ApplicationError("invalid", "The template was not saved: fix the fields named.", errors)
    fields = []
    if name is not None and name != template.name:
        template.name = name
        fields.append("name")
    if description is not None and description != template.description:
        template.description = description
        fields.append("description")
    if fields:
        _template_save(lambda: template.save(update_fields=fields))
    if clean is not None:
        current = {line.item_id: line for line in before_lines}
        wanted = {item.id: quantity for item, quantity in clean}
        OrderTemplateLine.objects.filter(template=template).exclude(item_id__in=list(wanted)).delete()
        changed = [line for item_id, line in current.items() if item_id in wanted and line.quantity != wanted[item_id]]
        for line in changed:
            line.quantity = wanted[line.item_id]
        OrderTemplateLine.objects.bulk_update(changed, ["quantity"])
        OrderTemplateLine.objects.bulk_create(
            OrderTemplateLine(template=template, item=item, quantity=quantity)
            for item, quantity in clean
            if item.id not in current
        )
    after = _template_snapshot(template, _template_lines(template))
    if after != before:
        audit_record(
            actor=actor,
            action="order_template.updated",
            organization=agency,
            obj=template,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return template


@transaction.atomic
def order_template_line_set(*, agency: Organization, actor: User, public_id, item_id, quantity) -> OrderTemplate:
    """Add an item to a template, or change its quantity (`order_template_update` with one line changed; the
    template row is locked before its lines are read, so two edits at once do not lose one)."""
    _check_template_manager(agency=agency, actor=actor)
    _locked_template(agency=agency, public_id=public_id)
    lines = [
        {"item": i, "quantity": q}
        for i, q in OrderTemplateLine.objects.filter(template__agency=agency, template__public_id=public_id)
        .order_by("pk")
        .values_list("item_id", "quantity")
    ]
    key = int_or_none(item_id)
    for line in lines:
        if line["item"] == key:
            line["quantity"] = quantity
            break
    else:
        lines.append({"item": item_id, "quantity": quantity})
    return order_template_update(agency=agency, actor=actor, public_id=public_id, lines=lines)


@transaction.atomic
def order_template_line_remove(*, agency: Organization, actor: User, public_id, item_id) -> OrderTemplate:
    _check_template_manager(agency=agency, actor=actor)
    _locked_template(agency=agency, public_id=public_id)
    key = int_or_none(item_id)
    lines = OrderTemplateLine.objects.filter(template__agency=agency, template__public_id=public_id)
    if key is None or not lines.filter(item_id=key).exists():
        raise ApplicationError("not_found", "No such item in this template.", status=404)
    rest = [
        {"item": i, "quantity": q}
        for i, q in lines.exclude(item_id=key).order_by("pk").values_list("item_id", "quantity")
    ]
    return order_template_update(agency=agency, actor=actor, public_id=public_id, lines=rest)


@transaction.atomic
def order_template_delete(*, agency: Organization, actor: User, public_id) -> None:
    """Delete a template and its lines. Templates are not financial records (orders copy what they order), so
    they are deleted; the audit row keeps what it held."""
    _check_template_manager(agency=agency, actor=actor)
    template = _locked_template(agency=agency, public_id=public_id)
    audit_record(
        actor=actor,
        action="order_template.deleted",
        organization=agency,
        obj=template,
        before=_template_snapshot(template, _template_lines(template)),
    )
    template.delete()


def order_template_load(*, agency: Organization, user: User, public_id) -> tuple[OrderTemplate, CartFill]:
    """Put every line of one of the agency's templates into the member's cart (`cart_fill`: today's contract
    price, lines that can no longer be ordered skipped with the reason). Another agency's template: 404."""
    template = OrderTemplate.objects.for_organization(agency).filter(public_id=public_id).first()
    if template is None:
        raise ApplicationError("not_found", "No such order template.", status=404)
    lines = OrderTemplateLine.objects.filter(template=template).select_related("item", "item__contract").order_by("pk")
    wanted = [Wanted(item_id=line.item_id, quantity=line.quantity, item=line.item) for line in lines]
    return template, cart_fill(agency=agency, user=user, wanted=wanted)
