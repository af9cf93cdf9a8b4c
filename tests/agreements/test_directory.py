"""The co-op staff's member directory (page, CSV export, API): member agencies with status, agreement, active
users and last sign-in; contract suppliers with vetting status and insurance expiry; filters; pages; formula-safe
CSV; the same number of queries for 1 row and for 50."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from marketplace.core.dates import organization_today
from marketplace.core.models import Membership
from suppliers.models import Supplier, SupplierDocument
from tests.agreements import helpers
from tests.factories import AgencyFactory, ContractFactory, CoopMembershipFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/coops/alpha-coop/members/"
EXPORT = "/coops/alpha-coop/members/export/"
API = "/api/v1/coops/alpha-coop/member-directory/"
API_EXPORT = "/api/v1/coops/alpha-coop/member-directory/export/"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _rows_by_name(rows):
    return {row[1]: row for row in rows[1:]}


def test_directory_shows_agencies_and_contract_suppliers_with_their_facts(client, world):
    signed_in = timezone.now() - dt.timedelta(days=2)
    type(world.requester).objects.filter(pk=world.requester.pk).update(last_login=signed_in)
    Membership.objects.create(user=UserFactory(is_active=False), organization=world.agency, role="requester")
    version = helpers.version(world.coop, label="2027-1")
    helpers.acceptance(world.agency, version, by=world.agency_admin)
    pending = AgencyFactory(organization__name="Gamma Township", agency_type="city", state="GA").organization
    CoopMembershipFactory(cooperative=world.coop, agency=pending, status="approved")
    ContractFactory(cooperative=world.coop, supplier=world.supplier)
    Supplier.objects.filter(organization=world.supplier).update(
        vetting_status="verified", insurance_expires_on=dt.date(2027, 6, 30)
    )
    client.force_login(world.coop_staff)
    body = client.get(PAGE).content.decode()
    assert "City of Alpha" in body and "Gamma Township" in body and "Alpha Cells" in body
    assert "Beta County" not in body and "Beta Lamps" not in body  # another co-op's member, a supplier without contract
    rows = _rows_by_name(_csv(client.get(EXPORT)))
    alpha = rows["City of Alpha"]
    assert alpha[0] == "Agency" and alpha[3] == "Active" and alpha[6].startswith("Version 2027-1 (signed ")
    assert alpha[7] == signed_in.replace(microsecond=0).isoformat()
    assert alpha[10] == "2"  # the requester and the admin; the deactivated user is not counted
    assert rows["Gamma Township"][3] == "Approved" and rows["Gamma Township"][6] == "Not signed"
    assert rows["Gamma Township"][5] == "GA" and rows["Gamma Township"][7] == ""
    cells = rows["Alpha Cells"]
    assert (cells[0], cells[3], cells[8], cells[9], cells[11]) == ("Supplier", "Verified", "2027-06-30", "", "1")


def test_directory_lists_suppliers_the_coop_vets_and_their_earliest_certification_expiry(client, world):
    invited = SupplierFactory(
        organization__name="Gamma Solar", organization__slug="gamma-solar", vetting_status="invited"
    )
    Supplier.objects.filter(pk=invited.pk).update(cooperative=world.coop)
    ContractFactory(cooperative=world.coop, supplier=world.supplier)
    for expires_on, status in (
        (dt.date(2027, 3, 1), "verified"),
        (dt.date(2026, 12, 20), "verified"),
        (dt.date(2026, 12, 10), "rejected"),
    ):
        SupplierDocument.objects.create(
            supplier=world.supplier,
            kind="cert",
            status=status,
            expires_on=expires_on,
            certification_type="local",
            issuer="County",
            file="x.pdf",
            original_name="cert.pdf",
            sha256="0" * 64,
        )
    client.force_login(world.coop_staff)

    rows = _rows_by_name(_csv(client.get(EXPORT)))
    body = client.get(PAGE).content.decode()
    api = {row["name"]: row for row in client.get(API).json()["results"]}

    assert rows["Gamma Solar"][3] == "Invited" and rows["Gamma Solar"][11] == "0"
    assert rows["Alpha Cells"][9] == "2026-12-20"  # the earliest verified certification; a rejected one is ignored
    assert "Certification expires Dec 20, 2026" in body and "Gamma Solar" in body
    assert api["Alpha Cells"]["certification_expires_on"] == "2026-12-20"


def test_directory_says_when_reacceptance_is_due_or_overdue(client, world):
    helpers.acceptance(world.agency, helpers.version(world.coop, label="2027-1"), by=world.agency_admin)
    today = organization_today(world.coop)
    due = today + dt.timedelta(days=9)
    helpers.version(world.coop, label="2027-2", effective_on=today, reaccept_by=due)
    client.force_login(world.coop_staff)
    body = client.get(PAGE).content.decode()
    assert f"re-acceptance due {due:%b} {due.day}, {due.year}" in body


def test_filters_narrow_page_export_and_api_alike(client, world):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    lapsed = AgencyFactory(organization__name="Delta District", state="TX").organization
    CoopMembershipFactory(cooperative=world.coop, agency=lapsed, status="lapsed")
    ContractFactory(cooperative=world.coop, supplier=world.supplier)
    Supplier.objects.filter(organization=world.supplier).update(vetting_status="suspended")
    client.force_login(world.coop_staff)
    cases = {
        "kind=supplier": {"Alpha Cells"},
        "kind=agency": {"City of Alpha", "Delta District"},
        "status=lapsed": {"Delta District"},
        "status=suspended": {"Alpha Cells"},
        "state=TX": {"Delta District"},
        "q=delta": {"Delta District"},
        "agreement=current": {"City of Alpha"},
        "agreement=unsigned": {"Delta District"},
        "agreement=outdated": set(),
    }
    for query, names in cases.items():
        assert {r[1] for r in _csv(client.get(f"{EXPORT}?{query}"))[1:]} == names, query
        assert {r["name"] for r in client.get(f"{API}?{query}").json()["results"]} == names, query
        page = client.get(f"{PAGE}?{query}").content.decode()
        for name in {"City of Alpha", "Delta District", "Alpha Cells"} - names:
            assert f'<span class="text-bold">{name}</span>' not in page, (query, name)


@pytest.mark.parametrize("query", ["status=bogus", "kind=%27%3B--", "state=ZZ", f"q={'x' * 101}", "agreement=9"])
def test_bad_filters_are_refused_not_guessed(client, world, query):
    client.force_login(world.coop_staff)
    assert client.get(f"{PAGE}?{query}").status_code == 400
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    assert client.get(f"{API_EXPORT}?{query}").status_code == 400


def test_csv_export_neutralises_formulas(client, world):
    evil = AgencyFactory(organization__name='=HYPERLINK("http://evil.test","click")', state="FL").organization
    CoopMembershipFactory(cooperative=world.coop, agency=evil)
    supplier = SupplierFactory(organization__name="@SUM(A1:A9)").organization
    ContractFactory(cooperative=world.coop, supplier=supplier)
    helpers.acceptance(evil, helpers.version(world.coop, label="+1+cmd|' /C calc'!A0"), by=world.agency_admin)
    client.force_login(world.coop_staff)
    for url in (EXPORT, API_EXPORT):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/csv")
        rows = _csv(response)
        names = [r[1] for r in rows[1:]]
        assert '\'=HYPERLINK("http://evil.test","click")' in names and "'@SUM(A1:A9)" in names
        assert not any(cell[:1] in ("=", "+", "@") for row in rows for cell in row), url
        evil_row = next(r for r in rows if r[1].startswith("'=HYPERLINK"))
        assert evil_row[6].startswith("Version +1+cmd")  # the cell starts with text, so it is already safe


def _grow(world, n):
    for i in range(n):
        agency = AgencyFactory().organization
        CoopMembershipFactory(cooperative=world.coop, agency=agency, status="active" if i % 2 else "approved")
        Membership.objects.create(user=UserFactory(last_login=timezone.now()), organization=agency, role="agency_admin")
        if i % 3 == 0:
            helpers.acceptance(agency, world.probe_version, by=world.agency_admin)
        supplier = SupplierFactory().organization
        ContractFactory(cooperative=world.coop, supplier=supplier)


@pytest.mark.parametrize("url", [PAGE, API, EXPORT, API_EXPORT])
def test_query_count_is_the_same_for_1_and_50_rows(client, world, django_assert_num_queries, url):
    world.probe_version = helpers.version(world.coop)
    client.force_login(world.coop_staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _grow(world, 25)  # 25 agencies and 25 suppliers: 51 rows with City of Alpha
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if url == API:
        assert response.json()["count"] == 51


def test_pages_of_fifty(client, world):
    world.probe_version = helpers.version(world.coop)
    _grow(world, 30)
    client.force_login(world.coop_staff)
    first = client.get(PAGE).content.decode()
    assert "61 organizations" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get(f"{PAGE}?page=2").content.decode()
    assert client.get(f"{API}?page_size=50&page=2").json()["count"] == 61


def test_other_coop_staff_and_agencies_cannot_read_the_directory(client, world):
    client.force_login(world.other_coop_admin)
    assert client.get(PAGE).status_code == 404 and client.get(API).status_code == 404
    client.force_login(world.agency_admin)
    assert client.get(PAGE).status_code == 404 and client.get(EXPORT).status_code == 404
