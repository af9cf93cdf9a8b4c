"""The database refuses a purchase-order line at any price but the contract price in effect (trigger in
orders/migrations/0002_po_line_price_guard.py): raw SQL cannot break it either."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from contracts.models import PriceChange
from orders.models import POStatus, PurchaseOrderLine
from tests.orders.factories import priced_item, purchase_order

pytestmark = pytest.mark.django_db


def test_raw_update_of_unit_price_raises_and_changes_nothing(world):
    po = purchase_order(world=world, status=POStatus.APPROVED)
    line = po.lines.get()
    with (
        pytest.raises(IntegrityError, match="contract price guard"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE orders_purchaseorderline SET unit_price = unit_price - 1 WHERE id = %s", [line.id])
    line.refresh_from_db()
    assert line.unit_price == Decimal("10.00")


def test_queryset_update_to_another_price_change_of_another_item_raises(world):
    po = purchase_order(world=world, lines=2)
    first, second = po.lines.order_by("id")
    with pytest.raises(IntegrityError, match="is for item"), transaction.atomic():
        PurchaseOrderLine.objects.filter(pk=first.pk).update(price_change=second.price_change)


def test_shipping_quantities_are_not_rechecked_after_a_later_price_change(world):
    po = purchase_order(world=world, status=POStatus.APPROVED)
    line = po.lines.get()
    PriceChange.objects.create(item=line.item, new_price="8.00", status="applied", effective_date=dt.date(2030, 1, 1))
    PurchaseOrderLine.objects.filter(pk=line.pk).update(quantity_cancelled=1)  # allowed: price untouched


def _insert(po, item, price_change, unit_price):
    return PurchaseOrderLine.objects.create(
        purchase_order=po,
        item=item,
        price_change=price_change,
        sku=item.sku,
        name=item.name,
        unit=item.unit,
        quantity=1,
        unit_price=unit_price,
        list_price=item.list_price,
        amount=unit_price,
        list_amount=item.list_price,
        fund_code=po.lines.order_by("id").first().fund_code,
    )


def test_insert_with_a_stale_price_change_raises(world):
    po = purchase_order(world=world)
    po.order_date = dt.date(2026, 6, 1)
    po.save(update_fields=["order_date"])
    item = priced_item(contract=po.contract, sku="STALE-1")  # $10.00 from the term start
    stale = item.price_changes.get()
    newer = PriceChange.objects.create(
        item=item, old_price="10.00", new_price="9.00", status="applied", effective_date=dt.date(2026, 5, 1)
    )
    with pytest.raises(IntegrityError, match="not the price in effect"), transaction.atomic():
        _insert(po, item, stale, Decimal("10.00"))
    with pytest.raises(IntegrityError, match="is not the contract price"), transaction.atomic():
        _insert(po, item, newer, Decimal("10.00"))
    pending = PriceChange.objects.create(item=item, new_price="12.00", status="pending")
    with pytest.raises(IntegrityError, match="not in effect"), transaction.atomic():
        _insert(po, item, pending, Decimal("12.00"))
    assert _insert(po, item, newer, Decimal("9.00")).unit_price == Decimal("9.00")
    # a change effective after the order date is not the order's price
    PriceChange.objects.create(item=item, new_price="8.00", status="applied", effective_date=dt.date(2026, 7, 1))
    assert _insert(po, item, newer, Decimal("9.00")).pk
