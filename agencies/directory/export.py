"""CSV export of the member directory: the rows its filters select (every page), text cells neutralised against
formula injection with the catalog's helper (the one the order exports use), dates ISO, counts plain numbers."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from marketplace.core.roles import OrgKind
from marketplace.core.spreadsheets import neutralise

COLUMNS = (
    "Kind",
    "Name",
    "Slug",
    "Status",
    "Type",
    "State",
    "Agreement",
    "Last sign-in (UTC)",
    "Insurance expires",
    "Earliest certification expires",
    "Active users",
    "Contracts",
)
EXPORT_MAX = 10_000


def directory_row(row) -> list[str]:
    agency = getattr(row, "agency_profile", None) if row.kind == OrgKind.AGENCY else None
    supplier = getattr(row, "supplier_profile", None) if row.kind == OrgKind.SUPPLIER else None
    text = [
        "Agency" if row.kind == OrgKind.AGENCY else "Supplier",
        row.name,
        row.slug,
        row.status_label,
        agency.get_agency_type_display() if agency else "",
        agency.state if agency else "",
        row.agreement.text if row.agreement else "",
        row.last_sign_in.isoformat(timespec="seconds") if row.last_sign_in else "",
        supplier.insurance_expires_on.isoformat() if supplier and supplier.insurance_expires_on else "",
        row.certification_expires_on.isoformat() if row.certification_expires_on else "",
    ]
    return [neutralise(cell) for cell in text] + [str(row.active_users), str(row.contract_count)]


def directory_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows):
        if count == EXPORT_MAX:
            writer.writerow([neutralise(f"(cut at {EXPORT_MAX} rows: narrow the filters)")])
            break
        writer.writerow(directory_row(row))
    return out.getvalue()


def directory_csv_response(rows, *, filename: str) -> HttpResponse:
    response = HttpResponse(directory_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
