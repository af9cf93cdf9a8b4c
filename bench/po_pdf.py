"""PO PDF speed: milliseconds per page for purchase orders of about 1, 10 and 50 pages, rendered in-process by the
same code the worker runs (`po_document` + `po_pdf_bytes`, WeasyPrint).

    DATABASE_URL=… python bench/po_pdf.py          # needs `seed_demo` (uses the demo agency, contract and items)

The purchase orders are throwaway: built inside a transaction that is rolled back at the end, so nothing is left
behind. Ends with `bench po-pdf: 1p … ms/page, 10p …, 50p … (goal ≤ 150 ms/page and 50p ≤ 1.3× 1p) PASS|MISS`.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")

import django

django.setup()

import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from agencies.models import Facility, FundCode  # noqa: E402
from contracts.models import CatalogItem, Contract  # noqa: E402
from marketplace.core.models import Organization, User  # noqa: E402
from orders.models import PurchaseOrder, PurchaseOrderLine, Requisition  # noqa: E402
from orders.purchase_orders.services.pdf import po_document, po_pdf_bytes  # noqa: E402

GOAL_MS_PER_PAGE = 150
GOAL_FLATNESS = 1.3
AGENCY = "city-of-maple-ridge"
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


class Rollback(Exception):
    pass


def _po(lines: int, items: list[CatalogItem], agency, contract, facility, fund, requester, n: int) -> PurchaseOrder:
    requisition = Requisition.objects.create(agency=agency, requester=requester, facility=facility, status="approved")
    po = PurchaseOrder.objects.create(
        requisition=requisition,
        agency=agency,
        supplier=contract.supplier,
        cooperative=contract.cooperative,
        contract=contract,
        facility=facility,
        status="sent",
        number=f"{agency.code}-BENCH-{n:05d}",
        sent_at=timezone.now(),
    )
    rows, subtotal, list_total = [], 0, 0
    for i in range(lines):
        item = items[i % len(items)]
        amount, list_amount = item.contract_price * 3, item.list_price * 3
        subtotal, list_total = subtotal + amount, list_total + list_amount
        rows.append(
            PurchaseOrderLine(
                purchase_order=po,
                item=item,
                price_change=item.price_changes.order_by("-pk").first()
                if i < len(items)
                else rows[i % len(items)].price_change,
                sku=item.sku,
                name=item.name,
                unit=item.unit,
                quantity=3,
                unit_price=item.contract_price,
                list_price=item.list_price,
                amount=amount,
                list_amount=list_amount,
                fund_code=fund,
            )
        )
    PurchaseOrderLine.objects.bulk_create(rows)
    PurchaseOrder.objects.filter(pk=po.pk).update(subtotal=subtotal, list_total=list_total)
    return po


def _render(po: PurchaseOrder) -> tuple[float, int]:
    started = time.perf_counter()
    data = po_pdf_bytes(po_document(po))
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len(PdfReader(io.BytesIO(data)).pages)


def main() -> int:
    if not Organization.objects.filter(slug=AGENCY).exists():
        call_command("seed_demo")
    results: dict[str, tuple[int, float]] = {}
    try:
        with transaction.atomic():
            agency = Organization.objects.get(slug=AGENCY)
            contract = Contract.objects.filter(status="active").select_related("supplier", "cooperative").first()
            items = list(CatalogItem.objects.filter(contract=contract).order_by("pk")[:200])
            facility = Facility.objects.for_organization(agency).first()
            fund = FundCode.objects.for_organization(agency).first() or FundCode.objects.create(
                agency=agency, code="100-BENCH", description="Bench fund"
            )
            requester = User.objects.filter(memberships__organization=agency).first()
            args = (items, agency, contract, facility, fund, requester)
            _render(_po(5, *args, 0))  # warm-up: fonts, templates
            _, probe_pages = _render(_po(300, *args, 1))
            per_page = 300 / probe_pages
            for label, pages, repeat in (("1p", 1, 5), ("10p", 10, 3), ("50p", 50, 2)):
                lines = 8 if pages == 1 else int(per_page * pages - per_page / 2)
                po = _po(lines, *args, pages + 10)
                runs = [_render(po) for _ in range(repeat)]
                got = runs[0][1]
                ms_per_page = statistics.median(ms for ms, _ in runs) / got
                results[label] = (got, ms_per_page)
                print(f"  {label}: {lines} lines → {got} pages, {ms_per_page:.1f} ms/page", flush=True)
            raise Rollback
    except Rollback:
        pass
    one, ten, fifty = results["1p"][1], results["10p"][1], results["50p"][1]
    ok = max(one, ten, fifty) <= GOAL_MS_PER_PAGE and fifty <= GOAL_FLATNESS * one
    print(
        f"bench po-pdf: 1p {one:.0f} ms/page, 10p {ten:.0f} ms/page, 50p {fifty:.0f} ms/page "
        f"({results['50p'][0]} pages) — goal ≤ {GOAL_MS_PER_PAGE} ms/page and 50p ≤ {GOAL_FLATNESS}× 1p "
        f"({fifty / one:.2f}×) {'PASS' if ok else 'MISS'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
