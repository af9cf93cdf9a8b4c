"""Checkout speed: the server time of a 50-line checkout across 3 contracts, and its query count at 5 and 50 lines.

    DATABASE_URL=… python bench/checkout.py          # needs only a migrated database (`make bench` gives one)

Each run sends `POST /api/v1/agencies/{agency}/checkout/` with an `Idempotency-Key` through django.test.Client
(real PostgreSQL; authentication, the idempotency record, bulk re-validation of every line, the split into one
purchase order per contract, routing — one approval rule, one approver asked by e-mail through the outbox, the
split-purchase guard's query — one PO routed to a locally owned store, and the JSON answer). The cart is refilled
between runs (not timed).

Everything it needs (a co-op, an agency with facility, fund code, approval rules and an approver, three suppliers
with a contract of 20 priced items each, a local store) is built inside one transaction that is rolled back at the
end, so the database is left as it was. Requests therefore end in a savepoint release instead of a COMMIT, and no
task reaches the broker (`on_commit` never fires); the commit itself is not in the figure.

Ends with `bench checkout-p95: … PASS|MISS` and `bench checkout-queries: 5 lines N, 50 lines M … PASS|MISS`.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")  # server time as production runs it (no debug query log)

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agencies.models import Agency  # noqa: E402
from agencies.setup.services import (  # noqa: E402
    approval_rule_create,
    facility_create,
    fund_code_create,
    member_defaults_set,
)
from contracts.catalog.categories import load_categories  # noqa: E402
from contracts.models import CatalogItem, Category, Contract, PriceChange  # noqa: E402
from marketplace.core.models import CoopMembership, Membership, Organization, User  # noqa: E402
from orders.models import Cart, CartLine  # noqa: E402
from suppliers.models import StoreLocation, Supplier  # noqa: E402

RUNS = int(os.environ.get("BENCH_CHECKOUT_RUNS", "30"))
WARMUP = 3
LINES = 50
GOAL_P95_MS = 250.0
ITEMS_PER_CONTRACT = 20
SLUG = "bench-checkout"


class Rollback(Exception):
    pass


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _org(kind: str, name: str, slug: str, code: str = "") -> Organization:
    return Organization.objects.create(kind=kind, name=name, slug=slug, code=code)


def _user(email: str, name: str, organization: Organization, role: str) -> User:
    user = User.objects.create(email=email, full_name=name)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def build() -> dict:
    """The shop the bench orders from (see the module docstring)."""
    if not Category.objects.exists():
        load_categories(Category)
    category = Category.objects.get(slug="alkaline-lithium-cells")
    tag = uuid.uuid4().hex[:6]  # unique slugs even if an earlier run's rows were somehow left behind
    coop = _org("cooperative", "Bench Co-op", f"{SLUG}-coop-{tag}")
    agency = _org("agency", "Bench City", f"{SLUG}-city-{tag}", code="BCH")
    Agency.objects.create(organization=agency, agency_type="city", state="FL")
    CoopMembership.objects.create(cooperative=coop, agency=agency, status="active")
    admin = _user(f"admin-{tag}@bench.test", "Bench Admin", agency, "agency_admin")
    requester = _user(f"requester-{tag}@bench.test", "Bench Requester", agency, "requester")
    _user(f"approver-{tag}@bench.test", "Bench Approver", agency, "approver")
    facility = facility_create(
        agency=agency,
        actor=admin,
        data={
            "name": "Fire Station 3",
            "address": "300 Oak Ave",
            "city": "Orlando",
            "state": "FL",
            "postal_code": "32801",
            "latitude": "28.538336",
            "longitude": "-81.379234",
        },
    )
    fund = fund_code_create(agency=agency, actor=admin, data={"code": "001-4100-5230", "description": "Operations"})
    member_defaults_set(agency=agency, actor=requester, user=requester, facility=facility, fund_code=fund)
    approval_rule_create(
        agency=agency, actor=admin, data={"name": "Every order", "min_amount": "0", "approvals_required": "1"}
    )
    # Never crossed, but above every total: the split-purchase guard runs its query on each checkout.
    approval_rule_create(
        agency=agency, actor=admin, data={"name": "Large", "min_amount": "250000", "approvals_required": "2"}
    )
    contracts, items = [], []
    for n in range(3):
        supplier = _org("supplier", f"Bench Supplier {n}", f"{SLUG}-supplier-{n}-{tag}")
        Supplier.objects.create(organization=supplier, legal_name=f"Bench Supplier {n} LLC", vetting_status="verified")
        contract = Contract.objects.create(
            number=f"BENCH-CO-{n}-{tag}",
            slug=f"{SLUG}-{n}-{tag}",
            title="Batteries",
            cooperative=coop,
            supplier=supplier,
            term_start=date(2026, 1, 1),
            term_end=date(2030, 1, 1),
            status="active",
            min_discount_percent="30.00",
        )
        contract.available_to.add(coop)
        contracts.append(contract)
        for i in range(ITEMS_PER_CONTRACT):
            price = Decimal("5.00") + i
            item = CatalogItem.objects.create(
                contract=contract,
                sku=f"B{n}-{i:03d}",
                name=f"Bench battery {n}-{i}",
                category=category,
                category_path=category.path,
                list_price=price * Decimal("1.5"),
                contract_price=price,
            )
            PriceChange.objects.create(
                item=item,
                new_price=price,
                new_list_price=item.list_price,
                status="applied",
                effective_date=contract.term_start,
            )
            items.append(item)
    StoreLocation.objects.create(
        supplier=contracts[0].supplier,
        name="Bench Cells of Orlando",
        address="41 Colonial Dr",
        city="Orlando",
        state="FL",
        postal_code="32801",
        latitude=Decimal("28.553000"),
        longitude=Decimal("-81.365000"),
        service_radius_miles=25,
    )
    cart = Cart.objects.create(agency=agency, user=requester)
    return {"agency": agency, "requester": requester, "contracts": contracts, "items": items, "cart": cart}


def fill_cart(shop: dict, lines: int) -> None:
    """`lines` cart lines spread over the three contracts (round robin), at today's prices."""
    per_contract = [shop["items"][n * ITEMS_PER_CONTRACT : (n + 1) * ITEMS_PER_CONTRACT] for n in range(3)]
    rows = []
    for i in range(lines):
        item = per_contract[i % 3][(i // 3) % ITEMS_PER_CONTRACT]
        rows.append(
            CartLine(
                cart=shop["cart"],
                item=item,
                quantity=2,
                unit_price_snapshot=item.contract_price,
                list_price_snapshot=item.list_price,
            )
        )
    CartLine.objects.bulk_create(rows)


def checkout(client: Client, shop: dict) -> tuple[int, dict]:
    body = {"fulfilment": [{"contract": shop["contracts"][0].id, "method": "store_pickup"}]}
    response = client.post(
        f"/api/v1/agencies/{shop['agency'].slug}/checkout/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    return response.status_code, response.json()


def main() -> int:
    timings: list[float] = []
    queries: dict[int, int] = {}
    try:
        with transaction.atomic():
            shop = build()
            client = Client(SERVER_NAME="localhost")
            client.force_login(shop["requester"])
            for lines in (5, LINES):  # the query counts (after one warm-up of each size)
                for _ in range(2):
                    fill_cart(shop, lines)
                    with CaptureQueriesContext(connection) as ctx:
                        status, body = checkout(client, shop)
                    assert status == 201, (status, body)
                    assert len(body["purchase_orders"]) == 3, body
                    assert sum(len(po["lines"]) for po in body["purchase_orders"]) == lines, body
                queries[lines] = len(ctx.captured_queries)
            stores = [po for po in body["purchase_orders"] if po.get("store")]
            for run in range(WARMUP + RUNS):
                fill_cart(shop, LINES)
                started = time.perf_counter()
                status, body = checkout(client, shop)
                elapsed = (time.perf_counter() - started) * 1000
                assert status == 201, (status, body)
                if run >= WARMUP:
                    timings.append(elapsed)
            raise Rollback
    except Rollback:
        pass

    p50, p95 = pct(timings, 0.5), pct(timings, 0.95)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs (load average {load}), "
        f"Python {platform.python_version()}"
    )
    print(
        f"checkout: {LINES} lines over 3 contracts (one PO routed to a local store: {'yes' if stores else 'NO'}), "
        f"POST /api/v1/agencies/…/checkout/ with an Idempotency-Key through django.test.Client; "
        f"{RUNS} runs after {WARMUP} warm-up"
    )
    print(
        f"server time: p50 {p50:.1f} ms, p95 {p95:.1f} ms, min {min(timings):.1f} ms, max {max(timings):.1f} ms, "
        f"mean {statistics.mean(timings):.1f} ms"
    )
    verdict = "PASS" if p95 <= GOAL_P95_MS and stores else "MISS"
    print(f"bench checkout-p95: {p95:.1f} ms for {LINES} lines (goal <= {GOAL_P95_MS:.0f} ms) {verdict}")
    same = queries[5] == queries[LINES]
    print(
        f"bench checkout-queries: 5 lines {queries[5]}, {LINES} lines {queries[LINES]} (goal: the same) "
        f"{'PASS' if same else 'MISS'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
