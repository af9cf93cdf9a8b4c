"""Stripe webhook speed, the webhook being an inbox (verify, store by id with an outbox row, answer 200; a Celery
worker acts on the event): how many signed `payment_intent.succeeded` deliveries per second the webhook takes from
several concurrent clients (signature check included), its queries per event at 1 and at 50 events (the request and
the worker's processing, each), and the time from POSTing an event to the invoice reading paid with a real worker.

    DATABASE_URL=… REDIS_URL=… python bench/payments.py   # `make bench` gives both (embedded PostgreSQL/Redis)

Each event is a real signed delivery (`t=…,v1=HMAC-SHA256` with STRIPE_WEBHOOK_SECRET, as Stripe signs) sent to
`POST /webhooks/stripe/` through django.test.Client (the whole middleware stack; ATOMIC_REQUESTS commits for real),
each from its own thread with its own database connection. Stripe itself is not called.

The throughput is measured in 3 rounds of 200 deliveries with the worker not yet started (the median is the
verdict: the webhook's own speed; the machine may be shared), then once more with the worker settling events on the
same cores. The bench's tasks go to a queue of its own (`bench-payments-<pid>`), read only by its own worker.

Everything is committed for real, in a throwaway database (`bench_payments_<pid>`, created from the migrations like
a test database and dropped at the end, so the financial rows' DELETE trigger never matters). The Celery worker is a
`celery worker --pool solo` subprocess on that database and the same broker, stopped by its PID at the end.

Ends with `bench payments-webhook-throughput: … PASS|MISS`, `bench payments-webhook-queries: … PASS|MISS` and
`bench payments-succeeded-to-paid: … PASS|MISS`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402
import redis  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from marketplace.celery import app  # noqa: E402
from marketplace.core.roles import OrgKind  # noqa: E402
from orders.billing.services.cards import stripe_event_process  # noqa: E402
from orders.models import AdminFeeAccrual, Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus, StripeEvent  # noqa: E402
from tests.factories import (  # noqa: E402
    AgencyFactory,
    CoopMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    SupplierFactory,
    UserFactory,
)
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po  # noqa: E402

EVENTS = int(os.environ.get("BENCH_PAYMENTS_EVENTS", "200"))  # per round
ROUNDS = 3  # the webhook alone, three times: the median is reported (a shared machine is noisy)
THREADS = int(os.environ.get("BENCH_PAYMENTS_THREADS", "4"))
LATENCY_RUNS = 30
WARM_UP = 3
GOAL_EVENTS_PER_S = 200.0
GOAL_TO_PAID_MS = 1000.0
WEBHOOK = "/webhooks/stripe/"
# the bench's tasks go to a queue of its own, which only its worker reads: another worker on the same broker (a
# developer's) must not take them, and the bench's worker must not take anyone else's
QUEUE = f"bench-payments-{os.getpid()}"
app.conf.task_default_queue = QUEUE
WORKER_MAIN = (
    "import sys; from marketplace.celery import app; app.conf.task_default_queue = sys.argv[1]; "
    "app.worker_main(['worker', '--pool', 'solo', '--loglevel', 'WARNING', '--without-gossip', '--without-mingle', "
    "'--without-heartbeat', '-Q', sys.argv[1], '--hostname', sys.argv[2]])"
)


class World:
    pass


def build_world() -> World:
    w = World()
    w.coop = OrganizationFactory(kind=OrgKind.COOPERATIVE, name="Bench Pay Co-op", slug="bench-pay-coop")
    w.agency = AgencyFactory(organization__name="Bench Pay City", organization__slug="bench-pay").organization
    w.supplier = SupplierFactory(
        organization__name="Bench Pay Supplier", organization__slug="bench-pay-sup"
    ).organization
    CoopMembershipFactory(cooperative=w.coop, agency=w.agency)
    w.requester = UserFactory(email="requester@bench.test")
    MembershipFactory(user=w.requester, organization=w.agency, role="requester")
    w.finance = UserFactory(email="finance@bench.test")
    MembershipFactory(user=w.finance, organization=w.agency, role="finance")
    w.supplier_admin = UserFactory(email="admin@bench.test")
    MembershipFactory(user=w.supplier_admin, organization=w.supplier, role="supplier_admin")
    return w


def pending_payments(world: World, count: int) -> list[Payment]:
    payments = []
    for n in range(count):
        po = receive_all(shipped_po(world, quantity=2, number=f"BENCH-PAY-{n:05d}"))
        invoice = invoice_rows(po, number=f"BP-{n:05d}", user=world.supplier_admin)
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


def signed_event(payment: Payment) -> tuple[str, bytes, str]:
    cents = int(payment.amount * 100)
    event_id = f"evt_{uuid.uuid4().hex}"
    payload = json.dumps(
        {
            "id": event_id,
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
    return event_id, payload, sign(payload)


def sign(payload: bytes) -> str:
    timestamp = int(time.time())
    mac = hmac.new(settings.STRIPE_WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def deliver(client: Client, payload: bytes, signature: str, expect: str = "received") -> None:
    response = client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert response.status_code == 200 and response.json()["outcome"] == expect, response.content


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def concurrently(batch: list[tuple[str, bytes, str]], threads: int, expect: str) -> float:
    """Deliver `batch` from `threads` clients at once (each its own connection); returns the elapsed seconds."""
    lock, position, errors = threading.Lock(), [0], []
    start = threading.Barrier(threads + 1)

    def run() -> None:
        client = Client(SERVER_NAME="localhost")
        try:
            start.wait()
            while True:
                with lock:
                    n = position[0]
                    position[0] += 1
                if n >= len(batch):
                    return
                _, payload, signature = batch[n]
                deliver(client, payload, signature, expect)
        except Exception as exc:  # reported after the run
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for t in workers:
        t.start()
    start.wait()
    started = time.perf_counter()
    for t in workers:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def database_url() -> str:
    s = connection.settings_dict
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host") or ""
    auth = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    if host.startswith("/"):
        return f"postgresql://{auth}@/{s['NAME']}?host={host}" + (f"&port={s['PORT']}" if s.get("PORT") else "")
    return f"postgresql://{auth}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"


def start_worker(log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    hostname = f"{QUEUE}@local"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER_MAIN, QUEUE, hostname],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # warm shutdown
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def broker():
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def wait_processed(event_ids: list[str], timeout: float) -> bool:
    """Until every event is processed and the worker's queue is empty (the payers' e-mails sent too)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if (
            not StripeEvent.objects.filter(event_id__in=event_ids, processed_at__isnull=True).exists()
            and broker().llen(QUEUE) == 0
        ):
            time.sleep(0.5)  # the task the worker holds (acks late) ends
            return True
        time.sleep(0.05)
    return False


def main() -> int:
    creation = connection.creation
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_payments_{os.getpid()}"
    print("creating a throwaway database from the migrations …", flush=True)
    original_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    log_path = Path(tempfile.gettempdir()) / f"bench-payments-worker-{os.getpid()}.log"
    worker = None
    try:
        world = build_world()
        payments = pending_payments(world, 1 + 50 + (ROUNDS + 1) * EVENTS + WARM_UP + LATENCY_RUNS)
        events = [signed_event(p) for p in payments]
        client = Client(SERVER_NAME="localhost")

        # (b) queries: the request, then the processing the worker does (run here, before the worker starts)
        one, fifty = events[:1], events[1:51]
        with CaptureQueriesContext(connection) as q_one:
            deliver(client, one[0][1], one[0][2])
        with CaptureQueriesContext(connection) as q_fifty:
            for _, payload, signature in fifty:
                deliver(client, payload, signature)
        rows = dict(StripeEvent.objects.filter(event_id__in=[e[0] for e in one + fifty]).values_list("event_id", "id"))
        with CaptureQueriesContext(connection) as p_one:
            assert stripe_event_process(event_id=rows[one[0][0]]).outcome == "payment applied"
        with CaptureQueriesContext(connection) as p_fifty:
            for event_id, _, _ in fifty:
                assert stripe_event_process(event_id=rows[event_id]).outcome == "payment applied"
        request_1, request_50 = len(q_one.captured_queries), len(q_fifty.captured_queries) / 50
        process_1, process_50 = len(p_one.captured_queries), len(p_fifty.captured_queries) / 50

        # (a) throughput: concurrent signed deliveries; first the webhook alone (the tasks wait in the broker),
        # then again with the worker settling the events at the same time on the same machine
        alone = events[51 : 51 + ROUNDS * EVENTS]
        rates = [
            EVENTS / concurrently(alone[r * EVENTS : (r + 1) * EVENTS], THREADS, "received") for r in range(ROUNDS)
        ]
        rate = sorted(rates)[ROUNDS // 2]
        worker = start_worker(log_path)
        batch = events[51 + ROUNDS * EVENTS : 51 + (ROUNDS + 1) * EVENTS]
        busy_elapsed = concurrently(batch, THREADS, "received")
        busy_rate = len(batch) / busy_elapsed
        drain_started = time.perf_counter()
        drained = wait_processed([e[0] for e in alone + batch], timeout=600)
        settled_after = busy_elapsed + (time.perf_counter() - drain_started)
        duplicate_elapsed = concurrently(batch, THREADS, "already received")
        duplicate_rate = len(batch) / duplicate_elapsed

        # (c) from POSTing payment_intent.succeeded to the invoice reading paid, one event at a time
        to_paid: list[float] = []
        tail = list(zip(payments[51 + (ROUNDS + 1) * EVENTS :], events[51 + (ROUNDS + 1) * EVENTS :], strict=True))
        for n, (payment, (_, payload, signature)) in enumerate(tail):
            invoice = Invoice.objects.filter(pk=payment.invoice_id)
            started = time.perf_counter()
            deliver(client, payload, signature)
            deadline = started + 30
            while invoice.values_list("status", flat=True).get() != InvoiceStatus.PAID:
                assert time.perf_counter() < deadline, f"not paid after 30 s; worker log: {log_path}"
                time.sleep(0.002)
            if n >= WARM_UP:
                to_paid.append((time.perf_counter() - started) * 1000)
        paid = Payment.objects.filter(pk__in=[p.pk for p in payments], status=PaymentStatus.SUCCEEDED).count()
        fees = AdminFeeAccrual.objects.filter(payment__in=[p.pk for p in payments]).count()
    finally:
        if worker is not None:
            stop_worker(worker)
        connection.close()
        creation.destroy_test_db(original_name, verbosity=0)
        broker().delete(QUEUE, f"_kombu.binding.{QUEUE}", f"_kombu.binding_permanent.{QUEUE}")  # what is left

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPU cores, load average {load} (1/5/15 min) at the end, "
        f"Python {platform.python_version()}"
    )
    print(
        f"webhook: signed payment_intent.succeeded deliveries, POST {WEBHOOK} through django.test.Client "
        f"from {THREADS} threads (one database connection each), each verified, stored with its outbox row and "
        "committed for real, the task published to the broker after commit"
    )
    print(
        f"{ROUNDS} rounds of {EVENTS} deliveries, the worker not yet started (the tasks wait in the broker): "
        + ", ".join(f"{r:.0f}" for r in rates)
        + " events/s; the median:"
    )
    verdict = "PASS" if rate >= GOAL_EVENTS_PER_S else "MISS"
    print(f"bench payments-webhook-throughput: {rate:.0f} events/s (goal >= {GOAL_EVENTS_PER_S:.0f}) {verdict}")
    print(
        f"with one solo Celery worker settling events on the same {os.cpu_count()} cores meanwhile: {busy_rate:.0f} "
        f"events/s answered; the worker had settled all {(ROUNDS + 1) * EVENTS} (invoice paid, fee accrued, order "
        f"closed, payer notified) {settled_after:.1f} s after it started "
        f"({(ROUNDS + 1) * EVENTS / settled_after:.0f} events/s)"
        f"{'' if drained else ' — NOT ALL SETTLED'}"
    )
    print(
        f"redelivered (signature check, event row found, nothing else): {duplicate_rate:.0f} events/s; "
        f"{paid} of {len(payments)} payments succeeded, {fees} admin fees accrued (one per payment: applied once)"
    )
    same = request_1 == request_50 and process_1 == process_50
    print(
        f"bench payments-webhook-queries: 1 event {request_1}, 50 events {request_50:g} per event (request); "
        f"1 event {process_1}, 50 events {process_50:g} per event (processing task) "
        f"(goal: the same) {'PASS' if same else 'MISS'}"
    )
    p50, p95 = pct(to_paid, 0.5), pct(to_paid, 0.95)
    verdict = "PASS" if p95 <= GOAL_TO_PAID_MS else "MISS"
    print(
        f"bench payments-succeeded-to-paid: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(to_paid)} events, "
        f"POST to the invoice reading paid with the worker (goal p95 <= {GOAL_TO_PAID_MS:.0f} ms) {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
