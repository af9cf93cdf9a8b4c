"""Confirming a card payment on the server with a Stripe.js card token (`card_payment_confirm`, the pay page's
JSON route and the API) against localstripe: a good card, declines, 3-D Secure, and every refusal changing
nothing. Confirming never settles the payment: only Stripe's webhook does."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.core.errors import ApplicationError
from orders.billing.services.cards import card_payment_confirm, card_payment_start
from orders.billing.stripe.client import stripe_client
from orders.models import InvoiceStatus, Payment, PaymentStatus
from tests.payments.helpers import DECLINED_BY_LOCALSTRIPE, SUCCEEDS, books, card_token, payable_invoice
from tests.payments.isolation_routes import _other_rows

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha/invoices/{}/payments/{}/confirm/"
PAGE = "/agencies/city-of-alpha/invoices/{}/payments/{}/confirm/"
NEEDS_3DS = "4000002500003155"


def _started(world, finance):
    invoice = payable_invoice(world)
    return invoice, card_payment_start(invoice=invoice, actor=finance).payment


def _intent(payment):
    return stripe_client().v1.payment_intents.retrieve(payment.stripe_payment_intent_id)


def test_a_good_card_confirms_the_intent_but_only_the_webhook_settles_it(client, world, finance):
    invoice, payment = _started(world, finance)
    client.force_login(finance)
    response = client.post(API.format(invoice.public_id, payment.public_id), {"token": card_token(SUCCEEDS)})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": str(payment.public_id),
        "status": "succeeded",
        "client_secret": "",
        "message": "",
    }
    intent = _intent(payment)
    assert (intent.status, intent.amount) == ("succeeded", 2000)
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING  # the webhook settles it, not the confirm
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.READY, 0)


def test_the_pay_pages_json_route_answers_with_the_status_page(client, world, finance):
    invoice, payment = _started(world, finance)
    client.force_login(finance)
    response = client.post(PAGE.format(invoice.public_id, payment.public_id), {"token": card_token(SUCCEEDS)})
    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    assert (
        response.json()["status_url"]
        == f"/agencies/city-of-alpha/invoices/{invoice.public_id}/payments/{payment.public_id}/"
    )


def test_the_pay_pages_json_route_is_csrf_protected(world, finance):
    invoice, payment = _started(world, finance)
    client = Client(enforce_csrf_checks=True)
    client.force_login(finance)
    before = books(invoice)
    response = client.post(PAGE.format(invoice.public_id, payment.public_id), {"token": "tok_forged"})
    assert response.status_code == 403
    assert books(invoice) == before
    assert _intent(payment).status == "requires_payment_method"


@pytest.mark.parametrize("number", [DECLINED_BY_LOCALSTRIPE, "4000000000000002"])
def test_a_declined_card_answers_with_the_message_and_leaves_the_invoice_unpaid(client, world, finance, number):
    invoice, payment = _started(world, finance)
    client.force_login(finance)
    response = client.post(API.format(invoice.public_id, payment.public_id), {"token": card_token(number)})
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["message"] == "Your card was declined."
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert (payment.status, payment.failure_message) == (PaymentStatus.PENDING, "Your card was declined.")
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.READY, 0)


def test_3d_secure_answers_requires_action_with_the_client_secret(world, finance):
    _invoice, payment = _started(world, finance)
    confirmed = card_payment_confirm(payment=payment, actor=finance, token=card_token(NEEDS_3DS))
    intent = _intent(payment)
    assert (confirmed.status, confirmed.client_secret) == ("requires_action", intent.client_secret)
    assert intent.status == "requires_action"


@pytest.mark.parametrize("status", [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED])
def test_a_payment_that_is_not_pending_is_refused_and_nothing_is_charged(client, world, finance, status):
    invoice, payment = _started(world, finance)
    Payment.objects.filter(pk=payment.pk).update(status=status)
    client.force_login(finance)
    before = books(invoice)
    response = client.post(API.format(invoice.public_id, payment.public_id), {"token": card_token(SUCCEEDS)})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_pending"
    assert books(invoice) == before
    assert _intent(payment).status == "requires_payment_method"


def test_a_requester_who_may_not_pay_is_refused(client, world, finance):
    invoice, payment = _started(world, finance)
    client.force_login(world.requester)
    before = books(invoice)
    response = client.post(API.format(invoice.public_id, payment.public_id), {"token": card_token(SUCCEEDS)})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    with pytest.raises(ApplicationError) as refused:
        card_payment_confirm(payment=payment, actor=world.requester, token=card_token(SUCCEEDS))
    assert refused.value.status_code == 403
    assert books(invoice) == before
    assert _intent(payment).status == "requires_payment_method"


def test_another_agencys_payment_is_not_found(client, world, finance):
    invoice, _payment = _started(world, finance)
    _other_rows(world)
    other_invoice, other_payment = world.probe_card_other_invoice, world.probe_card_other_payment
    client.force_login(finance)
    before = books(invoice), books(other_invoice)
    for invoice_id, payment_id in [
        (invoice.public_id, other_payment.public_id),  # our invoice, their payment
        (other_invoice.public_id, other_payment.public_id),  # their invoice through our URL
    ]:
        for url in (API, PAGE):
            response = client.post(url.format(invoice_id, payment_id), {"token": "tok_x"})
            assert response.status_code == 404, url
    assert (books(invoice), books(other_invoice)) == before


@pytest.mark.parametrize(
    "token",
    ["", "card_123", "tok_'; DROP TABLE x;--", "tok_a\x00b", "tok_" + "a" * 10_000, "pm_card_visa", "tok_ä"],
)
def test_a_hostile_token_is_refused_and_nothing_is_charged(client, world, finance, token):
    invoice, payment = _started(world, finance)
    client.force_login(finance)
    before = books(invoice)
    for url in (API, PAGE):
        response = client.post(url.format(invoice.public_id, payment.public_id), {"token": token})
        assert response.status_code == 400, (url, response.content[:200])
        if url == API or "\x00" not in token:  # the middleware refuses NUL in a page's form with an HTML 400
            assert response.json()["error"]["code"] in ("invalid", "bad_request")
    response = client.post(
        API.format(invoice.public_id, payment.public_id), {"token": ["tok_a", "tok_b"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert books(invoice) == before
    assert _intent(payment).status == "requires_payment_method"
