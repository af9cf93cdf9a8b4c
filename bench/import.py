"""Catalog import speed: 100,000 realistic rows, validation + apply through the import services (the code path
the worker and `manage.py import_catalog` run, without Celery), next to a raw COPY of the same rows into the same
table (same indexes). Also the same rows as XLSX.

    DATABASE_URL=postgresql://… .venv/bin/python bench/import.py [--rows N]

Creates its own throwaway contracts (BENCH-IMP-*) and removes their items afterwards. Ends with
`bench import: <ratio>x of COPY (goal >= 0.5x) PASS|MISS`.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from contracts.catalog.categories import load_categories  # noqa: E402
from contracts.catalog.imports.parsing import COLUMNS  # noqa: E402
from contracts.catalog.services.imports import catalog_import_run  # noqa: E402
from contracts.models import CatalogImport, CatalogItem, Category, Contract, PriceChange  # noqa: E402
from marketplace.core.collector import worker_ready  # noqa: E402
from marketplace.core.models import Membership, Organization, User  # noqa: E402
from marketplace.demo.catalog import catalog_rows  # noqa: E402

GOAL = 0.5


def _world() -> tuple[Organization, Organization, User]:
    if not Category.objects.exists():
        load_categories(Category)
    coop, _ = Organization.objects.get_or_create(
        slug="bench-import-coop", defaults={"kind": "cooperative", "name": "Bench Import Co-op", "code": "BIC"}
    )
    supplier, _ = Organization.objects.get_or_create(
        slug="bench-import-supplier", defaults={"kind": "supplier", "name": "Bench Import Supplier", "code": "BIS"}
    )
    user, created = User.objects.get_or_create(email="bench-import@example.test", defaults={"full_name": "Bench"})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organization=supplier, role="catalog_manager")
    return coop, supplier, user


def _contract(coop, supplier, label: str) -> Contract:
    number = f"BENCH-IMP-{label}-{uuid.uuid4().hex[:6]}"
    return Contract.objects.create(
        number=number,
        slug=number.lower(),
        title="Import benchmark",
        cooperative=coop,
        supplier=supplier,
        term_start=date(2026, 1, 1),
        term_end=date(2030, 1, 1),
        status="active",
        min_discount_percent=30,
    )


def _rows(count: int) -> list[dict]:
    rows = catalog_rows(Contract(min_discount_percent=30), items=count)
    for n, r in enumerate(rows):
        r["attributes"] = "; ".join(f"{k}={v}" for k, v in r["attributes"].items())
        r["status"] = "active"
        # a description on two rows in five keeps 100,000 rows under the 25 MB upload limit
        r["description"] = r["description"].split(". Sold on")[0] + "." if n % 5 < 2 else ""
        r["image_url"] = f"https://images.example.com/catalog/{r['sku'].lower()}.jpg" if n % 3 == 0 else ""
        if n % 4 == 0:  # some prices as suppliers write them
            r["list_price"] = f"${r['list_price']:,}"
    return rows


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r.get(c, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def _xlsx(rows: list[dict]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Catalog")
    sheet.append(list(COLUMNS))
    for r in rows:
        sheet.append([str(r.get(c, "")) for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _copy_text(rows: list[dict], contract: Contract) -> str:
    """The rows as COPY text for the item table (prepared before timing, as a raw COPY of a file would be)."""
    import json

    categories = dict(Category.objects.values_list("slug", "pk"))
    paths = dict(Category.objects.values_list("slug", "path"))
    now = "2026-01-01 00:00:00+00"

    def esc(value: object) -> str:
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    lines = []
    for r in rows:
        attributes = dict(part.split("=", 1) for part in r["attributes"].split("; ") if part)
        lines.append(
            "\t".join(
                [
                    str(contract.pk),
                    esc(r["sku"]),
                    esc(r["name"]),
                    esc(r["description"]),
                    str(categories[r["category"]]),
                    esc(paths[r["category"]]),
                    esc(r["manufacturer"]),
                    esc(r["mpn"]),
                    r["unspsc"],
                    r["unit"],
                    str(r["pack_size"]),
                    str(r["list_price"]).replace("$", "").replace(",", ""),
                    str(r["contract_price"]),
                    str(r["lead_time_days"]),
                    "active",
                    r["image_url"],
                    esc(json.dumps(attributes)),
                    now,
                    now,
                ]
            )
        )
    return "\n".join(lines) + "\n"


def _raw_copy(text: str) -> float:
    columns = (
        "contract_id, sku, name, description, category_id, category_path, manufacturer, mpn, unspsc, unit, pack_size, "
        "list_price, contract_price, lead_time_days, status, image_url, attributes, created_at, updated_at"
    )
    started = time.perf_counter()
    sql = f"COPY contracts_catalogitem ({columns}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        step = 1 << 20
        for i in range(0, len(text), step):
            copy.write(text[i : i + step])
    return time.perf_counter() - started


def _cleanup(contract: Contract) -> None:
    with connection.cursor() as cursor:  # the raw COPY's rows were never analyzed: plan the deletes knowing them
        cursor.execute("ANALYZE contracts_catalogitem, contracts_pricechange")
    with transaction.atomic():
        PriceChange.objects.filter(item__contract=contract).delete()
        CatalogItem.objects.filter(contract=contract).delete()
        for imp in CatalogImport.objects.filter(contract=contract):
            PriceChange.objects.filter(source_import=imp).delete()
            imp.delete()
        contract.delete()


def _run_import(contract, user, data: bytes, name: str) -> tuple[float, CatalogImport]:
    started = time.perf_counter()
    imp = catalog_import_run(contract=contract, actor=user, file=ContentFile(data, name=name), mode="upsert")
    elapsed = time.perf_counter() - started
    if imp.status != "applied":
        raise SystemExit(f"import {name} ended {imp.status}: {imp.failure} {imp.errors[:5]}")
    return elapsed, imp


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-xlsx", action="store_true")
    args = parser.parse_args()
    n = args.rows
    coop, supplier, user = _world()
    # The imports below run in this process as they would in a Celery worker, which loads the URL patterns and
    # tunes the collector when it starts (marketplace/celery.py): a worker's first import does not pay for that.
    worker_ready()
    print(f"generating {n:,} rows …", flush=True)
    rows = _rows(n)
    data = _csv(rows)
    print(f"CSV: {len(data) / 1048576:.1f} MB", flush=True)
    made: list[Contract] = []
    try:
        copy_contract = _contract(coop, supplier, "COPY")
        made.append(copy_contract)
        text = _copy_text(rows, copy_contract)
        copy_seconds = _raw_copy(text)
        print(f"raw COPY:            {copy_seconds:7.2f} s  {n / copy_seconds:10,.0f} rows/s", flush=True)

        import_contract = _contract(coop, supplier, "CSV")
        made.append(import_contract)
        import_seconds, imp = _run_import(import_contract, user, data, "bench.csv")
        print(
            f"CSV validate+apply:  {import_seconds:7.2f} s  {n / import_seconds:10,.0f} rows/s "
            f"(added {imp.counts['added']:,})",
            flush=True,
        )

        if not args.no_xlsx:
            xlsx = _xlsx(rows)
            print(f"XLSX: {len(xlsx) / 1048576:.1f} MB", flush=True)
            xlsx_contract = _contract(coop, supplier, "XLSX")
            made.append(xlsx_contract)
            xlsx_seconds, _ = _run_import(xlsx_contract, user, xlsx, "bench.xlsx")
            print(f"XLSX validate+apply: {xlsx_seconds:7.2f} s  {n / xlsx_seconds:10,.0f} rows/s", flush=True)
    finally:
        for contract in made:
            _cleanup(contract)
    ratio = copy_seconds / import_seconds
    verdict = "PASS" if ratio >= GOAL else "MISS"
    print(f"bench import: {ratio:.2f}x of COPY (goal >= {GOAL}x) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
