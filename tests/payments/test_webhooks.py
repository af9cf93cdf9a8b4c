"""Stripe's webhook, an inbox: it verifies, stores the event by id with an outbox row for the worker, and answers
200; the worker (`stripe_event_process`) acts on it once. localstripe's own signed events settle a succeeding and a
declined card through a real Celery worker; our replayer sends duplicates, out-of-order, stale, forged and unknown
events and then runs the processing itself. Nothing is ever applied twice; a forged or stale event is refused (400)
with nothing stored."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.models import OutboxTask
from marketplace.core.services.outbox import outbox_sweep
from orders.billing.services.cards import card_payment_start
from orders.models import AdminFeeAccrual, InvoiceStatus, Payment, PaymentStatus, StripeEvent
from orders.tasks import stripe_event_process as stripe_event_process_task
from tests.payments.helpers import (
    DECLINED_BY_LOCALSTRIPE,
    SUCCEEDS,
    books,
    browser_confirms,
    deliver,
    event,
    intent_event,
    payable_invoice,
    pending_card_payment,
    process,
    settle,
    sign,
)

NUL_EVENT = event("payment_intent.succeeded", {"id": "pi_\x00", "amount": 1})


def _wait_for(predicate, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_succeeding_card_pays_the_invoice_once_localstripes_webhook_arrives(
    localstripe_webhooks, worker, client, world, finance
):
    invoice = payable_invoice(world)
    started = card_payment_start(invoice=invoice, actor=finance)
    status_page = f"/agencies/city-of-alpha/invoices/{invoice.public_id}/payments/{started.payment.public_id}/"
    client.force_login(finance)
    assert "Processing" in client.get(status_page).content.decode()  # the redirect back decides nothing

    assert browser_confirms(started.payment.stripe_payment_intent_id, SUCCEEDS) is None
    assert _wait_for(lambda: Payment.objects.get(pk=started.payment.pk).status != PaymentStatus.PENDING)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance_due) == (InvoiceStatus.PAID, Decimal("20.00"), 0)
    assert StripeEvent.objects.get(type="payment_intent.succeeded").outcome == "payment applied"
    assert AdminFeeAccrual.objects.filter(payment=started.payment).count() == 1
    page = client.get(status_page).content.decode()
    assert "Paid" in page and "$20.00" in page


@pytest.mark.django_db(transaction=True)
def test_a_declined_card_leaves_the_invoice_unpaid_with_the_decline_message(
    localstripe_webhooks, worker, client, world, finance
):
    invoice = payable_invoice(world)
    started = card_payment_start(invoice=invoice, actor=finance)
    declined = browser_confirms(started.payment.stripe_payment_intent_id, DECLINED_BY_LOCALSTRIPE)
    assert declined is not None and "declined" in declined.user_message
    assert _wait_for(lambda: Payment.objects.get(pk=started.payment.pk).status != PaymentStatus.PENDING)

    payment = Payment.objects.get(pk=started.payment.pk)
    assert (payment.status, payment.failure_message) == (PaymentStatus.FAILED, "Your card was declined.")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.READY, 0)
    client.force_login(finance)
    page = client.get(f"/agencies/city-of-alpha/invoices/{invoice.public_id}/payments/{payment.public_id}/")
    assert "Declined" in page.content.decode() and "Your card was declined." in page.content.decode()
    # and the agency may try again: a new payment, a new intent
    again = card_payment_start(invoice=invoice, actor=finance)
    assert again.created and again.payment.pk != payment.pk


@pytest.mark.django_db
def test_the_same_event_three_times_is_applied_once(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    payload = intent_event("payment_intent.succeeded", payment, event_id="evt_dup_1")
    answers = [deliver(payload) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["outcome"] for a in answers] == ["received", "already received", "already received"]
    assert [process(payload) for _ in range(2)] == ["payment applied", "already processed"]
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("20.00"), InvoiceStatus.PAID)
    assert AdminFeeAccrual.objects.filter(payment=payment).count() == 1
    assert StripeEvent.objects.filter(event_id="evt_dup_1").count() == 1


@pytest.mark.django_db
def test_three_different_succeeded_events_for_one_intent_apply_once(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    outcomes = [settle(intent_event("payment_intent.succeeded", payment)) for _ in range(3)]
    assert outcomes == ["payment applied", "already succeeded", "already succeeded"]
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("20.00")


@pytest.mark.django_db
def test_failed_after_succeeded_never_unpays(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    settle(intent_event("payment_intent.succeeded", payment))
    late = settle(intent_event("payment_intent.payment_failed", payment, message="Your card was declined."))
    assert late.startswith("not applied")
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert (payment.status, payment.failure_message) == (PaymentStatus.SUCCEEDED, "")
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PAID, Decimal("20.00"))


@pytest.mark.django_db
def test_succeeded_after_a_decline_on_the_same_intent_is_applied(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    settle(intent_event("payment_intent.payment_failed", payment, message="Insufficient funds."))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.failure_message == "Insufficient funds."
    assert settle(intent_event("payment_intent.succeeded", payment)) == "payment applied"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PAID, Decimal("20.00"))


@pytest.mark.django_db
def test_a_declined_4000_0000_0000_0002_card_is_shown_with_its_message(client, world, finance):
    """Stripe declines 4000 0000 0000 0002 at confirmation (localstripe only at attach): replayed here."""
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    settle(intent_event("payment_intent.payment_failed", payment, message="Your card was declined."))
    client.force_login(finance)
    page = client.get(f"/agencies/city-of-alpha/invoices/{invoice.public_id}/payments/{payment.public_id}/")
    assert "Your card was declined." in page.content.decode()
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0 and invoice.status == InvoiceStatus.READY


@pytest.mark.django_db
def test_unknown_intent_is_stored_and_answered_200_changing_nothing(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    before = books(invoice)
    payload = event("payment_intent.succeeded", {"id": "pi_nobody_knows", "amount": 2000, "amount_received": 2000})
    assert settle(payload) == "unknown payment intent"
    assert StripeEvent.objects.get().outcome == "unknown payment intent"
    assert books(invoice)[:-1] == before[:-1]  # only the event row was added
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.django_db
def test_an_amount_other_than_the_payments_is_not_applied(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    payload = event(
        "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id, "amount": 1, "amount_received": 1}
    )
    assert "not applied" in settle(payload)
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0


@pytest.mark.django_db
def test_events_we_do_not_handle_get_200_ignored(world):
    response = deliver(event("customer.created", {"id": "cus_1"}))
    assert (response.status_code, response.json()["outcome"]) == (200, "ignored")
    stored = StripeEvent.objects.get()
    assert (stored.outcome, stored.processed_at is not None) == ("ignored", True)
    assert not OutboxTask.objects.filter(task_name="orders.stripe_event_process").exists()  # no work for a worker


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=1,v1=deadbeef",
        "nonsense",
        "t=abc,v1=" + "0" * 64,
        "x" * 10_000,
        "t=1\x00,v1=1",
    ],
)
def test_forged_signatures_are_refused_and_nothing_is_stored(world, finance, signature):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    before = books(invoice)
    response = deliver(intent_event("payment_intent.succeeded", payment), signature=signature)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_signature"
    assert books(invoice) == before


@pytest.mark.django_db
def test_a_payload_signed_with_another_secret_or_altered_is_refused(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    payload = intent_event("payment_intent.succeeded", payment)
    before = books(invoice)
    assert deliver(payload, signature=sign(payload, secret="whsec_attacker")).status_code == 400
    altered = payload.replace(b'"amount": 2000', b'"amount": 1')
    assert deliver(altered, signature=sign(payload)).status_code == 400
    assert books(invoice) == before


@pytest.mark.django_db
def test_a_stale_timestamp_is_refused(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    payload = intent_event("payment_intent.succeeded", payment)
    before = books(invoice)
    stale = sign(payload, timestamp=int(time.time()) - settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS - 60)
    assert deliver(payload, signature=stale).status_code == 400
    assert books(invoice) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"id": 5}', b"\x00" * 100, b"{" * 10_000, b"\xff\xfe", b"[" * 100_000, NUL_EVENT],
)
def test_hostile_bodies_with_valid_signatures_are_4xx_never_500(world, body):
    response = deliver(body)
    assert 400 <= response.status_code < 500 or (
        response.status_code == 200 and response.json()["outcome"] == "ignored"
    )
    assert not StripeEvent.objects.exclude(outcome="ignored").exists()


@pytest.mark.django_db
def test_get_is_not_allowed_and_queries_per_event_are_constant(client, world, finance):
    assert client.get("/webhooks/stripe/").status_code == 405
    received, processed = [], []
    for number in range(3):
        invoice = payable_invoice(world, number=f"INV-Q{number}")
        payment = pending_card_payment(invoice, by=finance)
        payload = intent_event("payment_intent.succeeded", payment)
        with CaptureQueriesContext(connection) as queries:
            assert deliver(payload).json()["outcome"] == "received"
        received.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert process(payload) == "payment applied"
        processed.append(len(queries))
    assert received[0] == received[1] == received[2] <= 6  # a handful: insert the event, the outbox row
    assert processed[0] == processed[1] == processed[2]


@pytest.mark.django_db
def test_the_webhook_stores_the_event_unprocessed_until_the_task_runs(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    before = books(invoice)
    payload = intent_event("payment_intent.succeeded", payment, event_id="evt_inbox_1")

    response = deliver(payload)

    assert response.status_code == 200
    assert response.json() == {"received": "evt_inbox_1", "outcome": "received"}
    stored = StripeEvent.objects.get(event_id="evt_inbox_1")
    assert (stored.type, stored.processed_at, stored.outcome) == ("payment_intent.succeeded", None, "")
    assert stored.payload["data"]["object"]["id"] == payment.stripe_payment_intent_id
    outbox = OutboxTask.objects.get(task_name="orders.stripe_event_process")
    assert (outbox.args, outbox.kwargs) == ([stored.pk], {})
    assert books(invoice)[:-1] == before[:-1]  # nothing applied yet: only the event row is new

    assert stripe_event_process_task(stored.pk) == "payment applied"  # the task function the worker runs
    stored.refresh_from_db()
    assert stored.outcome == "payment applied" and stored.processed_at is not None
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.PAID, Decimal("20.00"))


@pytest.mark.django_db
def test_the_task_run_twice_applies_once(world, finance):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    payload = intent_event("payment_intent.succeeded", payment)
    deliver(payload)
    row_id = StripeEvent.objects.get().pk

    assert [stripe_event_process_task(row_id) for _ in range(2)] == ["payment applied", "already processed"]

    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("20.00"), InvoiceStatus.PAID)
    assert AdminFeeAccrual.objects.filter(payment=payment).count() == 1
    assert StripeEvent.objects.get().outcome == "payment applied"  # the second run kept the first outcome


@pytest.mark.django_db
def test_processing_a_row_that_is_not_there_changes_nothing(world):
    assert stripe_event_process_task(987654) == "no such event"
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_while_the_broker_is_down_keeps_the_event_and_its_outbox_row(world, finance, settings):
    invoice = payable_invoice(world)
    payment = pending_card_payment(invoice, by=finance)
    broker = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    payload = intent_event("payment_intent.succeeded", payment, event_id="evt_broker_down")

    response = deliver(payload)  # committed for real; the publish after commit fails

    assert (response.status_code, response.json()["outcome"]) == (200, "received")
    stored = StripeEvent.objects.get(event_id="evt_broker_down")
    assert stored.processed_at is None
    outbox = OutboxTask.objects.get(task_name="orders.stripe_event_process", args=[stored.pk])
    assert (outbox.sent_at, outbox.attempts) == (None, 1) and outbox.last_error
    assert deliver(payload).json()["outcome"] == "already received"  # Stripe's retry adds nothing
    assert OutboxTask.objects.filter(task_name="orders.stripe_event_process").count() == 1
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0

    settings.CELERY_BROKER_URL = broker  # back: the sweep re-sends the row
    assert outbox_sweep(older_than_seconds=0) >= 1
    outbox.refresh_from_db()
    assert outbox.sent_at is not None
    # whoever runs it first (a worker of this session or this call), the payment is applied once
    assert stripe_event_process_task(stored.pk) in ("payment applied", "already processed")
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("20.00"), InvoiceStatus.PAID)
    assert AdminFeeAccrual.objects.filter(payment=payment).count() == 1
