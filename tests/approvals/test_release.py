"""Release: PO numbers per agency and fiscal year, never reused, consecutive under concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from marketplace.core.errors import ApplicationError
from orders.models import PONumberSequence, PurchaseOrder, Requisition
from orders.purchase_orders.services.release import fiscal_year, purchase_orders_release
from tests.approvals.conftest import FY, pending_requisition


def test_fiscal_year_is_named_by_the_year_it_ends():
    class Agency:
        fiscal_year_start_month = 7

    assert fiscal_year(agency=Agency, day=dt.date(2026, 6, 30)) == 2026
    assert fiscal_year(agency=Agency, day=dt.date(2026, 7, 1)) == 2027
    Agency.fiscal_year_start_month = 1
    assert fiscal_year(agency=Agency, day=dt.date(2026, 12, 31)) == 2026
    Agency.fiscal_year_start_month = 10
    assert fiscal_year(agency=Agency, day=dt.date(2026, 10, 1)) == 2027


@pytest.mark.django_db
def test_release_numbers_sends_and_is_idempotent(approvers):
    world = approvers
    requisition = pending_requisition(world, pos=2, status="submitted")
    Requisition.objects.filter(pk=requisition.pk).update(status="approved", approvals_required=0)
    released = purchase_orders_release(requisition=requisition, actor=None)
    assert [po.number for po in released] == [f"MRC-{FY}-00001", f"MRC-{FY}-00002"]
    assert purchase_orders_release(requisition=requisition, actor=None) == []
    assert PONumberSequence.objects.get(agency=world.agency).last_value == 2


@pytest.mark.django_db
def test_release_of_a_pending_requisition_is_refused(approvers):
    requisition = pending_requisition(approvers, approvers=[approvers.approver])
    with pytest.raises(ApplicationError) as exc:
        purchase_orders_release(requisition=requisition, actor=None)
    assert exc.value.code == "not_approved"
    assert not PurchaseOrder.objects.exclude(number="").exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_releases_get_distinct_consecutive_numbers(approvers):
    world = approvers
    requisitions = []
    for _ in range(20):
        r = pending_requisition(world, status="approved")
        Requisition.objects.filter(pk=r.pk).update(status="approved")
        requisitions.append(r)
    barrier = threading.Barrier(20)
    errors: list[Exception] = []

    def release(requisition):
        try:
            barrier.wait()
            purchase_orders_release(requisition=requisition, actor=None)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=release, args=(r,)) for r in requisitions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    numbers = sorted(PurchaseOrder.objects.values_list("number", flat=True))
    assert numbers == [f"MRC-{FY}-{n:05d}" for n in range(1, 21)]
    assert PONumberSequence.objects.get(agency=world.agency).last_value == 20
