"""The supplier's invoices and the agency's decisions on them.

- `invoice_create`: the supplier's order desk invoices what it shipped (never above the shipped quantity, never
  above the contract price); the invoice is three-way matched at once: `ready` when it matches, `on_hold` with the
  problems stored when it does not.
- `invoice_hold_accept` / `invoice_dispute`: agency finance decides a hold (a documented exception makes it
  `ready`; a dispute sends it back to the supplier).
- `invoice_dispute_answer` / `invoice_void`: the supplier answers a dispute (back on hold, matched again) or
  withdraws the invoice (its quantities may be invoiced again; the number stays used).

Lock order, everywhere: the purchase order, then its lines (id order), then the invoice. `po_progress` (called
last, in the same transaction) takes the same order, so two writers never wait on each other crosswise. A refused
write raises `ApplicationError` and leaves every row as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date, money
from marketplace.core.models import User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.outbox import enqueue
from orders.billing.models import Invoice, InvoiceLine, InvoiceStatus, PaymentTerms
from orders.billing.services.matching import invoice_match_problems
from orders.billing.services.progress import po_progress
from orders.billing.services.transitions import invoice_transition
from orders.purchase_orders.models import OrderEvent, PDFStatus, POStatus, PurchaseOrder, PurchaseOrderLine

NUMBER_MAX = 40  # Invoice.number
NOTE_MAX = 2000
CENT = Decimal("0.01")
PRICE_MAX = Decimal("9999999999.99")  # InvoiceLine.unit_price: 12 digits, 2 decimals
PDF_TASK = "orders.invoice_pdf_render"
# Who invoices for the supplier, and who decides holds for the agency (finance; the agency admin too).
SUPPLIER_INVOICE_ROLES = frozenset({Role.ORDER_DESK, Role.SUPPLIER_ADMIN})
FINANCE_ROLES = frozenset({Role.FINANCE, Role.AGENCY_ADMIN})
# A purchase order can be invoiced once something shipped, until it is paid, closed or cancelled.
INVOICEABLE = frozenset({POStatus.PARTIALLY_SHIPPED, POStatus.SHIPPED, POStatus.RECEIVED, POStatus.INVOICED})


def line_amount(unit_price: Decimal, quantity: int) -> Decimal:
    """unit price × quantity, rounded half-up to the cent."""
    return (unit_price * quantity).quantize(CENT, rounding=ROUND_HALF_UP)


def line_invoiceable(line: PurchaseOrderLine) -> int:
    """What is still to invoice on a line: shipped − already invoiced (shipped never exceeds ordered)."""
    return max(line.quantity_shipped - line.quantity_invoiced, 0)


# --- Checks ----------------------------------------------------------------------------------------------------


def _require_member(actor: User, organization, roles: frozenset[str], doing: str) -> None:
    if not organization_users(organization=organization, roles=roles).filter(pk=actor.pk).exists():
        raise ApplicationError("permission_denied", f"Your role does not allow you to {doing}.", status=403)


def _text(value: str, *, field: str, what: str, required: bool = True, limit: int = NOTE_MAX) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ApplicationError("invalid", "The text contains a character that is not allowed.", {field: ["Remove it."]})
    if required and not value:
        raise ApplicationError("invalid", f"Give {what}.", {field: [f"Give {what}."]})
    if len(value) > limit:
        raise ApplicationError("invalid", "The text is too long.", {field: [f"At most {limit} characters."]})
    return value


def _number_taken(number: str) -> ApplicationError:
    return ApplicationError(
        "number_taken",
        f"Nothing was created: invoice number {number} is already used by your company.",
        {"number": [f"{number} is already used on another invoice (void ones included). Give a new number."]},
        status=409,
    )


def _label(status: str) -> str:
    return InvoiceStatus(status).label.lower()


def _agency_url(invoice: Invoice) -> str:
    return reverse("agency-invoice", args=[invoice.agency.slug, invoice.public_id])


def _supplier_url(invoice: Invoice) -> str:
    return reverse("supplier-invoice", args=[invoice.supplier.slug, invoice.public_id])


def _notify(*, users, organization, title: str, body: str, url: str, kind: str) -> None:
    for user in users:
        notification_create(user=user, organization=organization, title=title, body=body, url=url, kind=kind)


def _finance_users(invoice: Invoice):
    return organization_users(organization=invoice.agency, roles=frozenset({Role.FINANCE}))


def _desk_users(invoice: Invoice):
    return organization_users(organization=invoice.supplier, roles=SUPPLIER_INVOICE_ROLES)


def _timeline(po: PurchaseOrder, actor: User | None, note: str) -> None:
    OrderEvent.objects.create(
        purchase_order=po,
        requisition_id=po.requisition_id,
        actor=actor,
        from_status=po.status,
        to_status=po.status,
        note=note,
    )


# --- Creating an invoice ---------------------------------------------------------------------------------------


def _parse_price(raw, fallback: Decimal) -> Decimal | None:
    if raw is None or raw == "":
        return fallback
    try:
        price = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    if not price.is_finite() or price <= 0 or price > PRICE_MAX or price != price.quantize(CENT):
        return None
    return price


def invoice_create(
    *,
    po: PurchaseOrder,
    actor: User,
    number: str,
    invoice_date: dt.date | None,
    lines: Mapping[int, tuple[int, Decimal | None]],
    note: str = "",
) -> Invoice:
    """Invoice `lines` ({po_line_id: (quantity, unit_price or None for the PO price)}) of `po` under `number`.

    Refused, with nothing written: a number blank, too long or already used by the supplier; a date in the future or
    before the order date; a line of another order; a quantity below 1 or above what is shipped and not yet invoiced
    (`over_invoiced`); a price above the PO line's contract price (`price_above_contract`). A lower price is accepted
    but does not match: the invoice goes on hold. Tax is 0: tax-exempt orders owe none, and sales tax on invoices is
    not charged yet for the others either (the PO's tax is 0 today as well)."""
    _require_member(actor, po.supplier_id, SUPPLIER_INVOICE_ROLES, "invoice this order")
    fields: dict[str, list[str]] = {}
    number = (number or "").strip()
    if "\x00" in number:
        fields["number"] = ["The number contains a character that is not allowed."]
    elif not number:
        fields["number"] = ["Give the invoice number."]
    elif len(number) > NUMBER_MAX:
        fields["number"] = [f"At most {NUMBER_MAX} characters."]
    try:
        note = _text(note, field="note", what="a note", required=False)
    except ApplicationError as exc:
        fields.update(exc.fields)
        note = ""
    with transaction.atomic():
        locked = PurchaseOrder.objects.select_for_update().select_related("agency", "supplier").get(pk=po.pk)
        po_lines = {
            line.pk: line
            for line in PurchaseOrderLine.objects.select_for_update().filter(purchase_order=locked).order_by("id")
        }
        if locked.status not in INVOICEABLE:
            raise ApplicationError(
                "invalid_transition",
                f"Nothing was created: an order that is “{POStatus(locked.status).label.lower()}” cannot be invoiced"
                + (" (nothing has shipped yet)." if locked.status in (POStatus.SENT, POStatus.ACKNOWLEDGED) else "."),
                status=409,
            )
        today = organization_today(locked.supplier)
        if invoice_date is None:
            fields["invoice_date"] = ["Give the invoice date."]
        elif invoice_date > today:
            fields["invoice_date"] = [f"The invoice date cannot be in the future (today is {long_date(today)})."]
        elif locked.order_date and invoice_date < locked.order_date:
            fields["invoice_date"] = [
                f"The invoice date cannot be before the order date ({long_date(locked.order_date)})."
            ]
        if not lines:
            fields["lines"] = ["Invoice at least one line."]
        over = above = False
        wanted: dict[int, tuple[int, Decimal]] = {}
        for line_id, (quantity, raw_price) in lines.items():
            line = po_lines.get(line_id)
            key = f"lines.{line_id}"
            if line is None:
                fields[key + ".line"] = ["This line is not on this order."]
                continue
            price = _parse_price(raw_price, line.unit_price)
            if quantity is None or quantity < 1:
                fields[key + ".quantity"] = [f"{line.sku}: invoice at least 1 (or leave the line out)."]
            elif quantity > line_invoiceable(line):
                over = True
                fields[key + ".quantity"] = [
                    f"{line.sku}: only {line_invoiceable(line)} {line.unit} can be invoiced (shipped "
                    f"{line.quantity_shipped}, already invoiced {line.quantity_invoiced}, ordered {line.quantity}); "
                    f"you entered {quantity}."
                ]
            if price is None:
                fields[key + ".unit_price"] = [f"{line.sku}: give a price above $0.00, in dollars and cents."]
            elif price > line.unit_price:
                above = True
                fields[key + ".unit_price"] = [
                    f"{line.sku}: {money(price)} is above the contract price on the order ({money(line.unit_price)})."
                ]
            if quantity is not None and price is not None:
                wanted[line_id] = (quantity, price)
        if not fields and Invoice.objects.filter(supplier=locked.supplier, number=number).exists():
            raise _number_taken(number)
        if fields:
            if over:
                raise ApplicationError(
                    "over_invoiced", "Nothing was created: you cannot invoice more than was shipped.", fields
                )
            if above:
                raise ApplicationError(
                    "price_above_contract",
                    "Nothing was created: you cannot invoice above the contract price of the order.",
                    fields,
                )
            raise ApplicationError("invalid", "Nothing was created: some fields are not valid.", fields)

        net_days = (
            PaymentTerms.objects.filter(agency=locked.agency, supplier=locked.supplier)
            .values_list("net_days", flat=True)
            .first()
        ) or PaymentTerms.DEFAULT_NET_DAYS
        subtotal = sum((line_amount(price, qty) for qty, price in wanted.values()), Decimal("0.00"))
        tax = Decimal("0.00")  # tax exempt: none; otherwise not charged on invoices yet (see the docstring)
        try:
            with transaction.atomic():  # a savepoint: a concurrent create of the same number loses here
                invoice = Invoice.objects.create(
                    purchase_order=locked,
                    agency=locked.agency,
                    supplier=locked.supplier,
                    cooperative_id=locked.cooperative_id,
                    contract_id=locked.contract_id,
                    number=number,
                    invoice_date=invoice_date,
                    net_days=net_days,
                    due_date=invoice_date + dt.timedelta(days=net_days),
                    status=InvoiceStatus.ON_HOLD,  # until matched below
                    subtotal=subtotal,
                    tax=tax,
                    total=subtotal + tax,
                    supplier_note=note,
                    created_by=actor,
                    pdf_status=PDFStatus.PENDING,
                )
        except IntegrityError as exc:
            if "invoice_number_unique_per_supplier" in str(exc):
                raise _number_taken(number) from exc
            raise
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                po_line=po_lines[line_id],
                sku=po_lines[line_id].sku,
                name=po_lines[line_id].name,
                quantity=qty,
                unit_price=price,
                amount=line_amount(price, qty),
            )
            for line_id, (qty, price) in sorted(wanted.items())
        )
        for line_id, (qty, _price) in wanted.items():
            PurchaseOrderLine.objects.filter(pk=line_id).update(quantity_invoiced=F("quantity_invoiced") + qty)
        problems = invoice_match_problems(invoice)
        invoice.match_problems = problems
        invoice.status = InvoiceStatus.ON_HOLD if problems else InvoiceStatus.READY
        invoice.save(update_fields=["match_problems", "status"])
        summary = ", ".join(f"{qty} × {po_lines[i].sku}" for i, (qty, _p) in sorted(wanted.items()))
        _timeline(
            locked,
            actor,
            f"Invoice {number} of {money(invoice.total)} ({summary}): {_label(invoice.status)}"
            + (f" — {len(problems)} line{'s' if len(problems) != 1 else ''} not matching" if problems else ""),
        )
        audit_record(
            actor=actor,
            action="invoice.created",
            organization=locked.agency,
            obj=invoice,
            after={
                "number": number,
                "purchase_order": locked.number,
                "invoice_date": invoice_date.isoformat(),
                "total": str(invoice.total),
                "status": invoice.status,
                "lines": {po_lines[i].sku: [q, str(p)] for i, (q, p) in sorted(wanted.items())},
                "match_problems": problems,
            },
        )
        enqueue(PDF_TASK, invoice.pk)
        if problems:
            _notify(
                users=_finance_users(invoice),
                organization=invoice.agency,
                title=f"Invoice {number} from {locked.supplier.name} is on hold",
                body=" ".join(p["problem"] for p in problems),
                url=_agency_url(invoice),
                kind=NotificationKind.INVOICE_ON_HOLD,
            )
        else:
            _notify(
                users=_finance_users(invoice),
                organization=invoice.agency,
                title=f"Invoice {number} from {locked.supplier.name}: {money(invoice.total)}, ready to pay",
                body=f"Purchase order {locked.number}; due {long_date(invoice.due_date)}.",
                url=_agency_url(invoice),
                kind=NotificationKind.INVOICED,
            )
        po_progress(po=locked, actor=actor)
    return invoice


# --- Decisions -------------------------------------------------------------------------------------------------


def _lock_invoice(invoice: Invoice) -> Invoice:
    """The invoice's purchase order, then the invoice, locked (callers run inside a transaction)."""
    PurchaseOrder.objects.select_for_update().filter(pk=invoice.purchase_order_id).first()
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("purchase_order", "agency", "supplier")
        .get(pk=invoice.pk)
    )


def _require_status(invoice: Invoice, status: str, doing: str) -> None:
    if invoice.status != status:
        decided = invoice.status in (InvoiceStatus.READY, InvoiceStatus.DISPUTED) and status == InvoiceStatus.ON_HOLD
        raise ApplicationError(
            "invalid_transition",
            f"Invoice {invoice.number} is “{_label(invoice.status)}” now, so it cannot be {doing}"
            + (" (someone decided it already)." if decided else "."),
            status=409,
        )


def invoice_hold_accept(*, invoice: Invoice, actor: User, note: str) -> Invoice:
    """Finance accepts an invoice on hold as a documented exception (`note`, required): on hold → ready."""
    _require_member(actor, invoice.agency_id, FINANCE_ROLES, "decide invoice holds")
    note = _text(note, field="note", what="the documented exception (why this invoice may be paid as it is)")
    with transaction.atomic():
        locked = _lock_invoice(invoice)
        _require_status(locked, InvoiceStatus.ON_HOLD, "accepted")
        locked.hold_decision_note = note
        locked.hold_decided_by = actor
        locked.hold_decided_at = timezone.now()
        locked.save(update_fields=["hold_decision_note", "hold_decided_by", "hold_decided_at"])
        invoice_transition(invoice=locked, to=InvoiceStatus.READY, actor=actor, note=f"exception accepted: {note}")
        _notify(
            users=_desk_users(locked),
            organization=locked.supplier,
            title=f"Invoice {locked.number}: {locked.agency.name} accepted it for payment",
            body=note,
            url=_supplier_url(locked),
            kind=NotificationKind.INVOICED,
        )
        po_progress(po=locked.purchase_order, actor=actor)
    return locked


def invoice_dispute(*, invoice: Invoice, actor: User, reason: str) -> Invoice:
    """Finance disputes an invoice on hold back to the supplier (`reason`, required): on hold → disputed."""
    _require_member(actor, invoice.agency_id, FINANCE_ROLES, "decide invoice holds")
    reason = _text(reason, field="reason", what="the reason for the dispute (the supplier reads it)")
    with transaction.atomic():
        locked = _lock_invoice(invoice)
        _require_status(locked, InvoiceStatus.ON_HOLD, "disputed")
        locked.hold_decision_note = reason
        locked.hold_decided_by = actor
        locked.hold_decided_at = timezone.now()
        locked.save(update_fields=["hold_decision_note", "hold_decided_by", "hold_decided_at"])
        invoice_transition(invoice=locked, to=InvoiceStatus.DISPUTED, actor=actor, note=reason)
        _notify(
            users=_desk_users(locked),
            organization=locked.supplier,
            title=f"Invoice {locked.number} was disputed by {locked.agency.name}",
            body=reason,
            url=_supplier_url(locked),
            kind=NotificationKind.INVOICE_ON_HOLD,
        )
        po_progress(po=locked.purchase_order, actor=actor)
    return locked


def invoice_dispute_answer(*, invoice: Invoice, actor: User, note: str) -> Invoice:
    """The supplier answers a dispute (`note`, required): disputed → on hold, matched again at once (a receipt
    recorded since may clear it); what still does not match waits for finance again."""
    _require_member(actor, invoice.supplier_id, SUPPLIER_INVOICE_ROLES, "answer disputes")
    note = _text(note, field="note", what="your answer to the dispute")
    with transaction.atomic():
        locked = _lock_invoice(invoice)
        _require_status(locked, InvoiceStatus.DISPUTED, "answered")
        locked.supplier_note = note
        locked.hold_decided_by = None
        locked.hold_decided_at = None  # undecided again: po_progress matches it once more
        locked.save(update_fields=["supplier_note", "hold_decided_by", "hold_decided_at"])
        invoice_transition(invoice=locked, to=InvoiceStatus.ON_HOLD, actor=actor, note=f"supplier answered: {note}")
        po_progress(po=locked.purchase_order, actor=actor)
        locked.refresh_from_db(fields=["status", "match_problems"])
        held = locked.status == InvoiceStatus.ON_HOLD
        _notify(
            users=_finance_users(locked),
            organization=locked.agency,
            title=f"{locked.supplier.name} answered the dispute on invoice {locked.number}"
            + (": still on hold" if held else ": now matched, ready to pay"),
            body=note,
            url=_agency_url(locked),
            kind=NotificationKind.INVOICE_ON_HOLD if held else NotificationKind.INVOICED,
        )
    return locked


def invoice_void(*, invoice: Invoice, actor: User, reason: str) -> Invoice:
    """The supplier withdraws a disputed invoice (`reason`, required): disputed → void. Its quantities may be
    invoiced again; its number stays used."""
    _require_member(actor, invoice.supplier_id, SUPPLIER_INVOICE_ROLES, "void invoices")
    reason = _text(reason, field="reason", what="the reason for withdrawing the invoice")
    with transaction.atomic():
        PurchaseOrder.objects.select_for_update().filter(pk=invoice.purchase_order_id).first()
        list(
            PurchaseOrderLine.objects.select_for_update()
            .filter(purchase_order_id=invoice.purchase_order_id)
            .order_by("id")
        )
        locked = _lock_invoice(invoice)
        _require_status(locked, InvoiceStatus.DISPUTED, "voided")
        given_back = {}
        for line in locked.lines.select_related("po_line").order_by("id"):
            PurchaseOrderLine.objects.filter(pk=line.po_line_id).update(
                quantity_invoiced=F("quantity_invoiced") - line.quantity
            )
            given_back[line.sku] = line.quantity
        invoice_transition(invoice=locked, to=InvoiceStatus.VOID, actor=actor, note=reason)
        audit_record(
            actor=actor,
            action="invoice.quantities_released",
            organization=locked.agency,
            obj=locked,
            after={"lines": given_back},
        )
        _notify(
            users=_finance_users(locked),
            organization=locked.agency,
            title=f"{locked.supplier.name} withdrew invoice {locked.number}",
            body=reason,
            url=_agency_url(locked),
            kind=NotificationKind.INVOICE_ON_HOLD,
        )
        po_progress(po=locked.purchase_order, actor=actor)
    return locked
