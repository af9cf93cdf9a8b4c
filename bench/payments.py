"""Stripe webhook speed: how many `payment_intent.succeeded` events per second the webhook settles (signature
check included), its queries per event at 1 and at 50 events, and the time from the event's delivery to the
invoice showing paid.

    DATABASE_URL=… python bench/payments.py          # needs only a migrated database (`make bench` gives one)

Each event is a real signed delivery (`t=…,v1=HMAC-SHA256` with STRIPE_WEBHOOK_SECRET, as Stripe signs) sent to
`POST /webhooks/stripe/` through django.test.Client: signature verified by the `stripe` library, the event row
inserted by id, the pending card payment settled (invoice paid, admin fee accrued, audit row, the order moved on
to closed, the payer notified through the outbox), the event's outcome stored. Stripe itself is not called.

The data (a co-op, an agency, a supplier, one contract, shipped-received-invoiced purchase order and a pending card
payment per event; built with the test factories) is made inside one transaction rolled back at the end, so the
database is left as it was; requests end in a savepoint release instead of a COMMIT, and no task reaches the
broker.

Ends with `bench payments-webhook-throughput: … PASS|MISS`, `bench payments-webhook-queries: … PASS|MISS` and
`bench payments-succeeded-to-paid: … PASS|MISS`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from marketplace.core.roles import OrgKind  # noqa: E402
from orders.models import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus  # noqa: E402
from tests.factories import (  # noqa: E402
    AgencyFactory,
    CoopMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    SupplierFactory,
    UserFactory,
)
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po  # noqa: E402

EVENTS = int(os.environ.get("BENCH_PAYMENTS_EVENTS", "300"))
LATENCY_RUNS = 30
GOAL_EVENTS_PER_S = 200.0
GOAL_TO_PAID_MS = 100.0
WEBHOOK = "/webhooks/stripe/"


class Rollback(Exception):
    pass


class World:
    pass


def build_world() -> World:
    tag = uuid.uuid4().hex[:6]
    w = World()
    w.coop = OrganizationFactory(kind=OrgKind.COOPERATIVE, name="Bench Pay Co-op", slug=f"bench-pay-coop-{tag}")
    w.agency = AgencyFactory(organization__name="Bench Pay City", organization__slug=f"bench-pay-{tag}").organization
    w.supplier = SupplierFactory(
        organization__name="Bench Pay Supplier", organization__slug=f"bench-pay-sup-{tag}"
    ).organization
    CoopMembershipFactory(cooperative=w.coop, agency=w.agency)
    w.requester = UserFactory(email=f"requester-{tag}@bench.test")
    MembershipFactory(user=w.requester, organization=w.agency, role="requester")
    w.finance = UserFactory(email=f"finance-{tag}@bench.test")
    MembershipFactory(user=w.finance, organization=w.agency, role="finance")
    w.supplier_admin = UserFactory(email=f"admin-{tag}@bench.test")
    MembershipFactory(user=w.supplier_admin, organization=w.supplier, role="supplier_admin")
    return w


def pending_payments(world: World, count: int) -> list[Payment]:
    payments = []
    for n in range(count):
        po = receive_all(shipped_po(world, quantity=2, number=f"BENCH-PAY-{uuid.uuid4().hex[:10]}"))
        invoice = invoice_rows(po, number=f"BP-{uuid.uuid4().hex[:10]}-{n}", user=world.supplier_admin)
        payments.append(
            Payment.objects.create(
                invoice=invoice,
                agency=invoice.agency,
                supplier=invoice.supplier,
                cooperative=invoice.cooperative,
                method=PaymentMethod.CARD,
                status=PaymentStatus.PENDING,
                amount=invoice.total,
                stripe_payment_intent_id=f"pi_bench_{uuid.uuid4().hex}",
                created_by=world.finance,
            )
        )
    return payments


def signed_event(payment: Payment) -> tuple[bytes, str]:
    cents = int(payment.amount * 100)
    payload = json.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": payment.stripe_payment_intent_id,
                    "object": "payment_intent",
                    "amount": cents,
                    "amount_received": cents,
                    "currency": "usd",
                    "status": "succeeded",
                }
            },
        }
    ).encode()
    timestamp = int(time.time())
    mac = hmac.new(settings.STRIPE_WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return payload, f"t={timestamp},v1={mac.hexdigest()}"


def deliver(client: Client, payload: bytes, signature: str) -> None:
    response = client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert response.status_code == 200 and response.json()["outcome"] == "payment applied", response.content


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> int:
    client = Client(SERVER_NAME="localhost")
    to_paid: list[float] = []
    try:
        with transaction.atomic():
            world = build_world()
            payments = pending_payments(world, 1 + 50 + EVENTS + LATENCY_RUNS + 3)
            events = [signed_event(p) for p in payments]
            for payload, signature in events[-3:]:  # warm-up
                deliver(client, payload, signature)
            with CaptureQueriesContext(connection) as one:
                deliver(client, *events[0])
            with CaptureQueriesContext(connection) as fifty:
                for payload, signature in events[1:51]:
                    deliver(client, payload, signature)
            per_event_1, per_event_50 = len(one.captured_queries), len(fifty.captured_queries) / 50

            batch = events[51 : 51 + EVENTS]
            started = time.perf_counter()
            for payload, signature in batch:
                deliver(client, payload, signature)
            elapsed = time.perf_counter() - started
            rate = len(batch) / elapsed

            started = time.perf_counter()  # the same events redelivered: verified, found, nothing done
            for payload, signature in batch:
                response = client.post(
                    WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
                )
                assert response.json()["outcome"] == "already processed", response.content
            duplicate_rate = len(batch) / (time.perf_counter() - started)

            for payment, (payload, signature) in zip(
                payments[51 + EVENTS : 51 + EVENTS + LATENCY_RUNS], events[51 + EVENTS :], strict=False
            ):
                started = time.perf_counter()
                deliver(client, payload, signature)
                status = Invoice.objects.filter(pk=payment.invoice_id).values_list("status", flat=True).get()
                to_paid.append((time.perf_counter() - started) * 1000)
                assert status == InvoiceStatus.PAID, status
            raise Rollback
    except Rollback:
        pass

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs (load average {load}), "
        f"Python {platform.python_version()}"
    )
    print(
        f"webhook: {EVENTS} signed payment_intent.succeeded events, POST {WEBHOOK} through django.test.Client, "
        f"each settling one pending card payment (invoice paid, fee accrued, order closed, payer notified)"
    )
    print(f"{EVENTS} events in {elapsed:.2f} s")
    verdict = "PASS" if rate >= GOAL_EVENTS_PER_S else "MISS"
    print(f"bench payments-webhook-throughput: {rate:.0f} events/s (goal >= {GOAL_EVENTS_PER_S:.0f}) {verdict}")
    print(
        f"redelivered (signature check, event row found, nothing applied): {duplicate_rate:.0f} events/s; "
        "most of a first delivery's time is the billing core settling the payment (ledger, fee, order progress)"
    )
    same = per_event_1 == per_event_50
    print(
        f"bench payments-webhook-queries: 1 event {per_event_1}, 50 events {per_event_50:g} per event "
        f"(goal: the same) {'PASS' if same else 'MISS'}"
    )
    p50, p95 = pct(to_paid, 0.5), pct(to_paid, 0.95)
    verdict = "PASS" if p95 <= GOAL_TO_PAID_MS else "MISS"
    print(
        f"bench payments-succeeded-to-paid: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(to_paid)} events "
        f"(goal p95 <= {GOAL_TO_PAID_MS:.0f} ms) {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
