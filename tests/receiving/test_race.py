"""Two deliveries of an order's last units recorded at the same moment: each counts exactly what was entered, and
the second, seeing the first under the order's lock, flags the excess over once."""

from __future__ import annotations

import pytest

from marketplace.core.dates import organization_today
from orders.models import Discrepancy, DiscrepancyKind, Receipt
from orders.receiving.services import receipt_record
from tests.concurrency import run_at_once
from tests.receiving.helpers import order, po_lines


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_receipts_of_the_last_units(world):
    po = order(world, quantity=2)
    (line,) = po_lines(po)
    today = organization_today(world.agency)

    def receive(user):
        return lambda: receipt_record(po=po, actor=user, received_on=today, lines={line.id: (2, 0, "")})

    run_at_once(receive(world.requester), receive(world.agency_admin))
    line.refresh_from_db()
    assert Receipt.objects.filter(purchase_order=po).count() == 2
    assert (line.quantity_received, line.quantity_damaged) == (4, 0)
    assert list(Discrepancy.objects.values_list("kind", "quantity")) == [(DiscrepancyKind.OVER, 2)]
