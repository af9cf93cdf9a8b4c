"""On-account payments and terms: finance records an ACH or check payment (partial allowed) and corrects one
entered in error with a reversing payment; payment terms per agency and supplier; the daily reminder of overdue
invoices. Each write locks the invoice first, then the rows it decides on, and leaves an audit row.

Nothing financial is edited or deleted: a reversal is a new, negative payment (`reverses`) with a negative
admin-fee accrual at the original payment's rate, so the two net to zero whatever the contract's rate is today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date, money
from marketplace.core.models import Membership, Organization, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import OrgKind, Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from orders.billing.accounts.selectors import invoice_is_overdue, overdue_candidate_ids
from orders.billing.models import (
    PAYABLE_INVOICE_STATUSES,
    AdminFeeAccrual,
    Invoice,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PaymentTerms,
)
from orders.billing.services import ledger
from orders.purchase_orders.desk.roles import ORDER_DESK_ROLES
from orders.purchase_orders.models import OrderEvent, POStatus, PurchaseOrder

# Who records and reverses on-account payments; who may also set terms and read the payment pages.
PAYMENT_ROLES = frozenset({Role.FINANCE})
FINANCE_PAGE_ROLES = frozenset({Role.FINANCE, Role.AGENCY_ADMIN})
TERMS_ROLES = FINANCE_PAGE_ROLES
ON_ACCOUNT_METHODS = (PaymentMethod.ACH, PaymentMethod.CHECK)
REFERENCE_MAX = 100
REASON_MAX = 2000
NET_DAYS_MAX = 120
AMOUNT_MAX = Decimal("999999999999.99")


def _refuse(code: str, message: str, field: str | None = None, status: int = 400):
    raise ApplicationError(code, message, {field: [message]} if field else None, status=status)


def _require_role(*, actor: User, organization: Organization, roles: frozenset[str], what: str) -> None:
    held = Membership.objects.active().filter(user=actor, organization=organization, role__in=roles).exists()
    if not held:
        raise ApplicationError("permission_denied", f"Only your agency's finance team may {what}.", status=403)


def _clean_text(value: str, *, field: str, label: str, maximum: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        _refuse("invalid", f"{label} contains a character that is not allowed.", field)
    if not value:
        _refuse("invalid", f"{label} is required.", field)
    if len(value) > maximum:
        _refuse("invalid", f"{label} is at most {maximum} characters.", field)
    return value


def _lock_invoice(invoice_id: int) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("purchase_order", "agency", "supplier", "contract")
        .get(pk=invoice_id)
    )


def _notify_supplier(invoice: Invoice, *, title: str, body: str, kind: str) -> None:
    url = reverse("supplier-order", args=[invoice.supplier.slug, invoice.purchase_order.public_id])
    for user in organization_users(organization=invoice.supplier, roles=ORDER_DESK_ROLES):
        notification_create(user=user, organization=invoice.supplier, kind=kind, title=title, body=body, url=url)


def _timeline(invoice: Invoice, actor: User, note: str) -> None:
    """A line on the order's timeline (its status unchanged): every payment and reversal shows there."""
    po = invoice.purchase_order
    OrderEvent.objects.create(
        purchase_order=po,
        requisition_id=po.requisition_id,
        actor=actor,
        from_status=po.status,
        to_status=po.status,
        note=note[:2000],
    )


# --- Payments -------------------------------------------------------------------------------------------------


def payment_record(
    *, invoice: Invoice, actor: User, method: str, amount: Decimal, paid_on: dt.date, reference: str
) -> Payment:
    """Record an ACH or check payment of (part of) `invoice` by its agency's finance team: succeeded at once,
    applied to the invoice (running sum, status, admin fee, the order moved on). Refused with nothing changed:
    not finance (403), the invoice not open for payment (409), an amount not above zero or above the balance
    due, a blank or too long reference, a date in the future (agency's calendar) or before the invoice date."""
    _require_role(actor=actor, organization=invoice.agency, roles=PAYMENT_ROLES, what="record payments")
    if method not in ON_ACCOUNT_METHODS:
        _refuse("invalid", "Choose ACH transfer or check.", "method")
    if not isinstance(amount, Decimal) or not amount.is_finite():
        _refuse("invalid", "Enter the amount paid in dollars and cents.", "amount")
    if amount > AMOUNT_MAX or amount != amount.quantize(Decimal("0.01")):
        _refuse("invalid", "Enter the amount in dollars and cents (two decimals at most).", "amount")
    if amount <= 0:
        _refuse("invalid", "The amount must be more than $0.00.", "amount")
    reference = _clean_text(reference, field="reference", label="The reference", maximum=REFERENCE_MAX)
    with transaction.atomic():
        invoice = _lock_invoice(invoice.pk)
        if invoice.status not in PAYABLE_INVOICE_STATUSES:
            _refuse(
                "not_payable",
                f"Invoice {invoice.number} is “{invoice.get_status_display().lower()}”: it cannot be paid now.",
                status=409,
            )
        balance = invoice.balance_due
        if amount > balance:
            _refuse(
                "over_balance",
                f"The amount {money(amount)} is more than the balance due on invoice {invoice.number} "
                f"({money(balance)}). Nothing was recorded.",
                "amount",
            )
        today = organization_today(invoice.agency)
        if paid_on > today:
            _refuse("invalid", "The payment date cannot be in the future.", "paid_on")
        if paid_on < invoice.invoice_date:
            _refuse("invalid", "The payment date cannot be before the invoice date.", "paid_on")
        payment = Payment.objects.create(
            invoice=invoice,
            agency=invoice.agency,
            supplier=invoice.supplier,
            cooperative=invoice.cooperative,
            method=method,
            status=PaymentStatus.SUCCEEDED,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            created_by=actor,
        )
        payment.settled_at = payment.created_at
        payment.save(update_fields=["settled_at"])
        _timeline(
            invoice,
            actor,
            f"Invoice {invoice.number}: {payment.get_method_display()} payment of {money(amount)} recorded "
            f"(reference {reference}, paid {long_date(paid_on)})",
        )
        ledger.payment_apply(invoice=invoice, payment=payment, actor=actor)
        _notify_supplier(
            invoice,
            kind=NotificationKind.PAID,
            title=f"Invoice {invoice.number}: {money(amount)} paid by {payment.get_method_display().lower()}",
            body=f"{invoice.agency.name} recorded a payment of {money(amount)} on {long_date(paid_on)} "
            f"(reference {reference}). Balance due: {money(invoice.balance_due)}.",
        )
    return payment


def payment_reverse(*, payment: Payment, actor: User, reason: str) -> Payment:
    """Correct an on-account payment entered in error with a reversing payment (negative, `reverses`), a negative
    admin-fee accrual at the original rate, and the invoice's paid sum reduced (it is open for payment again).
    Refused once the order is closed (closed is final), when the payment is a card payment, a reversal itself,
    not succeeded, or already reversed."""
    _require_role(actor=actor, organization=payment.agency, roles=PAYMENT_ROLES, what="reverse payments")
    reason = _clean_text(reason, field="reason", label="The reason", maximum=REASON_MAX)
    with transaction.atomic():
        invoice = _lock_invoice(payment.invoice_id)
        original = Payment.objects.select_for_update().get(pk=payment.pk)
        if original.method not in ON_ACCOUNT_METHODS:
            _refuse("not_reversible", "Only ACH and check payments are reversed here; a card payment is refunded.")
        if original.reverses_id is not None or original.amount < 0:
            _refuse("not_reversible", "This is a reversal already; it cannot be reversed.", status=409)
        if original.status != PaymentStatus.SUCCEEDED:
            _refuse("not_reversible", "Only a recorded (succeeded) payment can be reversed.", status=409)
        if Payment.objects.filter(reverses=original).exists():
            _refuse("already_reversed", "This payment was reversed already. Nothing was changed.", status=409)
        if invoice.purchase_order.status == POStatus.CLOSED:
            _refuse(
                "order_closed",
                f"Order {invoice.purchase_order.number} is closed, and a closed order is final: its payments "
                "cannot be reversed. Ask the supplier for a credit memo instead.",
                status=409,
            )
        reversal = Payment.objects.create(
            invoice=invoice,
            agency=invoice.agency,
            supplier=invoice.supplier,
            cooperative=invoice.cooperative,
            method=original.method,
            status=PaymentStatus.SUCCEEDED,
            amount=-original.amount,
            paid_on=organization_today(invoice.agency),
            reference=f"Reversal of {original.reference}"[:REFERENCE_MAX],
            reverses=original,
            created_by=actor,
        )
        reversal.settled_at = reversal.created_at
        reversal.save(update_fields=["settled_at"])
        _reverse_fee(original=original, reversal=reversal)
        _timeline(
            invoice,
            actor,
            f"Invoice {invoice.number}: payment of {money(original.amount)} (reference {original.reference}) "
            f"reversed — {reason}",
        )
        ledger.payment_apply(invoice=invoice, payment=reversal, actor=actor)
        audit_record(
            actor=actor,
            action="payment.reverse",
            organization=invoice.agency,
            obj=original,
            after={"invoice": invoice.number, "amount": str(original.amount), "reason": reason},
        )
        _notify_supplier(
            invoice,
            kind=NotificationKind.PAID,
            title=f"Invoice {invoice.number}: payment of {money(original.amount)} reversed",
            body=f"{invoice.agency.name} reversed a payment entered in error ({original.reference}): {reason}. "
            f"Balance due: {money(invoice.balance_due)}.",
        )
    return reversal


def _reverse_fee(*, original: Payment, reversal: Payment) -> None:
    """The reversal's accrual: minus the original's, at the original's rate (ledger.payment_apply then finds it)."""
    fee = AdminFeeAccrual.objects.filter(payment=original).first()
    if fee is None:
        return  # payment_apply accrues at today's rate
    AdminFeeAccrual.objects.create(
        contract_id=fee.contract_id,
        agency_id=fee.agency_id,
        supplier_id=fee.supplier_id,
        cooperative_id=fee.cooperative_id,
        payment=reversal,
        base_amount=-fee.base_amount,
        rate=fee.rate,
        fee=-fee.fee,
        accrued_on=reversal.paid_on,
    )


# --- Terms ----------------------------------------------------------------------------------------------------


def payment_terms_set(*, agency: Organization, supplier: Organization, net_days: int, actor: User) -> PaymentTerms:
    """Set the on-account terms (net days, 0–120) between `agency` and a supplier it buys from. Invoices issued
    later use them; issued invoices keep theirs."""
    _require_role(actor=actor, organization=agency, roles=TERMS_ROLES, what="set payment terms")
    if isinstance(net_days, bool) or not isinstance(net_days, int) or not 0 <= net_days <= NET_DAYS_MAX:
        _refuse("invalid", f"Net days must be a whole number from 0 to {NET_DAYS_MAX}.", "net_days")
    if supplier.kind != OrgKind.SUPPLIER or not supplier_buys_from(agency=agency, supplier=supplier):
        _refuse("invalid", "Choose a supplier your agency buys from.", "supplier")
    with transaction.atomic():
        terms = PaymentTerms.objects.select_for_update().filter(agency=agency, supplier=supplier).first()
        before = terms.net_days if terms else PaymentTerms.DEFAULT_NET_DAYS
        if terms is None:
            terms, _ = PaymentTerms.objects.get_or_create(agency=agency, supplier=supplier)
            terms = PaymentTerms.objects.select_for_update().get(pk=terms.pk)
        terms.net_days = net_days
        terms.updated_by = actor
        terms.updated_at = timezone.now()
        terms.save(update_fields=["net_days", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="payment_terms.set",
            organization=agency,
            obj=terms,
            before={"supplier": supplier.slug, "net_days": before},
            after={"supplier": supplier.slug, "net_days": net_days},
        )
    return terms


def supplier_buys_from(*, agency: Organization, supplier: Organization) -> bool:
    return PurchaseOrder.objects.filter(agency=agency, supplier=supplier).exists()


# --- Overdue reminders ----------------------------------------------------------------------------------------


def invoice_overdue_remind(*, invoice_id: int) -> bool:
    """Remind the supplier's order desk and the agency's finance team of one overdue invoice, at most once per
    day (the agency's calendar): `last_reminded_on` is set in the same transaction. False when it is not overdue
    any more or was reminded today already."""
    with transaction.atomic():
        invoice = _lock_invoice(invoice_id)
        today = organization_today(invoice.agency)
        if not invoice_is_overdue(invoice, today=today):
            return False
        if invoice.last_reminded_on is not None and invoice.last_reminded_on >= today:
            return False
        invoice.last_reminded_on = today
        invoice.save(update_fields=["last_reminded_on"])
        days = (today - invoice.due_date).days
        title = f"Invoice {invoice.number} is overdue"
        body = (
            f"Invoice {invoice.number} of {invoice.supplier.name} to {invoice.agency.name} was due on "
            f"{long_date(invoice.due_date)} ({days} day{'s' if days != 1 else ''} ago). "
            f"Balance due: {money(invoice.balance_due)}."
        )
        recipients = [
            (invoice.supplier, reverse("supplier-invoices-overdue", args=[invoice.supplier.slug]), ORDER_DESK_ROLES),
            (invoice.agency, reverse("agency-invoices-overdue", args=[invoice.agency.slug]), PAYMENT_ROLES),
        ]
        for organization, url, roles in recipients:
            for user in organization_users(organization=organization, roles=roles):
                notification_create(
                    user=user,
                    organization=organization,
                    kind=NotificationKind.OVERDUE,
                    title=title,
                    body=body,
                    url=url,
                )
        audit_record(
            actor=None,
            action="invoice.overdue_reminded",
            organization=invoice.agency,
            obj=invoice,
            after={"due_date": invoice.due_date.isoformat(), "balance_due": str(invoice.balance_due)},
        )
    return True


def invoices_overdue_remind() -> int:
    """The daily sweep: one reminder per overdue invoice per day, each in its own transaction (idempotent: a
    second run the same day reminds nobody). Returns how many invoices were reminded of."""
    return sum(1 for invoice_id in overdue_candidate_ids() if invoice_overdue_remind(invoice_id=invoice_id))
