"""Admin fees: one accrual per payment (negative per reversal) at the contract's rate in force, summed per calendar
quarter for the supplier and the co-op (pages, CSV, API); the sum of accruals equals Σ round_half_up(amount × rate)
per payment, and a later rate change never rewrites history."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.core.dates import organization_today
from orders.billing.accounts.selectors import admin_fee_quarters
from orders.billing.services.accounts import payment_record
from orders.models import AdminFeeAccrual, Payment
from tests.billing.helpers import ready_invoice
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def _accrual(world, *, on: dt.date, base: str, rate: str = "0.0200", contract=None):
    """An accrual row for a payment row (the billing core made it; built directly here)."""
    invoice = ready_invoice(world, number=f"INV-{AdminFeeAccrual.objects.count() + 1}")
    payment = Payment.objects.create(
        invoice=invoice,
        agency=world.agency,
        supplier=world.supplier,
        cooperative=world.coop,
        method="ach",
        status="succeeded",
        amount=Decimal(base),
        paid_on=on,
        reference="R",
    )
    contract = contract or invoice.contract
    base_amount, fee_rate = Decimal(base), Decimal(rate)
    return AdminFeeAccrual.objects.create(
        contract=contract,
        agency=world.agency,
        supplier=world.supplier,
        cooperative=world.coop,
        payment=payment,
        base_amount=base_amount,
        rate=fee_rate,
        fee=(base_amount * fee_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        accrued_on=on,
    )


@pytest.fixture
def quarters(world):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="FEE-CT-1", title="Fee lamps")
    _accrual(world, on=dt.date(2026, 3, 31), base="100.00", contract=contract)  # Q1
    _accrual(world, on=dt.date(2026, 4, 1), base="50.00", contract=contract)  # Q2
    _accrual(world, on=dt.date(2026, 6, 30), base="33.33", rate="0.0150", contract=contract)  # Q2: 0.50
    return contract


def test_fees_per_calendar_quarter(world, quarters):
    rows = admin_fee_quarters(organization=world.supplier)
    assert [(r.label, r.contract_number, r.payments, r.fees, r.count) for r in rows] == [
        ("2026 Q2", "FEE-CT-1", Decimal("83.33"), Decimal("1.50"), 2),
        ("2026 Q1", "FEE-CT-1", Decimal("100.00"), Decimal("2.00"), 1),
    ]
    assert [r.label for r in admin_fee_quarters(organization=world.coop)] == ["2026 Q2", "2026 Q1"]
    assert admin_fee_quarters(organization=world.agency) == []  # agencies never see the fee
    assert admin_fee_quarters(organization=world.other_supplier) == []
    assert admin_fee_quarters(organization=world.other_coop) == []


def test_admin_fee_pages_csv_and_api(world, client, quarters):
    client.force_login(world.supplier_admin)
    page = client.get(f"/suppliers/{world.supplier.slug}/admin-fees/").content.decode()
    assert "2026 Q2" in page and "FEE-CT-1" in page and "$1.50" in page and "$83.33" in page
    api = client.get(f"/api/v1/suppliers/{world.supplier.slug}/admin-fees/").json()
    assert api["results"][0] == {
        "year": 2026,
        "quarter": 2,
        "label": "2026 Q2",
        "contract": "FEE-CT-1",
        "contract_title": "Fee lamps",
        "supplier": world.supplier.name,
        "cooperative": world.coop.name,
        "payments": "83.33",
        "fees": "1.50",
        "count": 2,
    }
    client.force_login(world.coop_staff)
    response = client.get(f"/coops/{world.coop.slug}/admin-fees/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Quarter", "Contract", "Contract title"]
    assert rows[1] == ["2026 Q2", "FEE-CT-1", "Fee lamps", world.supplier.name, world.coop.name, "83.33", "1.50", "2"]
    assert client.get(f"/api/v1/coops/{world.coop.slug}/admin-fees/").json()["count"] == 2


def test_csv_neutralises_formulas(world, client):
    contract = ContractFactory(
        cooperative=world.coop, supplier=world.supplier, number="FEE-CT-2", title="=HYPERLINK(1)"
    )
    _accrual(world, on=dt.date(2026, 5, 5), base="10.00", contract=contract)
    client.force_login(world.supplier_admin)
    body = client.get(f"/suppliers/{world.supplier.slug}/admin-fees/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_only_supplier_admins_see_the_supplier_fees(world, client):
    client.force_login(world.catalog_manager)
    assert client.get(f"/suppliers/{world.supplier.slug}/admin-fees/").status_code == 403
    assert client.get(f"/api/v1/suppliers/{world.supplier.slug}/admin-fees/").status_code == 403


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
RATES = st.decimals(min_value=Decimal("0.0000"), max_value=Decimal("0.0999"), places=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payments=st.lists(st.tuples(AMOUNTS, RATES), min_size=1, max_size=4), later_rate=RATES)
def test_sum_of_accruals_is_the_sum_of_rounded_fees_per_payment(world, finance, payments, later_rate):
    """Each payment at its own rate (the contract's rate changes between payments): Σ accrual.fee equals
    Σ round_half_up(amount × rate) per payment, and a later rate change leaves earlier accruals as they were."""
    mark = AdminFeeAccrual.objects.order_by("-id").values_list("id", flat=True).first() or 0
    total = sum(amount for amount, _ in payments)
    invoice = ready_invoice(world, number=f"PROP-{mark}-{len(payments)}", quantity=1)
    invoice.total = invoice.subtotal = total
    invoice.save(update_fields=["total", "subtotal"])
    contract = invoice.contract
    expected = Decimal("0")
    for amount, rate in payments:
        contract.admin_fee_rate = rate
        contract.save(update_fields=["admin_fee_rate"])
        payment_record(
            invoice=invoice,
            actor=finance,
            method="ach",
            amount=amount,
            paid_on=organization_today(world.agency),
            reference="PROP",
        )
        expected += (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    accruals = AdminFeeAccrual.objects.filter(id__gt=mark)
    snapshot = list(accruals.order_by("id").values_list("base_amount", "rate", "fee"))
    assert sum(fee for _, _, fee in snapshot) == expected
    assert [(base, rate) for base, rate, _ in snapshot] == [(amount, rate) for amount, rate in payments]

    contract.admin_fee_rate = later_rate
    contract.save(update_fields=["admin_fee_rate"])
    assert list(accruals.order_by("id").values_list("base_amount", "rate", "fee")) == snapshot
