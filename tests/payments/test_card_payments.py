"""Card payments against localstripe: a PaymentIntent for the balance due with the order's metadata, one pending
payment per invoice however often or by how many people it is started, and who may pay."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.core.errors import ApplicationError
from orders.billing.services.cards import card_payment_start
from orders.billing.stripe.client import stripe_client
from orders.models import InvoiceStatus, Payment, PaymentStatus
from tests.concurrency import run_at_once
from tests.payments.helpers import books, payable_invoice

pytestmark = pytest.mark.django_db

PAY_API = "/api/v1/agencies/city-of-alpha/invoices/{}/card-payments/"


def test_start_creates_an_intent_for_the_balance_with_the_order_in_metadata(world, finance):
    invoice = payable_invoice(world, quantity=3)  # 3 × $10.00
    started = card_payment_start(invoice=invoice, actor=finance)
    payment = started.payment
    assert (payment.status, payment.amount, payment.method) == (PaymentStatus.PENDING, Decimal("30.00"), "card")
    intent = stripe_client().v1.payment_intents.retrieve(payment.stripe_payment_intent_id)
    assert intent.amount == 3000 and intent.currency == "usd"
    assert intent.client_secret == started.client_secret
    assert intent.metadata.to_dict() == {
        "po_number": invoice.purchase_order.number,
        "invoice_number": "INV-100",
        "agency": "city-of-alpha",
        "invoice_id": str(invoice.public_id),
        "payment_id": str(payment.public_id),
    }


def test_a_second_click_gets_the_same_payment_and_intent(client, world, finance):
    invoice = payable_invoice(world)
    client.force_login(finance)
    first = client.post(PAY_API.format(invoice.public_id))
    second = client.post(PAY_API.format(invoice.public_id))
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["client_secret"] == second.json()["client_secret"]
    assert first.json()["amount"] == "20.00"
    assert Payment.objects.filter(invoice=invoice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_finance_users_at_once_make_one_payment(world, finance, make_member):
    other_finance = make_member(world.agency, "finance", email="finance2@alpha.test")
    invoice = payable_invoice(world)
    results = run_at_once(
        lambda: card_payment_start(invoice=invoice, actor=finance),
        lambda: card_payment_start(invoice=invoice, actor=other_finance),
    )
    assert results[0].payment.pk == results[1].payment.pk
    assert sorted([results[0].created, results[1].created]) == [False, True]
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_requester_may_pay_only_where_the_agency_allows(client, world):
    invoice = payable_invoice(world)
    client.force_login(world.requester)
    before = books(invoice)
    response = client.post(PAY_API.format(invoice.public_id))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "only its finance staff" in response.json()["error"]["message"]
    assert books(invoice) == before

    profile = world.agency.agency_profile
    profile.requesters_may_pay_by_card = True
    profile.save(update_fields=["requesters_may_pay_by_card"])
    invoice.purchase_order.requisition.requester = world.requester
    invoice.purchase_order.requisition.save(update_fields=["requester"])
    assert client.post(PAY_API.format(invoice.public_id)).status_code == 201


def test_another_agencys_invoice_through_my_url_is_404(client, world, finance):
    seed = payable_invoice(world)  # noqa: F841  (an invoice of our own exists too)
    from tests.isolation import seed_other_tenant

    seed_other_tenant(world)
    client.force_login(world.other_agency_admin)
    other_invoice = payable_invoice(world, number="INV-OTHER")
    other_invoice.agency = world.other_agency
    other_invoice.save(update_fields=["agency"])
    client.force_login(finance)
    before = books(other_invoice)
    response = client.post(PAY_API.format(other_invoice.public_id))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.get(f"/agencies/city-of-alpha/invoices/{other_invoice.public_id}/pay/").status_code == 404
    assert books(other_invoice) == before


@pytest.mark.parametrize(
    ("status", "code"), [(InvoiceStatus.ON_HOLD, "not_payable"), (InvoiceStatus.PAID, "not_payable")]
)
def test_an_invoice_not_open_for_payment_is_refused(world, finance, status, code):
    invoice = payable_invoice(world)
    invoice.status = status
    invoice.save(update_fields=["status"])
    before = books(invoice)
    with pytest.raises(ApplicationError) as refused:
        card_payment_start(invoice=invoice, actor=finance)
    assert (refused.value.code, refused.value.status_code) == (code, 409)
    assert books(invoice) == before


def test_nothing_due_is_refused(world, finance):
    invoice = payable_invoice(world)
    invoice.amount_credited = invoice.total
    invoice.save(update_fields=["amount_credited"])
    before = books(invoice)
    with pytest.raises(ApplicationError) as refused:
        card_payment_start(invoice=invoice, actor=finance)
    assert refused.value.code == "nothing_due"
    assert books(invoice) == before


def test_stripe_unreachable_is_a_clear_503_and_nothing_is_recorded(client, world, finance, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    invoice = payable_invoice(world)
    client.force_login(finance)
    before = books(invoice)
    response = client.post(PAY_API.format(invoice.public_id))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "payment_provider_unavailable"
    assert "Nothing was charged" in response.json()["error"]["message"]
    assert books(invoice) == before
