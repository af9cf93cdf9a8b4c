"""CSV export of an order list: the rows the list's filters select (every page), one order per row, with a header
row. Money is a plain decimal (`1234.50`), dates are ISO, and every text cell is neutralised against formula
injection by the same helper the catalog's error reports use."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse

from marketplace.core.spreadsheets import neutralise
from orders.purchase_orders.models import PurchaseOrder

COLUMNS = (
    "PO number",
    "Order date",
    "Status",
    "Agency",
    "Supplier",
    "Contract",
    "Requester",
    "Ship to",
    "Fulfilment",
    "Store",
    "Requested date",
    "Emergency",
    "Subtotal",
    "List total",
    "Savings",
    "Tax",
)
EXPORT_MAX = 10_000  # rows per file; a larger export is cut here (the file's last row says so)


def _date(value) -> str:
    return value.isoformat() if value else ""


def order_row(po: PurchaseOrder) -> list[str]:
    """Text cells (neutralised) and then amounts (plain decimals we format ourselves; never neutralised, so a
    spreadsheet reads them as numbers)."""
    text = [
        po.number,
        _date(po.order_date),
        po.get_status_display(),
        po.agency.name,
        po.supplier.name,
        po.contract.number,
        po.requisition.requester.get_full_name(),
        po.facility.name,
        po.get_fulfilment_display(),
        po.store.name if po.store else "",
        _date(po.requested_date),
        "yes" if po.is_emergency else "no",
    ]
    amounts = [
        f"{po.subtotal:.2f}",
        f"{po.list_total:.2f}",
        f"{po.savings:.2f}",
        f"{po.tax:.2f}",
    ]
    return [neutralise(cell) for cell in text] + amounts


def orders_csv(orders: Iterable[PurchaseOrder]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = orders[: EXPORT_MAX + 1] if hasattr(orders, "query") else orders
    for count, po in enumerate(rows):
        if count == EXPORT_MAX:
            writer.writerow([neutralise(f"(cut at {EXPORT_MAX} rows: narrow the filters)")])
            break
        writer.writerow(order_row(po))
    return out.getvalue()


def orders_csv_response(orders, *, filename: str) -> HttpResponse:
    response = HttpResponse(orders_csv(orders), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
