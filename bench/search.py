"""Catalog search over 1,000,000 items: the API through Django (with serialization) next to the raw SQL it runs.

    DATABASE_URL=… python bench/search.py          # seeds `seed_demo --items 1000000` first if needed

For each of 50 fixed, realistic queries (words, SKUs, MPN prefixes, typos, facet filters, sorts) the request
is sent through django.test.Client as the demo buyer; the SQL it ran is captured (CaptureQueriesContext)
and replayed on a plain psycopg connection. p50/p95 are over every request (ROUNDS rounds). The main
search statements are EXPLAINed and any 'Seq Scan on contracts_catalogitem' is counted and printed.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from contracts.models import CatalogItem, Contract  # noqa: E402
from marketplace.core.models import User  # noqa: E402
from marketplace.demo import data  # noqa: E402

TARGET_ITEMS = int(os.environ.get("BENCH_SEARCH_ITEMS", "1000000"))
ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "3"))
AGENCY = "city-of-maple-ridge"
URL = f"/api/v1/agencies/{AGENCY}/catalog/items/"

QUERIES: list[dict] = [
    # words
    {"q": "aa battery"},
    {"q": "aaa alkaline"},
    {"q": "duracell procell aa"},
    {"q": "energizer lithium aa"},
    {"q": "9v battery"},
    {"q": "cr2032"},
    {"q": "coin cell 3v"},
    {"q": "12v 18ah sla"},
    {"q": "12v 7ah battery"},
    {"q": "ups replacement battery cartridge"},
    {"q": "group 65 fleet battery"},
    {"q": "agm battery 31"},
    {"q": "radio battery li-ion"},
    {"q": "motorola radio battery"},
    {"q": "laptop battery dell"},
    {"q": "led high bay"},
    {"q": "t8 led tube 4ft"},
    {"q": "a19 led 2700k"},
    {"q": "br30 led"},
    {"q": "exit sign battery backup"},
    {"q": "emergency light"},
    {"q": "rechargeable flashlight"},
    {"q": "headlamp"},
    {"q": "power station"},
    {"q": "smart charger"},
    {"q": "recycling box"},
    # SKUs and part numbers (exact and prefixes)
    {"q": "BCB-100329"},
    {"q": "BCX-0500000"},
    {"q": "RBC7"},
    {"q": "PS-12180"},
    {"q": "PMNN4491"},
    {"q": "SMT1500C"},
    {"q": "BCX-00123"},
    {"q": "PS-121"},
    # typos
    {"q": "aa batery"},
    {"q": "flashlite"},
    {"q": "duracel procel"},
    {"q": "energiser"},
    {"q": "replacment cartrige"},
    {"q": "emergancy lite"},
    # facet filters and sorts
    {"q": "battery", "category": "sealed-lead-acid"},
    {"q": "led", "manufacturer": "Philips"},
    {"q": "aa battery", "sort": "price"},
    {"q": "led lamp", "sort": "savings"},
    {"q": "ups", "min_price": "100", "max_price": "500"},
    {"category": "flashlights"},
    {"category": "lighting", "sort": "price"},
    {"category": "coin-button-cells", "sort": "-price"},
    {"manufacturer": "Streamlight", "sort": "name"},
    {"q": "battery", "sort": "-price", "page": "3"},
]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# Measured with `make bench` on a fresh clone (embedded PostgreSQL, 2 CPUs shared with other work):
# 1,000,000 items in 347 s. Only the first run seeds.
SEED_ITEMS_PER_SECOND = 2900


def _load_estimate(items: int) -> str:
    seconds = items / SEED_ITEMS_PER_SECOND
    if seconds < 60:
        return "under a minute"
    return f"about {max(1, math.floor(seconds / 60))}–{math.ceil(seconds * 1.2 / 60)} minutes"


def ensure_catalog() -> int:
    contract = Contract.objects.filter(number=data.CONTRACT["number"]).first()
    count = CatalogItem.objects.filter(contract=contract).count() if contract else 0
    if count < TARGET_ITEMS:
        print(f"catalog has {count:,} items; seeding {TARGET_ITEMS:,} (seed_demo --items) …", flush=True)
        print(f"loading {TARGET_ITEMS - count:,} items: {_load_estimate(TARGET_ITEMS - count)} (once)", flush=True)
        started = time.monotonic()
        call_command("seed_demo", items=TARGET_ITEMS, quiet_logins=True, skip_checks=True)
        print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
        count = CatalogItem.objects.filter(contract__number=data.CONTRACT["number"]).count()
    return count


def main() -> int:
    items = ensure_catalog()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contracts_catalogitem")
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(email="buyer@maple-ridge.test"))
    urls = [URL + "?" + urlencode(q) for q in QUERIES]

    captured: dict[str, list[str]] = {}
    for url in urls:  # warm-up, and the SQL each request runs
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:500])
        captured[url] = [q["sql"] for q in ctx.captured_queries]

    api_ms: list[float] = []
    per_url_api: dict[str, list[float]] = {u: [] for u in urls}
    for _ in range(ROUNDS):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            response.content  # noqa: B018 - rendered JSON
            elapsed = (time.perf_counter() - started) * 1000
            api_ms.append(elapsed)
            per_url_api[url].append(elapsed)

    raw_ms: list[float] = []
    explain_targets: list[tuple[str, str]] = []
    seq_scans: list[tuple[str, str]] = []
    with psycopg.connect(settings.DATABASE_URL, autocommit=True) as raw:
        for _ in range(ROUNDS):
            for url in urls:
                started = time.perf_counter()
                with raw.transaction(), raw.cursor() as cur:  # a request runs in one transaction (ATOMIC_REQUESTS)
                    for sql in captured[url]:
                        cur.execute(sql.encode())
                        if cur.description is not None:
                            cur.fetchall()
                raw_ms.append((time.perf_counter() - started) * 1000)
        for url in urls:
            for sql in captured[url]:
                if "contracts_catalogitem" in sql and sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    explain_targets.append((url, sql))
        for url, sql in explain_targets:
            with raw.transaction():
                for setting in (q for q in captured[url] if q.startswith("SET LOCAL")):
                    raw.execute(setting.encode())  # the planner settings the request ran the statement with
                plan = "\n".join(row[0] for row in raw.execute(b"EXPLAIN " + sql.encode()).fetchall())
            if "Seq Scan on contracts_catalogitem" in plan:
                seq_scans.append((url, plan))

    api_p50, api_p95 = pct(api_ms, 0.5), pct(api_ms, 0.95)
    raw_p50, raw_p95 = pct(raw_ms, 0.5), pct(raw_ms, 0.95)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(
        f"catalog items: {items:,}; queries: {len(urls)} x {ROUNDS} rounds; "
        f"statements EXPLAINed: {len(explain_targets)}"
    )
    print(f"SQL statements per request: {statistics.mean(len(v) for v in captured.values()):.1f} on average")
    slowest = sorted(urls, key=lambda u: -statistics.median(per_url_api[u]))[:5]
    print("slowest API requests (median ms):")
    for url in slowest:
        print(f"   {statistics.median(per_url_api[url]):7.1f}  {url.removeprefix(URL)}")
    print(f"API  (django.test.Client, serialization included): p50 {api_p50:.1f} ms, p95 {api_p95:.1f} ms")
    print(f"raw  (the same SQL on psycopg):                      p50 {raw_p50:.1f} ms, p95 {raw_p95:.1f} ms")
    sample = next((sql for url, sql in explain_targets if "aa+batery" in url and "WITH cand" in sql), None)
    if sample:
        with psycopg.connect(settings.DATABASE_URL, autocommit=True) as raw, raw.transaction():
            raw.execute(b"SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
            plan = raw.execute(b"EXPLAIN (ANALYZE, BUFFERS) " + sample.encode()).fetchall()
        print("EXPLAIN ANALYZE of the main statement for 'aa batery':")
        print("\n".join("  " + row[0] for row in plan))
    for url, plan in seq_scans:
        print(f"Seq Scan in {url}:\n{plan}")
    goal = min(100.0, 1.5 * raw_p95 + 10)
    verdict = "PASS" if api_p95 <= goal else "MISS"
    print(f"bench search-api-p95: {api_p95:.1f} ms (goal <= 100 ms and <= 1.5x raw + 10 ms) {verdict}")
    print(f"bench search-seqscan: {len(seq_scans)} (goal 0) {'PASS' if not seq_scans else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
