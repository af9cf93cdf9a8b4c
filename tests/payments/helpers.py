"""Payment test helpers: a payable invoice, the payer's browser played against localstripe (what Stripe.js does
with a card), and our own signed-event replayer (`t=…,v1=HMAC-SHA256` with the webhook secret, as Stripe signs);
`settle` delivers an event and then runs what the worker runs on it (`stripe_event_process`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from django.conf import settings
from django.test import Client

from orders.billing.stripe.client import stripe_client
from orders.models import CreditMemo, Invoice, Payment, PaymentMethod, PaymentStatus, StripeEvent
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po

WEBHOOK = "/webhooks/stripe/"
DECLINED_BY_LOCALSTRIPE = "4000000000000341"  # localstripe declines 4000…0002 only when attaching to a customer
SUCCEEDS = "4242424242424242"


def payable_invoice(world, *, number="INV-100", quantity=2, lines=1) -> Invoice:
    po = receive_all(shipped_po(world, quantity=quantity, lines=lines))
    return invoice_rows(po, number=number, user=world.supplier_admin)


def browser_confirms(intent_id: str, card_number: str):
    """What Stripe.js does with the card element: a PaymentMethod for the card, then confirm the intent. Returns
    the error raised by Stripe for a declined card (or None)."""
    import stripe

    client = stripe_client()
    method = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": card_number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    try:
        client.v1.payment_intents.confirm(intent_id)
    except stripe.CardError as exc:
        return exc
    return None


def sign(payload: bytes, *, secret: str | None = None, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    secret = settings.STRIPE_WEBHOOK_SECRET if secret is None else secret
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def event(kind: str, obj: dict, *, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()


def intent_event(kind: str, payment: Payment, *, message: str = "", event_id: str | None = None) -> bytes:
    obj = {
        "id": payment.stripe_payment_intent_id,
        "object": "payment_intent",
        "amount": int(payment.amount * 100),
        "amount_received": int(payment.amount * 100) if kind.endswith("succeeded") else 0,
        "currency": "usd",
        "status": "succeeded" if kind.endswith("succeeded") else "requires_payment_method",
        "last_payment_error": {"message": message, "code": "card_declined"} if message else None,
    }
    return event(kind, obj, event_id=event_id)


def refund_event(memo: CreditMemo, *, status: str = "succeeded", event_id: str | None = None) -> bytes:
    obj = {
        "id": "ch_test",
        "object": "charge",
        "payment_intent": memo.payment.stripe_payment_intent_id,
        "refunded": False,
        "refunds": {"object": "list", "data": [{"id": memo.stripe_refund_id, "object": "refund", "status": status}]},
    }
    return event("charge.refunded", obj, event_id=event_id)


def deliver(payload: bytes, *, signature: str | None = None, client: Client | None = None):
    client = client or Client()
    return client.post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload) if signature is None else signature,
    )


def process(payload: bytes) -> str:
    """What the worker does with a stored event (the service the task calls); returns the outcome."""
    from orders.billing.services.cards import stripe_event_process

    row = StripeEvent.objects.get(event_id=json.loads(payload)["id"])
    return stripe_event_process(event_id=row.pk).outcome


def settle(payload: bytes, *, client: Client | None = None) -> str:
    """A signed delivery (answered 200) and then the worker's processing of it: the outcome of the processing."""
    response = deliver(payload, client=client)
    assert response.status_code == 200, response.content
    return process(payload)


def pending_card_payment(invoice: Invoice, *, intent_id: str | None = None, by=None) -> Payment:
    """A pending card payment as rows (for webhook tests that do not need Stripe to know the intent)."""
    return Payment.objects.create(
        invoice=invoice,
        agency=invoice.agency,
        supplier=invoice.supplier,
        cooperative=invoice.cooperative,
        method=PaymentMethod.CARD,
        status=PaymentStatus.PENDING,
        amount=invoice.balance_due,
        stripe_payment_intent_id=intent_id or f"pi_test_{uuid.uuid4().hex[:16]}",
        created_by=by,
    )


def books(invoice: Invoice) -> tuple:
    """Everything a payment or refund may change, to assert a refusal changed nothing."""
    invoice.refresh_from_db()
    return (
        invoice.status,
        invoice.amount_paid,
        invoice.amount_credited,
        invoice.amount_refunded,
        tuple(Payment.objects.filter(invoice=invoice).order_by("id").values_list("status", "amount")),
        tuple(CreditMemo.objects.filter(invoice=invoice).order_by("id").values_list("refund_status", "amount")),
        StripeEvent.objects.count(),
    )


def invoice_with_card_payment(po, *, user, status: str = PaymentStatus.FAILED) -> tuple[Invoice, Payment]:
    """An invoice for 1 unit of each line of a released `po` (rows; the line marked shipped and received), with one
    card payment in `status` (for route walks that need an invoice and a payment id)."""
    po.lines.update(quantity_shipped=1, quantity_received=1)
    invoice = invoice_rows(po, number=f"{po.number}-INV", user=user, quantities={line.pk: 1 for line in po.lines.all()})
    payment = Payment.objects.create(
        invoice=invoice,
        agency=invoice.agency,
        supplier=invoice.supplier,
        cooperative=invoice.cooperative,
        method=PaymentMethod.CARD,
        status=status,
        amount=invoice.total,
        stripe_payment_intent_id=f"pi_walk_{uuid.uuid4().hex[:16]}",
    )
    return invoice, payment


def card_token(card_number: str) -> str:
    """What Stripe.js `createToken(cardElement)` does in the payer's browser: the card becomes a `tok_…`."""
    token = stripe_client().v1.tokens.create(
        params={"card": {"number": card_number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}}
    )
    return token.id
