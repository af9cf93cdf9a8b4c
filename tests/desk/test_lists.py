"""Order lists (supplier desk, agency, co-op) and their CSV exports: who sees which orders, the filters, one
timeline with status labels, formula-safe CSV, and the same number of queries for 1 row and for 50."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from orders.models import OrderEvent, POStatus, PurchaseOrder
from orders.purchase_orders.services.transitions import po_transition
from tests.desk.helpers import released_po
from tests.factories import StoreLocationFactory
from tests.orders.factories import DepartmentFactory, FundCodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(world, make_member):
    return make_member(world.supplier, "order_desk", email="desk@alpha-cells.test")


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- Who sees what -------------------------------------------------------------------------------------------------


def test_requester_sees_own_orders_admin_sees_all(world, client, make_member):
    mine = released_po(world, number="ALPHA-MINE-1")
    theirs = released_po(world, number="ALPHA-THEIRS-1")
    colleague = make_member(world.agency, "requester", email="colleague@alpha.test")
    theirs.requisition.requester = colleague
    theirs.requisition.save(update_fields=["requester"])

    client.force_login(world.requester)
    body = client.get("/agencies/city-of-alpha/orders/").content.decode()
    assert mine.number in body and theirs.number not in body
    assert client.get(f"/agencies/city-of-alpha/orders/{theirs.public_id}/").status_code == 404
    api = client.get("/api/v1/agencies/city-of-alpha/orders/").json()
    assert [row["number"] for row in api["results"]] == [mine.number]

    client.force_login(world.agency_admin)
    body = client.get("/agencies/city-of-alpha/orders/").content.decode()
    assert mine.number in body and theirs.number in body
    mine_only = client.get("/api/v1/agencies/city-of-alpha/orders/", {"scope": "mine"}).json()
    assert mine_only["count"] == 0  # the admin placed none


def test_department_scope(world, client, make_member):
    from agencies.models import MemberDefaults

    fire = DepartmentFactory(agency=world.agency, name="Fire")
    approver = make_member(world.agency, "approver", email="approver@alpha.test")
    MemberDefaults.objects.create(
        agency=world.agency, user=approver, fund_code=FundCodeFactory(agency=world.agency, department=fire)
    )
    in_fire = released_po(world, number="ALPHA-FIRE-1")
    in_fire.requisition.department = fire
    in_fire.requisition.save(update_fields=["department"])
    elsewhere = released_po(world, number="ALPHA-PARKS-1")
    client.force_login(approver)
    numbers = [
        r["number"]
        for r in client.get("/api/v1/agencies/city-of-alpha/orders/", {"scope": "department"}).json()["results"]
    ]
    assert numbers == [in_fire.number]
    assert elsewhere.number not in numbers


def test_supplier_and_coop_see_only_released_orders(world, client, clerk):
    released = released_po(world, number="ALPHA-SENT-1")
    waiting = released_po(world, status=POStatus.PENDING_APPROVAL, number="", sent_at=None)
    client.force_login(clerk)
    body = client.get("/suppliers/alpha-cells/orders/").content.decode()
    assert released.number in body and str(waiting.public_id) not in body
    client.force_login(world.coop_staff)
    body = client.get("/coops/alpha-coop/orders/").content.decode()
    assert released.number in body and str(waiting.public_id) not in body
    page = client.get(f"/coops/alpha-coop/orders/{released.public_id}/").content.decode()
    assert "Read-only" in page and "Acknowledge" not in page and 'name="action"' not in page
    assert client.post(f"/coops/alpha-coop/orders/{released.public_id}/").status_code == 405


def test_desk_filters_by_store_status_agency_and_date(world, client, clerk):
    store = StoreLocationFactory(supplier=world.supplier, name="Alpha Cells Tampa")
    at_store = released_po(world, number="ALPHA-STORE-1", store=store, order_date=dt.date(2026, 3, 1))
    released_po(world, number="ALPHA-DELIV-1", order_date=dt.date(2026, 1, 1))
    acked = released_po(world, number="ALPHA-ACK-1", status=POStatus.ACKNOWLEDGED)
    client.force_login(clerk)
    api = "/api/v1/suppliers/alpha-cells/purchase-orders/"

    def numbers(**params):
        return sorted(r["number"] for r in client.get(api, params).json()["results"])

    assert numbers(store=store.pk) == [at_store.number]
    assert numbers(status="acknowledged") == [acked.number]
    assert numbers(agency="city-of-alpha", date_from="2026-02-01") == [at_store.number]
    assert numbers(q="store-1") == [at_store.number]
    assert client.get(api, {"status": "pending_approval"}).status_code == 400  # not a desk status
    assert client.get(api, {"store": "999999"}).status_code == 400  # not one of this supplier's stores
    page = client.get("/suppliers/alpha-cells/orders/", {"store": store.pk}).content.decode()
    assert at_store.number in page and "ALPHA-DELIV-1" not in page


def test_emergency_filter_and_badge(world, client):
    urgent = released_po(world, number="ALPHA-URGENT-1", is_emergency=True)
    released_po(world, number="ALPHA-ROUTINE-1")
    client.force_login(world.agency_admin)
    rows = client.get("/api/v1/agencies/city-of-alpha/orders/", {"emergency": "true"}).json()["results"]
    assert [r["number"] for r in rows] == [urgent.number]
    assert "Emergency" in client.get(f"/agencies/city-of-alpha/orders/{urgent.public_id}/").content.decode()


# --- One timeline --------------------------------------------------------------------------------------------------


def test_one_timeline_with_labels_that_buyer_supplier_and_coop_see(world, client, clerk):
    po = released_po(world, status=POStatus.APPROVED)
    OrderEvent.objects.create(
        requisition=po.requisition, actor=world.requester, from_status="", to_status="pending_approval"
    )
    OrderEvent.objects.create(
        requisition=po.requisition,
        actor=world.agency_admin,
        from_status="pending_approval",
        to_status="approved",
        note="Fits the storm budget",
    )
    po_transition(po=po, to=POStatus.SENT, actor=None)
    for user, url in (
        (world.requester, f"/agencies/city-of-alpha/orders/{po.public_id}/"),
        (clerk, f"/suppliers/alpha-cells/orders/{po.public_id}/"),
        (world.coop_staff, f"/coops/alpha-coop/orders/{po.public_id}/"),
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert "Requisition: Waiting for approval → Approved" in body, url
        assert "Fits the storm budget" in body
        assert "Purchase order: Approved → Sent to supplier" in body
        assert "System" in body
    client.force_login(world.requester)
    timeline = client.get(f"/api/v1/agencies/city-of-alpha/orders/{po.public_id}/").json()["timeline"]
    assert [(e["subject"], e["to_label"]) for e in timeline] == [
        ("Requisition", "Waiting for approval"),
        ("Requisition", "Approved"),
        ("Purchase order", "Sent to supplier"),
    ]


def test_detail_shows_totals_savings_and_tax_statement(world, client):
    po = released_po(world, subtotal="40.00", list_total="56.00")
    client.force_login(world.requester)
    body = client.get(f"/agencies/city-of-alpha/orders/{po.public_id}/").content.decode()
    assert "$16.00" in body and "28.6%" in body
    assert "Not tax exempt" in body


# --- CSV -----------------------------------------------------------------------------------------------------------


def test_csv_is_the_filtered_rows_formula_safe_with_plain_amounts(world, client):
    evil = released_po(world, number="=HYPERLINK(1)", subtotal="1234.50", list_total="1500.00")
    evil.facility.name = "@SUM(A1)"
    evil.facility.save(update_fields=["name"])
    released_po(world, number="ALPHA-OTHER-1", status=POStatus.ACKNOWLEDGED)
    client.force_login(world.agency_admin)
    response = client.get("/agencies/city-of-alpha/orders/export.csv", {"status": "sent"})
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _rows(response)
    assert header[:3] == ["PO number", "Order date", "Status"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["PO number"] == "'=HYPERLINK(1)"
    assert row["Ship to"] == "'@SUM(A1)"
    assert row["Order date"] == "2026-01-15"
    assert (row["Subtotal"], row["List total"], row["Savings"]) == ("1234.50", "1500.00", "265.50")
    assert row["Status"] == "Sent to supplier"


@pytest.mark.parametrize("prefix", ["+", "-", "\t", "\r"])
def test_csv_neutralises_every_formula_start(world, client, clerk, prefix):
    released_po(world, number=f"{prefix}cmd|x")
    client.force_login(clerk)
    _header, row = _rows(client.get("/suppliers/alpha-cells/orders/export.csv"))
    assert row[0] == f"'{prefix}cmd|x"


# --- Constant query counts -----------------------------------------------------------------------------------------


def _many(world, n):
    store = StoreLocationFactory(supplier=world.supplier)
    for i in range(n):
        released_po(world, lines=1, store=store if i % 2 else None, is_emergency=bool(i % 3))


LIST_URLS = [
    ("clerk", "/suppliers/alpha-cells/orders/"),
    ("clerk", "/suppliers/alpha-cells/orders/export.csv"),
    ("clerk", "/api/v1/suppliers/alpha-cells/purchase-orders/"),
    ("agency_admin", "/agencies/city-of-alpha/orders/"),
    ("agency_admin", "/agencies/city-of-alpha/orders/export.csv"),
    ("agency_admin", "/api/v1/agencies/city-of-alpha/orders/"),
    ("requester", "/agencies/city-of-alpha/orders/?scope=mine"),
    ("coop_staff", "/coops/alpha-coop/orders/"),
    ("coop_staff", "/coops/alpha-coop/orders/export.csv"),
]


@pytest.mark.parametrize(("who", "url"), LIST_URLS)
def test_list_query_count_is_the_same_for_1_and_50_rows(world, client, clerk, who, url, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = clerk if who == "clerk" else getattr(world, who)
    client.force_login(user)
    _many(world, 1)
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        first = client.get(url)
    assert first.status_code == 200
    _many(world, 49)
    assert PurchaseOrder.objects.count() == 50
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".csv"):
        assert len(_rows(response)) == 51
