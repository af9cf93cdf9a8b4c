"""Bulk onboarding: co-op staff bring existing members in from a CSV file, with the catalog imports' rule —
every row is validated first and every problem reported; nothing is applied unless all rows are valid; then all
agencies are created in one transaction through `agency_onboard` (their admin invitations are e-mailed by the
worker after commit). The file is read with the catalog import's CSV helpers (encoding, delimiter, header)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from agencies.models import Agency, JoinApplication
from agencies.onboarding.services import agency_onboard, clean_agency_fields, clean_email
from contracts.catalog.imports.parsing import (
    FileRejected,
    RowError,
    decode_text,
    detect_delimiter,
    normalise_header,
    sniff_kind,
)
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import count_of
from marketplace.core.models import Organization, User
from marketplace.core.services.audit import audit_record

COLUMNS = ("name", "type", "state", "domain", "admin_email", "county", "population", "website")
REQUIRED_COLUMNS = ("name", "type", "state", "domain", "admin_email")
MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024
# the services' field names -> the file's column names (for row errors)
FIELD_COLUMNS = {"name": "name", "agency_type": "type", "email_domain": "domain", "admin_email": "admin_email"}

EXAMPLE_ROWS = (
    ("City of Maple Ridge", "city", "FL", "mapleridge.gov", "purchasing@mapleridge.gov", "Orange", "48200", ""),
    ("Lake County Schools", "school_district", "FL", "lake.k12.fl.us", "buyer@lake.k12.fl.us", "Lake", "", ""),
)


class MemberImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(count_of(len(errors), "problem"))
        self.errors = errors


@dataclass(frozen=True)
class MemberRow:
    row: int
    name: str
    agency_type: str
    state: str
    county: str
    population: int | None
    website: str
    email_domain: str
    admin_email: str


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return out.getvalue().encode("utf-8-sig")


def _read(data: bytes, filename: str) -> tuple[list[str | None], list[tuple[int, list[str]]], list[RowError]]:
    if len(data) > MAX_BYTES:
        raise FileRejected(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it.")
    if sniff_kind(data, filename) != "csv":
        raise FileRejected("Upload the member list as a CSV file (save the spreadsheet as CSV UTF-8).")
    text, _encoding = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise FileRejected("The header line cannot be read.") from None
    while header and not str(header[-1]).strip():
        header.pop()
    errors: list[RowError] = []
    columns: list[str | None] = []
    for raw in header:
        name = normalise_header(raw)
        if name not in COLUMNS or name in columns:
            why = f"The column {name} appears more than once." if name in columns else f"Unknown column “{raw}”."
            errors.append(RowError(1, str(raw), str(raw), f"{why} The columns are: {', '.join(COLUMNS)}."))
            columns.append(None)
        else:
            columns.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            errors.append(RowError(1, required, "", f"The required column {required} is missing from the header."))
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=2):
            if not any(str(v).strip() for v in record):
                continue
            rows.append((number, record))
            if len(rows) > MAX_ROWS:
                raise FileRejected(f"The file has more than {MAX_ROWS:,} members. Split it.")
    except csv.Error as exc:
        raise FileRejected(f"The file cannot be read as CSV: {exc}.") from None
    if not rows and not errors:
        raise FileRejected("The file has a header but no members.")
    return columns, rows, errors


def member_import_validate(*, cooperative: Organization, data: bytes, filename: str) -> list[MemberRow]:
    """Every row checked (types, state, county, domain, e-mail; duplicates in the file, against agencies already on
    the marketplace and against applications waiting for review). Raises MemberImportRejected with every problem."""
    try:
        columns, records, errors = _read(data, filename)
    except FileRejected as exc:
        raise MemberImportRejected([exc.error]) from None
    taken = {d.lower() for d in Agency.objects.exclude(email_domain="").values_list("email_domain", flat=True)}
    pending = set(JoinApplication.objects.for_organization(cooperative).open().values_list("email_domain", flat=True))
    seen_domains: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    rows: list[MemberRow] = []
    for number, record in records:
        raw = {name: str(record[i]).strip() if i < len(record) else "" for i, name in enumerate(columns) if name}
        if len(record) > len(columns):
            extra = [v for v in record[len(columns) :] if str(v).strip()]
            if extra:
                errors.append(RowError(number, "", extra[0][:100], "This row has more values than the header."))
        values = {
            "name": raw.get("name"),
            "agency_type": raw.get("type"),
            "state": raw.get("state"),
            "county": raw.get("county"),
            "population": raw.get("population"),
            "website": raw.get("website"),
            "email_domain": raw.get("domain"),
        }
        cleaned, field_errors = clean_agency_fields(values)
        admin_email, problem = clean_email(raw.get("admin_email"), "administrator's e-mail address")
        if problem:
            field_errors["admin_email"] = [problem]
        domain = cleaned["email_domain"]
        if domain and "email_domain" not in field_errors:
            if domain in seen_domains:
                field_errors["email_domain"] = [f"{domain} is also on row {seen_domains[domain]} of this file."]
            elif domain in taken:
                field_errors["email_domain"] = [f"An agency with the domain {domain} is already on the marketplace."]
            elif domain in pending:
                field_errors["email_domain"] = [
                    f"An application from {domain} is waiting for review: approve or reject it instead."
                ]
            seen_domains.setdefault(domain, number)
        key = (cleaned["name"].lower(), cleaned["state"])
        if cleaned["name"] and "name" not in field_errors:
            if key in seen_names:
                field_errors["name"] = [f"{cleaned['name']} ({cleaned['state']}) is also on row {seen_names[key]}."]
            seen_names.setdefault(key, number)
        for field, messages in field_errors.items():
            column = FIELD_COLUMNS.get(field, field)
            for message in messages:
                errors.append(RowError(number, column, raw.get(column, "")[:100], message))
        if not field_errors:
            rows.append(MemberRow(row=number, admin_email=admin_email, **cleaned_row(cleaned)))
    if errors:
        raise MemberImportRejected(
            sorted(errors, key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
        )
    return rows


def cleaned_row(cleaned: dict) -> dict:
    return {k: cleaned[k] for k in ("name", "agency_type", "state", "county", "population", "website", "email_domain")}


def member_import_apply(*, cooperative: Organization, data: bytes, filename: str, actor: User) -> list[Organization]:
    """Validate the whole file, then create every agency in one transaction (all or nothing)."""
    rows = member_import_validate(cooperative=cooperative, data=data, filename=filename)
    created: list[Organization] = []
    with transaction.atomic():
        for row in rows:
            try:
                created.append(
                    agency_onboard(
                        cooperative=cooperative,
                        name=row.name,
                        agency_type=row.agency_type,
                        state=row.state,
                        county=row.county,
                        population=row.population,
                        website=row.website,
                        email_domain=row.email_domain,
                        admin_email=row.admin_email,
                        actor=actor,
                    )
                )
            except ApplicationError as exc:  # changed since validation (someone else onboarded it meanwhile)
                transaction.set_rollback(True)
                raise MemberImportRejected([RowError(row.row, "", row.name, exc.message)]) from None
        audit_record(
            actor=actor,
            action="agency.bulk_imported",
            organization=cooperative,
            after={"file": filename[:200], "agencies": len(created), "slugs": [a.slug for a in created][:200]},
        )
    return created
