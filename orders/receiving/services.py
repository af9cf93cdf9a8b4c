"""Receiving: the agency records what arrived in each delivery (per line, partial allowed, with the day and who
received), and the differences from what was shipped become discrepancies the supplier answers and the agency
resolves.

- `receipt_record` adds good and damaged units to each line (`F()` counters) and flags discrepancies: damaged
  units (`damaged`); received + damaged above shipped (`over`, only the part above what earlier receipts already
  exceeded); and, when the agency says the delivery is complete, received + damaged still below shipped (`short`,
  the part not already flagged short). A receipt without "complete" leaves the rest to come.
- `discrepancy_answer`: the supplier's order desk answers an open discrepancy (open → answered).
- `discrepancy_resolve`: the agency closes it (open | answered → resolved).

Every write locks the purchase order row first, then its lines in id order (or the discrepancy), decides under that
lock, records an audit row and a timeline note, notifies the other party, and calls `po_progress` so the order moves
on (shipped → received → …) from the facts. A refused write raises `ApplicationError` and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date
from marketplace.core.models import Membership, Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import ROLES_BY_KIND, OrgKind, Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from orders.billing.services.progress import po_progress
from orders.purchase_orders.desk.roles import ORDER_DESK_ROLES
from orders.purchase_orders.models import POStatus, PurchaseOrder, PurchaseOrderLine
from orders.purchase_orders.services.desk import timeline_note
from orders.receiving.models import (
    Discrepancy,
    DiscrepancyKind,
    DiscrepancyStatus,
    Receipt,
    ReceiptLine,
)

NOTE_MAX = 2000  # a receipt's note, a supplier's answer, an agency's resolution
LINE_NOTE_MAX = 500  # ReceiptLine.note
QUANTITY_MAX = 10**6
# A delivery can be recorded once something went out, and after the order counts as received (a late box).
RECEIVING = (POStatus.PARTIALLY_SHIPPED, POStatus.SHIPPED, POStatus.RECEIVED)
AGENCY_ROLES = ROLES_BY_KIND[OrgKind.AGENCY]
# Who on the agency side hears the supplier's answer (besides the member who placed the order).
ANSWER_READERS = frozenset({Role.FINANCE, Role.AGENCY_ADMIN})
OPEN_STATUSES = (DiscrepancyStatus.OPEN, DiscrepancyStatus.ANSWERED)

LineInput = tuple[int, int, str]  # (good units, damaged units, note)


def _is_member(user: User, organization: Organization, roles: Iterable[str]) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and Membership.objects.active().filter(user=user, organization=organization, role__in=list(roles)).exists()
    )


def _text(value: str, *, field: str, limit: int, required: str = "") -> str:
    """Stripped text, or an `invalid` error: NUL characters, longer than `limit`, or empty when `required` says
    what to give."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ApplicationError("invalid", "The text holds a character that is not allowed.", {field: ["Remove it."]})
    if len(value) > limit:
        raise ApplicationError("invalid", "The text is too long.", {field: [f"At most {limit} characters."]})
    if required and not value:
        raise ApplicationError("invalid", f"Give {required}.", {field: [f"Give {required}."]})
    return value


def _lock(po: PurchaseOrder) -> tuple[PurchaseOrder, dict[int, PurchaseOrderLine]]:
    locked = (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("agency", "supplier", "requisition")
        .get(pk=po.pk)
    )
    lines = PurchaseOrderLine.objects.select_for_update().filter(purchase_order=locked).order_by("id")
    return locked, {line.id: line for line in lines}


def _label(status: str) -> str:
    return POStatus(status).label.lower()


def _agency_url(po: PurchaseOrder) -> str:
    return reverse("agency-order", args=[po.agency.slug, po.public_id])


def _desk_url(po: PurchaseOrder) -> str:
    return reverse("supplier-order", args=[po.supplier.slug, po.public_id])


def _notify_desk(po: PurchaseOrder, *, title: str, body: str, kind: str) -> None:
    for user in organization_users(organization=po.supplier_id, roles=ORDER_DESK_ROLES):
        notification_create(user=user, organization=po.supplier, title=title, body=body, url=_desk_url(po), kind=kind)


def _notify_agency(po: PurchaseOrder, *, title: str, body: str, kind: str) -> None:
    readers = {po.requisition.requester_id: po.requisition.requester}
    for user in organization_users(organization=po.agency_id, roles=ANSWER_READERS):
        readers.setdefault(user.pk, user)
    for user in readers.values():
        if user.is_active:
            notification_create(
                user=user, organization=po.agency, title=title, body=body, url=_agency_url(po), kind=kind
            )


# --- Receipts ----------------------------------------------------------------------------------------------------


def _validate_lines(
    lines: Mapping[int, LineInput], po_lines: dict[int, PurchaseOrderLine], fields: dict[str, list[str]]
) -> dict[int, LineInput]:
    """The lines that count something, or field errors in `fields` (keys `lines.<id>.<what>`)."""
    wanted: dict[int, LineInput] = {}
    for line_id, (good, damaged, note) in lines.items():
        key = f"lines.{line_id}"
        if line_id not in po_lines:
            fields[f"{key}.line"] = ["This line is not on this order."]
            continue
        for name, qty in (("quantity_received", good), ("quantity_damaged", damaged)):
            if not isinstance(qty, int) or isinstance(qty, bool):
                fields[f"{key}.{name}"] = ["Enter a whole number."]
            elif qty < 0:
                fields[f"{key}.{name}"] = ["The quantity cannot be negative."]
            elif qty > QUANTITY_MAX:
                fields[f"{key}.{name}"] = [f"At most {QUANTITY_MAX:,}."]
        note = note or ""
        if "\x00" in note:
            fields[f"{key}.note"] = ["The note holds a character that is not allowed."]
        elif len(note.strip()) > LINE_NOTE_MAX:
            fields[f"{key}.note"] = [f"At most {LINE_NOTE_MAX} characters."]
        if any(k.startswith(f"{key}.") for k in fields):
            continue
        if good or damaged:
            wanted[line_id] = (good, damaged, note.strip())
    return wanted


def receipt_record(
    *,
    po: PurchaseOrder,
    actor: User,
    received_on: dt.date | None,
    lines: Mapping[int, LineInput],
    complete: bool = False,
    note: str = "",
) -> Receipt:
    """Record one delivery: `lines` maps a line id of `po` to (good, damaged, note). At least one unit; the day
    neither in the future (the agency's calendar) nor before the order date. Returns the receipt."""
    if not _is_member(actor, po.agency, AGENCY_ROLES):
        raise ApplicationError(
            "permission_denied", "Only a member of the buying agency can record a delivery.", status=403
        )
    note = _text(note, field="note", limit=NOTE_MAX)
    fields: dict[str, list[str]] = {}
    with transaction.atomic():
        locked, po_lines = _lock(po)
        if locked.status not in RECEIVING:
            raise ApplicationError(
                "not_shipped",
                f"You can record a delivery once the supplier has shipped something; this order is "
                f"“{_label(locked.status)}”.",
                status=409,
            )
        today = organization_today(locked.agency)
        if received_on is None:
            fields["received_on"] = ["Give the day the goods arrived."]
        elif received_on > today:
            fields["received_on"] = [f"The day cannot be in the future (today is {long_date(today)})."]
        elif locked.order_date and received_on < locked.order_date:
            fields["received_on"] = [f"The day cannot be before the order date ({long_date(locked.order_date)})."]
        wanted = _validate_lines(lines, po_lines, fields)
        if not wanted and not any(k.startswith("lines.") for k in fields):
            fields["lines"] = ["Enter a quantity received or damaged for at least one line."]
        if fields:
            raise ApplicationError("invalid", "Nothing was recorded: some fields are not valid.", fields)

        receipt = Receipt.objects.create(
            purchase_order=locked,
            agency=locked.agency,
            supplier=locked.supplier,
            received_on=received_on,
            received_by=actor,
            note=note,
        )
        receipt_lines = ReceiptLine.objects.bulk_create(
            ReceiptLine(receipt=receipt, po_line_id=line_id, quantity_received=good, quantity_damaged=damaged, note=n)
            for line_id, (good, damaged, n) in sorted(wanted.items())
        )
        by_line = {rl.po_line_id: rl for rl in receipt_lines}
        flagged: list[Discrepancy] = []
        for line_id, (good, damaged, line_note) in sorted(wanted.items()):
            line = po_lines[line_id]
            before = line.quantity_received + line.quantity_damaged
            PurchaseOrderLine.objects.filter(pk=line_id).update(
                quantity_received=F("quantity_received") + good, quantity_damaged=F("quantity_damaged") + damaged
            )
            line.quantity_received += good
            line.quantity_damaged += damaged
            after = before + good + damaged
            if damaged:
                flagged.append(
                    _flag(locked, line, by_line[line_id], actor, DiscrepancyKind.DAMAGED, damaged, line_note)
                )
            over = max(0, after - line.quantity_shipped) - max(0, before - line.quantity_shipped)
            if over:
                flagged.append(_flag(locked, line, by_line[line_id], actor, DiscrepancyKind.OVER, over, line_note))
        if complete:
            flagged += _flag_short(locked, po_lines, by_line, actor, wanted)
        Discrepancy.objects.bulk_create(flagged)

        summary = ", ".join(
            f"{good} × {po_lines[i].sku}" + (f" (+{damaged} damaged)" if damaged else "")
            for i, (good, damaged, _n) in sorted(wanted.items())
        )
        text = f"Delivery of {long_date(received_on)} received: {summary}" + ("; delivery complete" if complete else "")
        if flagged:
            text += "; discrepancies: " + ", ".join(_describe(d, po_lines) for d in flagged)
        audit_record(
            actor=actor,
            action="purchase_order.receipt",
            organization=locked.agency,
            obj=locked,
            after={
                "receipt": str(receipt.public_id),
                "received_on": received_on.isoformat(),
                "complete": complete,
                "lines": {po_lines[i].sku: {"good": g, "damaged": d} for i, (g, d, _n) in sorted(wanted.items())},
                "discrepancies": [
                    {"sku": po_lines[d.po_line_id].sku, "kind": d.kind, "quantity": d.quantity} for d in flagged
                ],
            },
        )
        timeline_note(po=locked, actor=actor, note=text)
        _notify_desk(
            locked,
            title=f"{locked}: {locked.agency.name} recorded a delivery",
            body=text,
            kind=NotificationKind.RECEIVED,
        )
        if flagged:
            _notify_desk(
                locked,
                title=f"{locked}: {locked.agency.name} reported {len(flagged)} discrepanc"
                + ("y" if len(flagged) == 1 else "ies"),
                body="; ".join(_describe(d, po_lines) for d in flagged) + ". Answer them on the order's page.",
                kind=NotificationKind.DISCREPANCY,
            )
        po_progress(po=locked, actor=actor)
    receipt.flagged = flagged  # what this delivery flagged (the API answers with it)
    return receipt


def _flag(po, line, receipt_line, actor, kind, quantity, note) -> Discrepancy:
    return Discrepancy(
        purchase_order=po,
        po_line=line,
        receipt_line=receipt_line,
        agency=po.agency,
        supplier=po.supplier,
        kind=kind,
        quantity=quantity,
        note=note,
        created_by=actor,
    )


def _flag_short(po, po_lines, by_line, actor, wanted) -> list[Discrepancy]:
    """A `short` per shipped line still below what was shipped, for the part not already flagged short."""
    flagged_short = dict(
        Discrepancy.objects.filter(purchase_order=po, kind=DiscrepancyKind.SHORT)
        .values_list("po_line_id")
        .annotate(total=Sum("quantity"))
    )
    shorts = []
    for line in po_lines.values():
        missing = line.quantity_shipped - line.quantity_received - line.quantity_damaged
        missing -= flagged_short.get(line.pk, 0)
        if line.quantity_shipped and missing > 0:
            note = wanted.get(line.pk, (0, 0, ""))[2]
            shorts.append(_flag(po, line, by_line.get(line.pk), actor, DiscrepancyKind.SHORT, missing, note))
    return shorts


def _describe(discrepancy: Discrepancy, po_lines: dict[int, PurchaseOrderLine]) -> str:
    sku = po_lines[discrepancy.po_line_id].sku
    return f"{discrepancy.quantity} × {sku} {DiscrepancyKind(discrepancy.kind).label.lower()}"


# --- Discrepancies -----------------------------------------------------------------------------------------------


def _lock_discrepancy(discrepancy: Discrepancy) -> tuple[PurchaseOrder, Discrepancy]:
    po = (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("agency", "supplier", "requisition__requester")
        .get(pk=discrepancy.purchase_order_id)
    )
    locked = Discrepancy.objects.select_for_update(of=("self",)).select_related("po_line").get(pk=discrepancy.pk)
    return po, locked


def discrepancy_answer(*, discrepancy: Discrepancy, actor: User, response: str) -> Discrepancy:
    """The supplier's order desk answers an open discrepancy (what it will do: replace, credit, explain)."""
    if not _is_member(actor, discrepancy.supplier, ORDER_DESK_ROLES):
        raise ApplicationError(
            "permission_denied", "Only the supplier's order desk or a supplier admin can answer.", status=403
        )
    response = _text(response, field="response", limit=NOTE_MAX, required="your answer")
    with transaction.atomic():
        po, locked = _lock_discrepancy(discrepancy)
        if locked.status != DiscrepancyStatus.OPEN:
            raise ApplicationError(
                "not_open", f"This discrepancy is already “{locked.get_status_display().lower()}”.", status=409
            )
        locked.status = DiscrepancyStatus.ANSWERED
        locked.supplier_response, locked.responded_by, locked.responded_at = response, actor, timezone.now()
        locked.save(update_fields=["status", "supplier_response", "responded_by", "responded_at"])
        what = f"{locked.quantity} × {locked.po_line.sku} {locked.get_kind_display().lower()}"
        audit_record(
            actor=actor,
            action="discrepancy.answered",
            organization=po.supplier,
            obj=po,
            before={"discrepancy": str(locked.public_id), "status": DiscrepancyStatus.OPEN},
            after={"discrepancy": str(locked.public_id), "status": locked.status, "response": response},
        )
        timeline_note(po=po, actor=actor, note=f"{po.supplier.name} answered the discrepancy {what}: {response}")
        _notify_agency(
            po,
            title=f"{po}: {po.supplier.name} answered a discrepancy ({what})",
            body=response,
            kind=NotificationKind.DISCREPANCY,
        )
    return locked


def discrepancy_resolve(*, discrepancy: Discrepancy, actor: User, resolution: str) -> Discrepancy:
    """The agency closes a discrepancy (after the supplier's answer, or at once if it accepts it); the order then
    moves on when nothing else is open."""
    if not _is_member(actor, discrepancy.agency, AGENCY_ROLES):
        raise ApplicationError(
            "permission_denied", "Only a member of the buying agency can resolve a discrepancy.", status=403
        )
    resolution = _text(resolution, field="resolution", limit=NOTE_MAX, required="how it was resolved")
    with transaction.atomic():
        po, locked = _lock_discrepancy(discrepancy)
        if locked.status not in OPEN_STATUSES:
            raise ApplicationError("not_open", "This discrepancy is already resolved.", status=409)
        before = locked.status
        locked.status = DiscrepancyStatus.RESOLVED
        locked.resolution, locked.resolved_by, locked.resolved_at = resolution, actor, timezone.now()
        locked.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        what = f"{locked.quantity} × {locked.po_line.sku} {locked.get_kind_display().lower()}"
        audit_record(
            actor=actor,
            action="discrepancy.resolved",
            organization=po.agency,
            obj=po,
            before={"discrepancy": str(locked.public_id), "status": before},
            after={"discrepancy": str(locked.public_id), "status": locked.status, "resolution": resolution},
        )
        timeline_note(po=po, actor=actor, note=f"{po.agency.name} resolved the discrepancy {what}: {resolution}")
        _notify_desk(
            po,
            title=f"{po}: {po.agency.name} resolved a discrepancy ({what})",
            body=resolution,
            kind=NotificationKind.DISCREPANCY,
        )
        po_progress(po=po, actor=actor)
    return locked
