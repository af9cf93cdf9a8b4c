"""Card payments through Stripe: an agency pays an invoice with a purchasing card (a PaymentIntent confirmed by
Stripe.js in the payer's browser), Stripe's webhook settles it, and a supplier's credit on an invoice already paid
by card is refunded to that card.

- `card_payment_start`: one pending payment per invoice (a second click, tab or finance user gets the same
  PaymentIntent back); the invoice row is locked while the PaymentIntent is created, so nobody can start another.
- `stripe_event_receive` (the webhook, an inbox): the signature is verified, the event row is inserted by id (a
  redelivery finds it and does nothing) together with an outbox row for the worker, and Stripe gets its 200.
  `stripe_event_process` (the worker) locks the row and acts on the event once. The redirect back from Stripe.js
  decides nothing: only these events move money in our books.
- `credit_memo_create`: a credit for a returned or cancelled line; on an invoice paid in full by card the credit
  is refunded (settled by `charge.refunded`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from agencies.models import Agency
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import money
from marketplace.core.models import Membership, User
from marketplace.core.notification_kinds import NotificationKind
from marketplace.core.roles import Role
from marketplace.core.selectors import organization_users
from marketplace.core.services.audit import audit_record
from marketplace.core.services.notifications import notification_create
from marketplace.core.services.outbox import enqueue
from orders.billing.models import (
    PAYABLE_INVOICE_STATUSES,
    CreditMemo,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    StripeEvent,
)
from orders.billing.services.ledger import payment_fail, payment_succeed, refund_fail, refund_succeed
from orders.billing.stripe import client as stripe_api

CENT = Decimal("0.01")
PAYER_ROLES = frozenset({Role.FINANCE, Role.AGENCY_ADMIN})
CREDIT_ROLES = frozenset({Role.ORDER_DESK, Role.SUPPLIER_ADMIN})
REASON_MAX = 2000


def cents(amount: Decimal) -> int:
    return int((amount / CENT).to_integral_value(rounding=ROUND_HALF_UP))


def _roles(*, user: User, organization_id: int) -> frozenset[str]:
    return frozenset(
        Membership.objects.active().filter(user=user, organization_id=organization_id).values_list("role", flat=True)
    )


def card_payer_refusal(*, invoice: Invoice, actor: User) -> str:
    """Why `actor` may not pay `invoice` by card ("" when they may): finance and agency admins may; a requester
    only where the agency allows purchasing cards, and only for the orders they placed."""
    roles = _roles(user=actor, organization_id=invoice.agency_id)
    if roles & PAYER_ROLES:
        return ""
    if Role.REQUESTER in roles:
        allowed = Agency.objects.filter(organization_id=invoice.agency_id, requesters_may_pay_by_card=True).exists()
        if not allowed:
            return "Your agency lets only its finance staff pay invoices by card."
        if invoice.purchase_order.requisition.requester_id != actor.pk:
            return "You may pay by card only the invoices of orders you placed."
        return ""
    return "Your role does not allow paying invoices."


@dataclass(frozen=True)
class CardPaymentStarted:
    payment: Payment
    client_secret: str
    created: bool


def card_payment_start(*, invoice: Invoice, actor: User) -> CardPaymentStarted:
    """Start (or resume) paying the balance due of `invoice` by card. Refusals change nothing."""
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("purchase_order__requisition", "agency")
            .get(pk=invoice.pk)
        )
        refusal = card_payer_refusal(invoice=invoice, actor=actor)
        if refusal:
            raise ApplicationError("permission_denied", refusal, status=403)
        pending = Payment.objects.filter(invoice=invoice, status=PaymentStatus.PENDING).first()
        if pending is not None:
            if pending.method != PaymentMethod.CARD or not pending.stripe_payment_intent_id:
                raise ApplicationError(
                    "payment_in_progress",
                    f"A payment of invoice {invoice.number} is already being recorded.",
                    status=409,
                )
            intent = stripe_api.payment_intent_retrieve(intent_id=pending.stripe_payment_intent_id)
            return CardPaymentStarted(payment=pending, client_secret=intent.client_secret, created=False)
        if invoice.status not in PAYABLE_INVOICE_STATUSES:
            raise ApplicationError(
                "not_payable",
                f"Invoice {invoice.number} is “{invoice.get_status_display().lower()}” and cannot be paid now.",
                status=409,
            )
        balance = invoice.balance_due
        if balance <= 0:
            raise ApplicationError("nothing_due", f"Nothing is due on invoice {invoice.number}.", status=409)
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    invoice=invoice,
                    agency_id=invoice.agency_id,
                    supplier_id=invoice.supplier_id,
                    cooperative_id=invoice.cooperative_id,
                    method=PaymentMethod.CARD,
                    status=PaymentStatus.PENDING,
                    amount=balance,
                    created_by=actor,
                )
        except IntegrityError as exc:  # the database's backstop: one pending payment per invoice
            raise ApplicationError(
                "payment_in_progress", f"A payment of invoice {invoice.number} is already in progress.", status=409
            ) from exc
        intent = stripe_api.payment_intent_create(
            amount_cents=cents(balance),
            metadata={
                "po_number": invoice.purchase_order.number,
                "invoice_number": invoice.number,
                "agency": invoice.agency.slug,
                "invoice_id": str(invoice.public_id),
                "payment_id": str(payment.public_id),
            },
            key=stripe_api.idempotency_key(payment.public_id, "payment-intent"),
        )
        payment.stripe_payment_intent_id = intent.id
        payment.save(update_fields=["stripe_payment_intent_id"])
        audit_record(
            actor=actor,
            action="payment.card_started",
            organization=invoice.agency,
            obj=payment,
            after={"invoice": invoice.number, "amount": str(balance), "payment_intent": intent.id},
        )
    return CardPaymentStarted(payment=payment, client_secret=intent.client_secret, created=True)


TOKEN_RE = re.compile(r"tok_[A-Za-z0-9_]{1,200}")


@dataclass(frozen=True)
class CardPaymentConfirmed:
    """`status`: `succeeded` / `processing` (the webhook will settle it), `requires_action` (Stripe.js completes
    3-D Secure with `client_secret`), or `declined` (`message` is the card issuer's answer)."""

    payment: Payment
    status: str
    client_secret: str = ""
    message: str = ""


def card_payment_confirm(*, payment: Payment, actor: User, token: str) -> CardPaymentConfirmed:
    """Confirm a pending card payment's PaymentIntent with the card Stripe.js tokenized in the payer's browser
    (Stripe's "finalize payments on the server" flow). Settles nothing: Stripe's webhook does. A decline's message
    is kept on the payment for its status page; refusals change nothing."""
    token = token if isinstance(token, str) else ""
    if not TOKEN_RE.fullmatch(token):
        raise ApplicationError("invalid", "Nothing was charged: the card was not read.", {"token": ["Not valid."]})
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("purchase_order__requisition", "agency")
            .get(pk=payment.invoice_id)
        )
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        refusal = card_payer_refusal(invoice=invoice, actor=actor)
        if refusal:
            raise ApplicationError("permission_denied", refusal, status=403)
        if payment.method != PaymentMethod.CARD or not payment.stripe_payment_intent_id:
            raise ApplicationError("not_card", "This payment is not a card payment.", status=409)
        if payment.status != PaymentStatus.PENDING:
            raise ApplicationError(
                "not_pending",
                f"This payment is already {payment.get_status_display().lower()}; nothing was charged. "
                f"Start again from the invoice's pay page if something is still due.",
                status=409,
            )
        answer = stripe_api.payment_intent_confirm_with_token(
            intent_id=payment.stripe_payment_intent_id,
            token=token,
            metadata={"agency": invoice.agency.slug, "payment_id": str(payment.public_id)},
            key=stripe_api.idempotency_key(payment.public_id, f"confirm-{token}"),
        )
        if answer.status == "declined":
            payment.failure_message = answer.decline_message[:2000]
            payment.save(update_fields=["failure_message"])
        audit_record(
            actor=actor,
            action="payment.card_confirmed",
            organization=invoice.agency,
            obj=payment,
            after={"invoice": invoice.number, "status": answer.status, "message": answer.decline_message},
        )
    return CardPaymentConfirmed(
        payment=payment, status=answer.status, client_secret=answer.client_secret, message=answer.decline_message
    )


# --- Webhooks ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookOutcome:
    event_id: str
    outcome: str
    duplicate: bool = False


_INSERT_EVENT = (
    "INSERT INTO orders_stripeevent (event_id, type, stripe_created, payload, received_at, processed_at, outcome) "
    "VALUES (%s, %s, %s, %s::jsonb, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING RETURNING id"
)
STRIPE_EVENT_TASK = "orders.stripe_event_process"
# what a retry of the processing task may cure: a dropped connection, a deadlock, a serialization failure
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def stripe_event_receive(*, payload: bytes, signature: str) -> WebhookOutcome:
    """The webhook as an inbox: verify, store once by id, hand to the worker. A bad or stale signature is a 400
    with nothing stored; a redelivery finds the row and does nothing more. The event row and the outbox row for
    `orders.stripe_event_process` are written in one transaction, so an event is never stored without its task
    (a broker that is down keeps the outbox row for the sweep). Types we do not handle are stored as processed
    ("ignored") and reach no worker."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApplicationError("invalid", "Not a Stripe event.") from exc
    try:
        event = stripe_api.webhook_event(payload=text, signature=signature)
    except stripe_api.SignatureError as exc:
        raise ApplicationError("bad_signature", "The Stripe signature does not verify; nothing was done.") from exc
    except stripe_api.EventError as exc:
        raise ApplicationError("invalid", "Not a Stripe event.") from exc
    event_id, kind = event.get("id"), event.get("type")
    data = event.get("data")
    if (
        not isinstance(event_id, str)
        or not isinstance(kind, str)
        or not isinstance(data, dict)
        or not isinstance(data.get("object"), dict)
        or "\\u0000" in text  # PostgreSQL's jsonb cannot hold NUL
    ):
        raise ApplicationError("invalid", "Not a Stripe event.")
    created = event.get("created")
    created_at = dt.datetime.fromtimestamp(created, dt.UTC) if isinstance(created, int) else None
    handled = kind in _HANDLERS
    now = timezone.now()
    # no savepoint of its own: nothing here is retried within the request, and an error rolls the request back
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(
                _INSERT_EVENT,
                [
                    event_id[:255],
                    kind[:100],
                    created_at,
                    text,
                    now,
                    None if handled else now,
                    "" if handled else "ignored",
                ],
            )
            row = cursor.fetchone()
        if row is None:
            return WebhookOutcome(event_id=event_id, outcome="already received", duplicate=True)
        if not handled:
            return WebhookOutcome(event_id=event_id, outcome="ignored")
        enqueue(STRIPE_EVENT_TASK, row[0])
    return WebhookOutcome(event_id=event_id, outcome="received")


def stripe_event_process(*, event_id: int) -> WebhookOutcome:
    """Act on one stored event (`event_id` is our row's id), once: the row is locked, an event already processed
    returns at once (the outbox sweep may send the task twice), otherwise its handler runs and the outcome and
    `processed_at` are stored in the same transaction. An error rolls everything back and leaves the event
    unprocessed for the task's retry."""
    with transaction.atomic():
        row = (
            StripeEvent.objects.select_for_update()
            .filter(pk=event_id)
            .only("event_id", "type", "payload", "processed_at", "outcome")
            .first()
        )
        if row is None:
            return WebhookOutcome(event_id="", outcome="no such event", duplicate=True)
        if row.processed_at is not None:
            return WebhookOutcome(event_id=row.event_id, outcome="already processed", duplicate=True)
        handler = _HANDLERS.get(row.type)
        data = (row.payload.get("data") or {}).get("object") if isinstance(row.payload, dict) else None
        outcome = handler(data) if handler is not None and isinstance(data, dict) else "ignored"
        StripeEvent.objects.filter(pk=row.pk).update(processed_at=timezone.now(), outcome=outcome[:300])
    return WebhookOutcome(event_id=row.event_id, outcome=outcome)


def _payment_for(intent: dict) -> Payment | None:
    intent_id = intent.get("id")
    if not isinstance(intent_id, str):
        return None
    return (
        Payment.objects.select_related("agency", "invoice")
        .filter(stripe_payment_intent_id=intent_id, method=PaymentMethod.CARD)
        .first()
    )


def _intent_succeeded(intent: dict) -> str:
    payment = _payment_for(intent)
    if payment is None:
        return "unknown payment intent"
    received = intent.get("amount_received", intent.get("amount"))
    if received != cents(payment.amount):
        return f"amount {received} differs from the payment's {cents(payment.amount)} cents; not applied"
    if payment.status == PaymentStatus.FAILED and not _revive(payment):
        return "succeeded after it was declined, but the invoice no longer takes it: needs finance review"
    if not payment_succeed(payment=payment):
        return f"already {payment.status}"
    payment.refresh_from_db(fields=["status"])
    if payment.created_by_id:
        _tell_payer(payment, NotificationKind.PAID, f"Invoice paid: {money(payment.amount)} by card")
    return "payment applied"


def _revive(payment: Payment) -> bool:
    """A PaymentIntent that failed and then succeeded (the payer retried with another card on the same intent):
    back to pending so the success is applied, unless another payment has started or the invoice is settled."""
    invoice = Invoice.objects.select_for_update().get(pk=payment.invoice_id)
    if invoice.status not in PAYABLE_INVOICE_STATUSES or invoice.balance_due < payment.amount:
        return False
    if Payment.objects.filter(invoice_id=invoice.pk, status=PaymentStatus.PENDING).exists():
        return False
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.FAILED).update(status=PaymentStatus.PENDING)
    payment.status = PaymentStatus.PENDING
    return True


def _intent_failed(intent: dict) -> str:
    payment = _payment_for(intent)
    if payment is None:
        return "unknown payment intent"
    error = intent.get("last_payment_error") or {}
    message = error.get("message") if isinstance(error, dict) else None
    message = str(message or "The card was declined.")
    if not payment_fail(payment=payment, message=message):
        return f"not applied: the payment is already {Payment.objects.get(pk=payment.pk).status}"
    if payment.created_by_id:
        _tell_payer(payment, NotificationKind.GENERAL, f"Card declined: {message}"[:200])
    return "payment declined"


def _tell_payer(payment: Payment, kind: str, title: str) -> None:
    notification_create(
        user=User(pk=payment.created_by_id),
        organization=payment.agency,
        title=title,
        url=f"/agencies/{payment.agency.slug}/invoices/{payment.invoice.public_id}/payments/{payment.public_id}/",
        kind=kind,
    )


def _charge_refunded(charge: dict) -> str:
    refunds = ((charge.get("refunds") or {}).get("data")) or []
    by_status = {r.get("id"): r.get("status") for r in refunds if isinstance(r, dict)}
    memos = list(
        CreditMemo.objects.filter(stripe_refund_id__in=[i for i in by_status if isinstance(i, str)]).order_by("id")
    )
    if not memos:
        return "no refund of ours in this charge"
    return "; ".join(_refund_settle(memo, by_status[memo.stripe_refund_id]) for memo in memos)


def _refund_updated(refund: dict) -> str:
    memo = CreditMemo.objects.filter(stripe_refund_id=refund.get("id")).first() if refund.get("id") else None
    if memo is None:
        return "unknown refund"
    return _refund_settle(memo, refund.get("status"), refund.get("failure_reason"))


def _refund_settle(memo: CreditMemo, status, failure_reason=None) -> str:
    if status == "succeeded":
        if not refund_succeed(credit_memo=memo):
            return f"{memo.number}: already settled"
        # a refunded credit counts against the invoice once the money is back on the card (see credit_memo_create)
        invoice = Invoice.objects.select_for_update().get(pk=memo.invoice_id)
        invoice.amount_credited += memo.amount
        invoice.save(update_fields=["amount_credited"])
        return f"{memo.number}: refunded"
    if status in ("failed", "canceled"):
        refund_fail(credit_memo=memo, message=f"Refund {status}" + (f": {failure_reason}" if failure_reason else ""))
        return f"{memo.number}: refund {status}"
    return f"{memo.number}: refund {status or 'unknown'}; waiting"


_HANDLERS = {
    "payment_intent.succeeded": _intent_succeeded,
    "payment_intent.payment_failed": _intent_failed,
    "charge.refunded": _charge_refunded,
    "refund.updated": _refund_updated,
    "charge.refund.updated": _refund_updated,
}


# --- Credit memos and refunds ---------------------------------------------------------------------------------


def _refundable(payment: Payment) -> Decimal:
    taken = CreditMemo.objects.filter(
        payment=payment, refund_status__in=[RefundStatus.PENDING, RefundStatus.SUCCEEDED]
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return payment.amount - taken


def credit_memo_create(*, invoice: Invoice, actor: User, po_line_id: int, quantity: int, reason: str) -> CreditMemo:
    """Credit `quantity` units of one invoiced line (returned or cancelled). On an invoice the agency has paid in
    full by card, the credit is refunded to that card; it counts in `amount_credited` when the refund succeeds (the
    invoice's own check — paid ≤ total − credited + refunded — holds at every step)."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("invalid", "Nothing was changed: say why.", {"reason": ["Required."]})
    if "\x00" in reason or len(reason) > REASON_MAX:
        raise ApplicationError("invalid", "Nothing was changed: the reason is not valid.", {"reason": ["Not valid."]})
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update(of=("self",)).select_related("agency").get(pk=invoice.pk)
        if not (_roles(user=actor, organization_id=invoice.supplier_id) & CREDIT_ROLES):
            raise ApplicationError("permission_denied", "Your role does not allow issuing credits.", status=403)
        if invoice.status == InvoiceStatus.VOID:
            raise ApplicationError("invoice_void", f"Invoice {invoice.number} is void; nothing to credit.", status=409)
        line = InvoiceLine.objects.filter(invoice=invoice, po_line_id=po_line_id).first()
        if line is None:
            raise ApplicationError("invalid", "Nothing was changed.", {"po_line": ["Not a line of this invoice."]})
        credited = (
            CreditMemo.objects.filter(invoice=invoice, po_line_id=po_line_id)
            .exclude(refund_status=RefundStatus.FAILED)
            .aggregate(total=Sum("quantity"))["total"]
            or 0
        )
        if not 1 <= quantity <= line.quantity - credited:
            raise ApplicationError(
                "invalid",
                "Nothing was changed.",
                {
                    "quantity": [
                        f"Between 1 and {line.quantity - credited} ({line.quantity} invoiced, {credited} credited)."
                    ]
                },
            )
        amount = (line.unit_price * quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        if Payment.objects.filter(invoice=invoice, status=PaymentStatus.PENDING).exists():
            raise ApplicationError(
                "payment_in_progress",
                "A card payment of this invoice is in progress; credit it once the payment has settled.",
                status=409,
            )
        balance = invoice.balance_due
        payment = None
        if amount > balance:
            if balance > 0:
                raise ApplicationError(
                    "credit_above_balance",
                    f"The credit of {money(amount)} is more than the {money(balance)} still due on this partly paid "
                    f"invoice. Credit at most {money(balance)} now.",
                    status=409,
                )
            payment = (
                Payment.objects.filter(invoice=invoice, method=PaymentMethod.CARD, status=PaymentStatus.SUCCEEDED)
                .exclude(stripe_payment_intent_id=None)
                .order_by("-settled_at", "-id")
                .first()
            )
            if payment is None:
                raise ApplicationError(
                    "not_paid_by_card",
                    f"Invoice {invoice.number} was paid on account: return the {money(amount)} to the agency "
                    "outside the marketplace.",
                    status=409,
                )
            if amount > _refundable(payment):
                raise ApplicationError(
                    "refund_above_paid",
                    f"A refund of {money(amount)} is more than the {money(_refundable(payment))} paid by card and "
                    "not yet refunded. Nothing was changed.",
                    status=409,
                )
        number = f"{invoice.number}-CM{CreditMemo.objects.filter(invoice=invoice).count() + 1}"
        memo = CreditMemo.objects.create(
            invoice=invoice,
            po_line_id=po_line_id,
            agency_id=invoice.agency_id,
            supplier_id=invoice.supplier_id,
            cooperative_id=invoice.cooperative_id,
            number=number,
            quantity=quantity,
            amount=amount,
            reason=reason,
            payment=payment,
            refund_status=RefundStatus.PENDING if payment else RefundStatus.NONE,
            created_by=actor,
        )
        if payment is None:
            invoice.amount_credited += amount
            invoice.save(update_fields=["amount_credited"])
        else:
            refund = stripe_api.refund_create(
                intent_id=payment.stripe_payment_intent_id,
                amount_cents=cents(amount),
                metadata={
                    "invoice_number": invoice.number,
                    "credit_memo": number,
                    "credit_memo_id": str(memo.public_id),
                },
                key=stripe_api.idempotency_key(memo.public_id, "refund"),
            )
            memo.stripe_refund_id = refund.id
            memo.save(update_fields=["stripe_refund_id"])
        audit_record(
            actor=actor,
            action="credit_memo.created",
            organization=invoice.supplier,
            obj=memo,
            after={
                "invoice": invoice.number,
                "number": number,
                "quantity": quantity,
                "amount": str(amount),
                "refund": memo.stripe_refund_id or "",
            },
        )
        what = f"a refund of {money(amount)} to the card is on its way" if payment else f"{money(amount)} credited"
        for user in organization_users(organization=invoice.agency_id, roles=PAYER_ROLES):
            notification_create(
                user=user,
                organization=invoice.agency,
                title=f"Credit memo {number} on invoice {invoice.number}: {what}",
                body=reason,
                kind=NotificationKind.REFUND,
            )
    return memo
