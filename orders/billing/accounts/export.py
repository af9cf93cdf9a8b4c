"""CSV export of the admin fees per quarter: one row per quarter and contract, text cells neutralised against
formula injection (the order export's helper), amounts as plain decimals."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from marketplace.core.spreadsheets import neutralise
from orders.billing.accounts.selectors import FeeQuarter

COLUMNS = ("Quarter", "Contract", "Contract title", "Supplier", "Co-op", "Payments", "Admin fees", "Accruals")


def admin_fees_csv_response(rows: list[FeeQuarter], *, filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        text = [row.label, row.contract_number, row.contract_title, row.supplier_name, row.cooperative_name]
        writer.writerow([neutralise(cell) for cell in text] + [f"{row.payments:.2f}", f"{row.fees:.2f}", row.count])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
