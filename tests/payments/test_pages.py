"""The pay page, its card form (Stripe.js from settings with the page's nonce, our own script, no inline script)
and its Content Security Policy, which adds exactly the Stripe.js and Stripe API origins; the status page read
from our own database, polled with htmx while pending."""

from __future__ import annotations

import re

import pytest

from orders.models import Payment, PaymentStatus
from tests.payments.helpers import payable_invoice, pending_card_payment

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_pay_page_shows_the_balance_and_a_pay_button_without_stripe_in_its_policy(client, world, finance):
    invoice = payable_invoice(world)
    client.force_login(finance)
    response = client.get(f"/agencies/city-of-alpha/invoices/{invoice.public_id}/pay/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pay $20.00 by card" in body and invoice.purchase_order.number in body
    policy = _csp(response)
    assert "frame-src" not in policy
    assert not any("127.0.0.1" in source for sources in policy.values() for source in sources)


def test_card_form_loads_stripe_js_with_the_nonce_and_the_policy_allows_exactly_stripe(
    client, world, finance, localstripe_url
):
    invoice = payable_invoice(world)
    client.force_login(finance)
    response = client.post(f"/agencies/city-of-alpha/invoices/{invoice.public_id}/pay/")
    body = response.content.decode()
    assert response.status_code == 200
    payment = Payment.objects.get(invoice=invoice)
    policy = _csp(response)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'", localstripe_url]
    assert policy["frame-src"] == [localstripe_url]
    assert policy["connect-src"] == ["'self'", localstripe_url]
    assert policy["default-src"] == ["'self'"]
    assert f'<script src="{localstripe_url}/js.stripe.com/v3/" nonce="{nonce}"></script>' in body
    assert 'src="/static/js/card-payment.js"' in body
    assert re.search(r"<script(?![^>]*\bsrc=)", body) is None  # no inline script
    assert "onclick" not in body and "style=" not in body
    confirm_url = f"/agencies/city-of-alpha/invoices/{invoice.public_id}/payments/{payment.public_id}/confirm/"
    assert f'data-confirm-url="{confirm_url}"' in body
    assert "_secret_" not in body  # the server confirms with a card token; the page needs no client secret
    assert "The card form needs JavaScript" in body  # <noscript>: what to do without JavaScript
    assert f"/payments/{payment.public_id}/" in body


def test_card_form_policy_follows_the_configured_stripe_origins(client, world, finance, settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    invoice = payable_invoice(world)
    client.force_login(finance)
    response = client.post(f"/agencies/city-of-alpha/invoices/{invoice.public_id}/pay/")
    policy = _csp(response)
    assert policy["script-src"][-1] == "https://js.stripe.com"
    assert policy["frame-src"] == ["https://js.stripe.com"]
    assert policy["connect-src"] == ["'self'", settings.STRIPE_API_BASE]


def test_status_page_polls_while_pending_and_stops_when_settled(client, world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    url = f"/agencies/city-of-alpha/invoices/{invoice.public_id}/payments/{payment.public_id}/"
    client.force_login(finance)
    page = client.get(url).content.decode()
    assert "Processing" in page and 'hx-trigger="every 2s"' in page and "reload it" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="payment-state"') and "<html" not in fragment
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED, failure_message="Insufficient funds.")
    settled = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Insufficient funds." in settled and "hx-trigger" not in settled


def test_payment_api_reads_our_books(client, world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    client.force_login(finance)
    response = client.get(f"/api/v1/agencies/city-of-alpha/invoices/{invoice.public_id}/payments/{payment.public_id}/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["amount"]) == ("pending", "20.00")


def test_a_pending_payment_is_offered_to_continue_not_to_start_again(client, world, finance):
    invoice = payable_invoice(world)
    pending_card_payment(invoice, by=finance)
    client.force_login(finance)
    body = client.get(f"/agencies/city-of-alpha/invoices/{invoice.public_id}/pay/").content.decode()
    assert "A card payment of $20.00 is in progress" in body and "Continue paying" in body
