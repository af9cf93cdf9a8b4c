"""The one place that calls Stripe. Every call goes through `StripeGateway`: the `stripe` library's
`StripeClient` with the API base from settings (`STRIPE_API_BASE`, empty for Stripe itself), a timeout
(`STRIPE_TIMEOUT_SECONDS`), a few network retries, and an idempotency key derived from our own row's public id
and the action, so a retried request never charges or refunds twice. Stripe's errors become `ApplicationError`
with a message a person can act on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import stripe
from django.conf import settings

from marketplace.core.errors import ApplicationError

CURRENCY = "usd"


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str
    status: str
    amount_cents: int


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str
    amount_cents: int


def idempotency_key(public_id, action: str) -> str:
    """One key per (our row, action): Stripe answers a retry with the first result."""
    return f"mkt-{action}-{public_id}"


@lru_cache(maxsize=8)
def _client(api_key: str, api_base: str, timeout: float, retries: int) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=retries,
        http_client=stripe.new_default_http_client(timeout=timeout),
    )


def stripe_client() -> stripe.StripeClient:
    return _client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE,
        float(settings.STRIPE_TIMEOUT_SECONDS),
        int(settings.STRIPE_MAX_NETWORK_RETRIES),
    )


def _refusal(exc: stripe.StripeError, doing: str) -> ApplicationError:
    if isinstance(exc, stripe.CardError):
        return ApplicationError("card_declined", exc.user_message or "The card was declined.", status=402)
    if isinstance(exc, (stripe.APIConnectionError, stripe.RateLimitError)):
        return ApplicationError(
            "payment_provider_unavailable",
            f"Could not reach the card processor to {doing}. Nothing was charged; try again in a minute.",
            status=503,
        )
    message = getattr(exc, "user_message", None) or "the card processor refused the request"
    return ApplicationError("payment_provider_error", f"Could not {doing}: {message}.", status=502)


def payment_intent_create(*, amount_cents: int, metadata: dict[str, str], key: str) -> Intent:
    """A PaymentIntent for `amount_cents` (USD, card), confirmed later by Stripe.js in the payer's browser."""
    try:
        intent = stripe_client().v1.payment_intents.create(
            params={
                "amount": amount_cents,
                "currency": CURRENCY,
                "payment_method_types": ["card"],
                "metadata": metadata,
            },
            options={"idempotency_key": key},
        )
    except stripe.StripeError as exc:
        raise _refusal(exc, "start the card payment") from exc
    return Intent(id=intent.id, client_secret=intent.client_secret, status=intent.status, amount_cents=intent.amount)


def payment_intent_retrieve(*, intent_id: str) -> Intent:
    try:
        intent = stripe_client().v1.payment_intents.retrieve(intent_id)
    except stripe.StripeError as exc:
        raise _refusal(exc, "read the card payment") from exc
    return Intent(id=intent.id, client_secret=intent.client_secret, status=intent.status, amount_cents=intent.amount)


@dataclass(frozen=True)
class Confirmation:
    """What confirming a PaymentIntent answered: its status (`succeeded`, `processing`, `requires_action`, …) or
    `declined` with the card issuer's message."""

    status: str
    client_secret: str = ""
    decline_message: str = ""


def payment_intent_confirm_with_token(
    *, intent_id: str, token: str, metadata: dict[str, str], key: str
) -> Confirmation:
    """Confirm a PaymentIntent on the server with a card Stripe.js tokenized in the browser (`createToken`): the
    token's card is saved on a new Customer, set as the intent's payment method, and the intent confirmed — three
    documented calls (Customer `source=tok_…`, PaymentIntent update with `customer` + `payment_method=card_…`,
    PaymentIntent confirm; see docs/decisions/0011 for why this variant). `key` is the attempt's idempotency key
    prefix (one per token): a retried request never charges twice. A declined card is a `declined` answer."""
    client = stripe_client()
    try:
        customer = client.v1.customers.create(
            params={"source": token, "metadata": metadata}, options={"idempotency_key": f"{key}-customer"}
        )
        client.v1.payment_intents.update(
            intent_id,
            params={"customer": customer.id, "payment_method": customer.default_source},
            options={"idempotency_key": f"{key}-method"},
        )
        intent = client.v1.payment_intents.confirm(intent_id, options={"idempotency_key": f"{key}-confirm"})
    except stripe.CardError as exc:
        return Confirmation(status="declined", decline_message=exc.user_message or "The card was declined.")
    except stripe.StripeError as exc:
        raise _refusal(exc, "confirm the card payment") from exc
    secret = intent.client_secret if intent.status == "requires_action" else ""
    return Confirmation(status=intent.status, client_secret=secret)


def refund_create(*, intent_id: str, amount_cents: int, metadata: dict[str, str], key: str) -> RefundResult:
    """Refund `amount_cents` of the PaymentIntent's charge (settled by the `charge.refunded` webhook)."""
    try:
        refund = stripe_client().v1.refunds.create(
            params={"payment_intent": intent_id, "amount": amount_cents, "metadata": metadata},
            options={"idempotency_key": key},
        )
    except stripe.StripeError as exc:
        raise _refusal(exc, "refund the card") from exc
    return RefundResult(id=refund.id, status=refund.status, amount_cents=refund.amount)


class SignatureError(Exception):
    """The webhook's signature is missing, forged or too old."""


class EventError(ValueError):
    """A correctly signed body that is not a Stripe event."""


def webhook_event(*, payload: str, signature: str) -> dict:
    """The verified event as a dict (`SignatureError` when the signature does not verify within the tolerance).

    The signature is checked on the raw text and the text parsed once (`json.loads`); not `construct_event`, which
    parses it again into a `StripeObject` tree that the webhook would only turn back into a dict."""
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as exc:
        raise SignatureError(str(exc)) from exc
    except (ValueError, TypeError, AttributeError) as exc:  # a header the library cannot even read
        raise SignatureError(str(exc)) from exc
    try:
        event = json.loads(payload)
    except (ValueError, TypeError, RecursionError) as exc:  # signed, but not a Stripe event
        raise EventError(str(exc)) from exc
    if not isinstance(event, dict):
        raise EventError("not a JSON object")
    return event
