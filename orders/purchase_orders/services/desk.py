"""The supplier's order desk: acknowledge or reject a sent purchase order, record shipments per line (partial
allowed), mark lines backordered, and ask the agency's consent to cancel part of a line (the agency agrees or
declines on its order page).

Every write locks the purchase order row first (`select_for_update`, then its lines in id order), checks what it
decides on under that lock, and records an audit row; status moves go through `po_transition` (the timeline).
A refused write raises `ApplicationError` and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date
from marketplace.core.models import User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import Role
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from orders.purchase_orders.desk.models import CancellationStatus, LineCancellation
from orders.purchase_orders.models import OrderEvent, POStatus, PurchaseOrder, PurchaseOrderLine, Shipment, ShipmentLine
from orders.purchase_orders.services.transitions import po_transition

REASON_MAX = 2000
TEXT_MAX = 100  # carrier, tracking number (the model's length)
# Statuses in which goods can still go out (and lines be backordered).
SHIPPING = (POStatus.ACKNOWLEDGED, POStatus.PARTIALLY_SHIPPED)
# Statuses in which the supplier may ask to cancel part of a line.
CANCELLABLE = (POStatus.SENT, POStatus.ACKNOWLEDGED, POStatus.PARTIALLY_SHIPPED)
# Agency roles that may consent to a cancellation (besides the member who placed the order).
CONSENT_ROLES = frozenset({Role.APPROVER, Role.AGENCY_ADMIN})


def line_open_quantity(line: PurchaseOrderLine) -> int:
    """What is still to ship on a line: ordered − cancelled − shipped."""
    return line.quantity - line.quantity_cancelled - line.quantity_shipped


def _lock(po: PurchaseOrder) -> tuple[PurchaseOrder, dict[int, PurchaseOrderLine]]:
    """The purchase order row, locked, and its lines, locked in id order (callers run inside a transaction)."""
    locked = PurchaseOrder.objects.select_for_update().select_related("agency", "supplier").get(pk=po.pk)
    lines = PurchaseOrderLine.objects.select_for_update().filter(purchase_order=locked).order_by("id")
    return locked, {line.id: line for line in lines}


def _tell_requester(po: PurchaseOrder, *, kind: str, title: str, body: str = "") -> None:
    """The member who placed the order hears what the supplier did (in-app now, e-mail by the worker after commit
    unless they turned that kind off). The requester is enough: approvers and admins follow the order page."""
    notification_create(
        user=po.requisition.requester,
        organization=po.agency,
        title=title,
        body=body,
        url=reverse("agency-order", args=[po.agency.slug, po.public_id]),
        kind=kind,
    )


def _label(status: str) -> str:
    return POStatus(status).label.lower()


def _require_status(po: PurchaseOrder, allowed, doing: str) -> None:
    if po.status not in allowed:
        code = "not_acknowledged" if POStatus.ACKNOWLEDGED in allowed else "invalid_transition"
        raise ApplicationError(
            code,
            f"You can {doing} only after acknowledging the order; this one is “{_label(po.status)}”."
            if code == "not_acknowledged"
            else f"You cannot {doing} on an order that is “{_label(po.status)}”.",
            status=409,
        )


def _reason(text: str, field: str = "reason", what: str = "a reason") -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError("invalid", f"Give {what}.", {field: [f"Give {what}."]})
    if len(text) > REASON_MAX:
        raise ApplicationError("invalid", "The text is too long.", {field: [f"At most {REASON_MAX} characters."]})
    return text


# --- Acknowledge / reject ---------------------------------------------------------------------------------------


def po_acknowledge(*, po: PurchaseOrder, actor: User, note: str = "") -> PurchaseOrder:
    """`sent → acknowledged`: the supplier confirms it will fill the order."""
    note = (note or "").strip()[:REASON_MAX]
    with transaction.atomic():
        locked, _lines = _lock(po)
        if locked.status != POStatus.SENT:
            raise ApplicationError(
                "invalid_transition",
                f"Only an order sent to you can be acknowledged; this one is “{_label(locked.status)}”.",
                status=409,
            )
        po = po_transition(po=locked, to=POStatus.ACKNOWLEDGED, actor=actor, note=note)
        _tell_requester(
            po, kind=NotificationKind.ACKNOWLEDGED, title=f"{po} was acknowledged by {po.supplier.name}", body=note
        )
        return po


def po_reject(*, po: PurchaseOrder, actor: User, reason: str) -> PurchaseOrder:
    """`sent → rejected` with a required reason (on the timeline, so the agency sees why)."""
    reason = _reason(reason, what="the reason you cannot fill this order")
    with transaction.atomic():
        locked, _lines = _lock(po)
        if locked.status != POStatus.SENT:
            raise ApplicationError(
                "invalid_transition",
                f"Only an order sent to you can be rejected; this one is “{_label(locked.status)}”.",
                status=409,
            )
        po = po_transition(po=locked, to=POStatus.REJECTED, actor=actor, note=reason)
        notification_create(
            user=po.requisition.requester,
            organization=po.agency,
            title=f"{po} was rejected by {po.supplier.name}",
            body=reason,
            url=reverse("agency-order", args=[po.agency.slug, po.public_id]),
            kind=NotificationKind.REJECTED,
        )
        return po


# --- Shipments ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentInput:
    carrier: str
    tracking_number: str
    ship_date: dt.date | None
    lines: Mapping[int, int]  # purchase-order line id -> quantity shipped now


def shipment_record(*, po: PurchaseOrder, actor: User, data: ShipmentInput) -> Shipment:
    """Record what went out (some lines, part of a line): quantities up to what is still open per line, a ship date
    that is not in the future. The order becomes `partially_shipped`, or `shipped` once every line's open quantity
    is zero (shipped or cancelled)."""
    fields: dict[str, list[str]] = {}
    carrier, tracking = (data.carrier or "").strip(), (data.tracking_number or "").strip()
    if not carrier:
        fields["carrier"] = ["Give the carrier (or “Store delivery”, “Pickup”)."]
    elif len(carrier) > TEXT_MAX:
        fields["carrier"] = [f"At most {TEXT_MAX} characters."]
    if len(tracking) > TEXT_MAX:
        fields["tracking_number"] = [f"At most {TEXT_MAX} characters."]
    with transaction.atomic():
        locked, lines = _lock(po)
        _require_status(locked, SHIPPING, "record a shipment")
        today = organization_today(locked.supplier)
        if data.ship_date is None:
            fields["ship_date"] = ["Give the ship date."]
        elif data.ship_date > today:
            fields["ship_date"] = [f"The ship date cannot be in the future (today is {long_date(today)})."]
        elif locked.order_date and data.ship_date < locked.order_date:
            fields["ship_date"] = [f"The ship date cannot be before the order date ({long_date(locked.order_date)})."]
        wanted = {line_id: qty for line_id, qty in data.lines.items() if qty}
        if not wanted:
            fields["lines"] = ["Enter a quantity shipped for at least one line."]
        over = False
        for line_id, qty in wanted.items():
            line = lines.get(line_id)
            key = f"lines.{line_id}.quantity"
            if line is None:
                fields[key] = ["This line is not on this order."]
            elif qty < 0:
                fields[key] = ["The quantity cannot be negative."]
            elif qty > line_open_quantity(line):
                over = True
                fields[key] = [
                    f"{line.sku}: only {line_open_quantity(line)} {line.unit} still to ship "
                    f"(ordered {line.quantity}, shipped {line.quantity_shipped}, cancelled {line.quantity_cancelled}); "
                    f"you entered {qty}."
                ]
        if fields:
            if over:
                raise ApplicationError(
                    "over_shipped", "Nothing was recorded: you cannot ship more than is still open.", fields
                )
            raise ApplicationError("invalid", "Nothing was recorded: some fields are not valid.", fields)
        shipment = Shipment.objects.create(
            purchase_order=locked, carrier=carrier, tracking_number=tracking, ship_date=data.ship_date, created_by=actor
        )
        ShipmentLine.objects.bulk_create(
            ShipmentLine(shipment=shipment, po_line_id=line_id, quantity=qty) for line_id, qty in sorted(wanted.items())
        )
        for line_id, qty in wanted.items():
            PurchaseOrderLine.objects.filter(pk=line_id).update(quantity_shipped=F("quantity_shipped") + qty)
            lines[line_id].quantity_shipped += qty
            if line_open_quantity(lines[line_id]) == 0 and lines[line_id].backordered_until:
                PurchaseOrderLine.objects.filter(pk=line_id).update(backordered_until=None)
        summary = ", ".join(f"{qty} × {lines[line_id].sku}" for line_id, qty in sorted(wanted.items()))
        note = f"Shipped {summary} via {carrier}" + (f", tracking {tracking}" if tracking else "")
        audit_record(
            actor=actor,
            action="purchase_order.shipment",
            organization=locked.supplier,
            obj=locked,
            after={
                "shipment": str(shipment.public_id),
                "carrier": carrier,
                "tracking_number": tracking,
                "ship_date": data.ship_date.isoformat(),
                "lines": {lines[i].sku: q for i, q in sorted(wanted.items())},
            },
        )
        _advance_after_fulfilment(po=locked, lines=lines.values(), actor=actor, note=note)
        in_full = sum(line_open_quantity(line) for line in lines.values()) == 0
        _tell_requester(
            locked,
            kind=NotificationKind.SHIPPED,
            title=f"{locked} {'shipped in full' if in_full else 'partly shipped'} by {locked.supplier.name}",
            body=f"{note} (ship date {data.ship_date:%b %-d, %Y}).",
        )
    return shipment


def _advance_after_fulfilment(*, po: PurchaseOrder, lines, actor: User | None, note: str) -> None:
    """Move the order on once quantities changed: everything open shipped or cancelled → `shipped` (or `cancelled`
    when nothing was ever shipped); some shipped → `partially_shipped`. Otherwise it keeps its status, and the note
    goes on the timeline anyway (a second partial shipment is still an event the agency sees)."""
    lines = list(lines)
    open_total = sum(line_open_quantity(line) for line in lines)
    shipped_total = sum(line.quantity_shipped for line in lines)
    if open_total == 0 and shipped_total > 0:
        target = POStatus.SHIPPED
    elif open_total == 0:
        target = POStatus.CANCELLED
    elif shipped_total > 0:
        target = POStatus.PARTIALLY_SHIPPED
    else:
        target = po.status
    if target != po.status:
        po_transition(po=po, to=target, actor=actor, note=note)
    else:
        timeline_note(po=po, actor=actor, note=note)


def timeline_note(*, po: PurchaseOrder, actor: User | None, note: str) -> None:
    """An entry on the order's timeline that is not a status move (from = to = the current status)."""
    OrderEvent.objects.create(
        purchase_order=po,
        requisition_id=po.requisition_id,
        actor=actor,
        from_status=po.status,
        to_status=po.status,
        note=note,
    )


# --- Backorders --------------------------------------------------------------------------------------------------


def line_backorder(*, po: PurchaseOrder, actor: User, line_id: int, until: dt.date | None) -> PurchaseOrderLine:
    """Mark a line's open quantity backordered until `until` (today or later); `None` clears the mark."""
    with transaction.atomic():
        locked, lines = _lock(po)
        _require_status(locked, SHIPPING, "mark a line backordered")
        line = lines.get(line_id)
        if line is None:
            raise ApplicationError("invalid", "This line is not on this order.", {"line": ["Choose a line."]})
        if until is not None:
            today = organization_today(locked.supplier)
            if until < today:
                raise ApplicationError(
                    "invalid", "The expected date is in the past.", {"expected_date": ["Give today or a later date."]}
                )
            if line_open_quantity(line) == 0:
                raise ApplicationError(
                    "invalid", f"{line.sku} has nothing left to ship.", {"line": ["Nothing left to ship on this line."]}
                )
        before = line.backordered_until
        line.backordered_until = until
        line.save(update_fields=["backordered_until"])
        note = (
            f"{line.sku} backordered; expected {long_date(until)}"
            if until
            else f"{line.sku} is no longer marked backordered"
        )
        audit_record(
            actor=actor,
            action="purchase_order.backorder",
            organization=locked.supplier,
            obj=locked,
            before={"sku": line.sku, "backordered_until": before.isoformat() if before else None},
            after={"sku": line.sku, "backordered_until": until.isoformat() if until else None},
        )
        timeline_note(po=locked, actor=actor, note=note)
        if until is not None:
            _tell_requester(
                locked,
                kind=NotificationKind.BACKORDERED,
                title=f"{locked}: {line.sku} is backordered",
                body=f"{locked.supplier.name} expects to ship {line.sku} ({line.name}) by {until:%b %-d, %Y}.",
            )
    return line


# --- Cancelling part of a line, with the agency's consent ---------------------------------------------------------


def line_cancellation_request(
    *, po: PurchaseOrder, actor: User, line_id: int, quantity: int, reason: str
) -> LineCancellation:
    """The supplier asks to cancel `quantity` of a line's open quantity; nothing changes until the agency agrees."""
    reason = _reason(reason, what="the reason (the agency reads it before agreeing)")
    with transaction.atomic():
        locked, lines = _lock(po)
        _require_status(locked, CANCELLABLE, "ask to cancel a line")
        line = lines.get(line_id)
        if line is None:
            raise ApplicationError("invalid", "This line is not on this order.", {"line": ["Choose a line."]})
        if quantity < 1 or quantity > line_open_quantity(line):
            raise ApplicationError(
                "invalid",
                "Nothing was requested: the quantity is not open on this line.",
                {"quantity": [f"Between 1 and {line_open_quantity(line)} (what is still open on {line.sku})."]},
            )
        if LineCancellation.objects.filter(line=line, status=CancellationStatus.PENDING).exists():
            raise ApplicationError(
                "cancellation_pending", f"{line.sku} already has a request waiting for the agency.", status=409
            )
        request = LineCancellation.objects.create(
            purchase_order=locked,
            line=line,
            agency=locked.agency,
            supplier=locked.supplier,
            quantity=quantity,
            reason=reason,
            requested_by=actor,
        )
        note = f"{locked.supplier.name} asks to cancel {quantity} × {line.sku}: {reason}"
        audit_record(
            actor=actor,
            action="purchase_order.cancellation_requested",
            organization=locked.agency,
            obj=locked,
            after={"request": str(request.public_id), "sku": line.sku, "quantity": quantity, "reason": reason},
        )
        timeline_note(po=locked, actor=actor, note=note)
        notification_create(
            user=locked.requisition.requester,
            organization=locked.agency,
            title=f"{locked}: {locked.supplier.name} asks to cancel {quantity} × {line.sku}",
            body=reason,
            url=reverse("agency-order", args=[locked.agency.slug, locked.public_id]),
            kind=NotificationKind.GENERAL,  # asks the agency to agree or decline: always e-mailed
        )
    return request


def line_cancellation_decide(
    *, cancellation: LineCancellation, actor: User, roles: frozenset[str], approve: bool, note: str = ""
) -> LineCancellation:
    """The agency agrees (the line's cancelled quantity grows, and the order moves on if nothing is left open) or
    declines. Decided by the member who placed the order, an approver or an agency admin; once."""
    note = (note or "").strip()[:REASON_MAX]
    with transaction.atomic():
        locked, lines = _lock(cancellation.purchase_order)
        request = LineCancellation.objects.select_for_update().get(pk=cancellation.pk)
        if not (roles & CONSENT_ROLES or locked.requisition.requester_id == actor.pk):
            raise ApplicationError(
                "permission_denied",
                "Only the member who placed the order, an approver or an agency admin can decide this.",
                status=403,
            )
        if request.status != CancellationStatus.PENDING:
            raise ApplicationError(
                "not_pending", f"This request was already {request.get_status_display().lower()}.", status=409
            )
        line = lines[request.line_id]
        if approve and request.quantity > line_open_quantity(line):
            raise ApplicationError(
                "not_pending",
                f"{line.sku} has only {line_open_quantity(line)} still open now; ask the supplier for a new request.",
                status=409,
            )
        request.status = CancellationStatus.APPROVED if approve else CancellationStatus.DECLINED
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=actor,
            action=f"purchase_order.cancellation_{request.status}",
            organization=locked.agency,
            obj=locked,
            before={"sku": line.sku, "quantity_cancelled": line.quantity_cancelled},
            after={
                "sku": line.sku,
                "quantity_cancelled": line.quantity_cancelled + (request.quantity if approve else 0),
                **({"note": note} if note else {}),
            },
        )
        verb = "agreed to cancel" if approve else "declined to cancel"
        text = f"{locked.agency.name} {verb} {request.quantity} × {line.sku}" + (f": {note}" if note else "")
        if approve:
            PurchaseOrderLine.objects.filter(pk=line.pk).update(
                quantity_cancelled=F("quantity_cancelled") + request.quantity
            )
            line.quantity_cancelled += request.quantity
            if line_open_quantity(line) == 0 and line.backordered_until:
                PurchaseOrderLine.objects.filter(pk=line.pk).update(backordered_until=None)
            _advance_after_fulfilment(po=locked, lines=lines.values(), actor=actor, note=text)
        else:
            timeline_note(po=locked, actor=actor, note=text)
    return request
