"""The agency home puts search first, then what the member's orders saved against list price: approved orders and
every state after it, never drafts, orders waiting for a decision, rejected or cancelled ones, cancelled units, or
another agency's orders. Requesters see their own orders' savings (as in their order list); approvers, finance and
agency admins see the agency's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import POStatus, PurchaseOrder, PurchaseOrderLine
from orders.purchase_orders.lists.selectors import SAVINGS_STATUSES, agency_savings
from tests.factories import ContractFactory
from tests.orders.factories import FundCodeFactory, RequisitionFactory, priced_item

pytestmark = pytest.mark.django_db

COUNTED = {s.value for s in SAVINGS_STATUSES}


def _order(*, agency, requester, contract, status, quantity=2, cancelled=0, list_price="14.00", price="10.00"):
    """One purchase order with one line; it saves (list − price) × (quantity − cancelled)."""
    requisition = RequisitionFactory(agency=agency, requester=requester)
    po = PurchaseOrder.objects.create(
        requisition=requisition,
        agency=agency,
        supplier=contract.supplier,
        cooperative=contract.cooperative,
        contract=contract,
        facility=requisition.facility,
        status=status,
    )
    item = priced_item(contract=contract, sku=f"S-{po.pk}", contract_price=price, list_price=list_price)
    PurchaseOrderLine.objects.create(
        purchase_order=po,
        item=item,
        price_change=item.price_changes.get(),
        sku=item.sku,
        name=item.name,
        unit=item.unit,
        quantity=quantity,
        quantity_cancelled=cancelled,
        unit_price=item.contract_price,
        list_price=item.list_price,
        amount=item.contract_price * quantity,
        list_amount=item.list_price * quantity,
        fund_code=FundCodeFactory(agency=agency),
    )
    return po


@pytest.fixture
def contract(world):
    return ContractFactory(cooperative=world.coop, supplier=world.supplier, number="HOME-1")


def _savings_box(html: str) -> str:
    return html.split('id="savings-heading"', 1)[1].split("</section>", 1)[0]


def test_only_approved_and_later_orders_count(world, contract):
    for status in POStatus:
        _order(agency=world.agency, requester=world.requester, contract=contract, status=status)

    savings = agency_savings(agency=world.agency, user=world.agency_admin, roles=frozenset({"agency_admin"}))

    assert {
        "approved", "sent", "acknowledged", "partially_shipped", "shipped", "received", "invoiced", "paid", "closed"
    } == COUNTED  # fmt: skip
    assert savings.order_count == len(COUNTED)  # not draft, submitted, waiting for approval, rejected, cancelled
    assert savings.amount == Decimal("8.00") * len(COUNTED)
    assert savings.list_amount == Decimal("28.00") * len(COUNTED)
    assert savings.percent == Decimal("28.6")


def test_cancelled_units_do_not_count(world, contract):
    _order(agency=world.agency, requester=world.requester, contract=contract, status="shipped", quantity=5, cancelled=3)

    savings = agency_savings(agency=world.agency, user=world.requester, roles=frozenset({"requester"}))

    assert savings.amount == Decimal("8.00")  # (14 − 10) × (5 − 3)
    assert savings.list_amount == Decimal("28.00")


def test_home_shows_the_agency_savings_and_never_another_agencys(client, world, contract, make_member):
    colleague = make_member(world.agency, "requester", email="colleague@alpha.test")
    _order(agency=world.agency, requester=world.requester, contract=contract, status="approved")
    _order(
        agency=world.agency, requester=colleague, contract=contract, status="paid", list_price="110.00", price="60.00"
    )
    _order(agency=world.agency, requester=world.requester, contract=contract, status="pending_approval")
    beta = ContractFactory(cooperative=world.other_coop, supplier=world.other_supplier)
    _order(
        agency=world.other_agency,
        requester=world.other_requester,
        contract=beta,
        status="closed",
        list_price="5000.00",
        price="1000.00",
    )
    client.force_login(world.agency_admin)

    box = _savings_box(client.get("/agencies/city-of-alpha/").content.decode())

    assert "What City of Alpha has saved" in box
    assert '<p class="font-heading-xl text-bold margin-y-1" id="savings-amount">$108.00</p>' in box  # 8 + 100
    assert "43.5% below list price on 2 approved orders ($248.00 at list price)" in box
    assert "$8,000.00" not in box and "8,108" not in box  # Beta County's order

    client.force_login(world.other_agency_admin)
    other = _savings_box(client.get("/agencies/beta-county/").content.decode())
    assert 'id="savings-amount">$8,000.00</p>' in other


def test_a_requester_sees_what_their_own_orders_saved(client, world, contract, make_member):
    colleague = make_member(world.agency, "requester", email="colleague@alpha.test")
    _order(agency=world.agency, requester=world.requester, contract=contract, status="received")
    _order(agency=world.agency, requester=colleague, contract=contract, status="received", list_price="110.00")
    client.force_login(world.requester)

    box = _savings_box(client.get("/agencies/city-of-alpha/").content.decode())

    assert "What your orders have saved" in box
    assert 'id="savings-amount">$8.00</p>' in box
    assert "on 1 approved order ($28.00 at list price)" in box


def test_no_approved_orders_yet_reads_plainly(client, world, contract):
    _order(agency=world.agency, requester=world.requester, contract=contract, status="pending_approval")
    client.force_login(world.requester)

    box = _savings_box(client.get("/agencies/city-of-alpha/").content.decode())

    assert "No approved orders yet." in box
    assert "$0.00" not in box


def test_search_comes_first_on_the_home(client, world, contract):
    client.force_login(world.requester)

    html = client.get("/agencies/city-of-alpha/").content.decode()

    search = html.index(
        '<form class="usa-search usa-search--big" role="search" method="get" action="/agencies/city-of-alpha/catalog/">'
    )
    assert search < html.index('id="savings-heading"') < html.index("Contracts you can buy on")
    assert 'name="q"' in html[search : search + 600]


def test_home_query_count_does_not_grow_with_orders(client, world, contract):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/agencies/city-of-alpha/").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(world.agency_admin)
    _order(agency=world.agency, requester=world.requester, contract=contract, status="approved")
    one = count()
    for status in ("sent", "paid", "closed", "shipped"):
        _order(agency=world.agency, requester=world.requester, contract=contract, status=status)

    assert count() == one
