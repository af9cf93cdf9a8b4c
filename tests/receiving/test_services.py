"""Receiving services: deliveries per line (partial, damaged, over, short when complete), the supplier's answer, the
agency's resolution, and the order moving on from the facts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Notification
from marketplace.core.notification_kinds import NotificationKind
from orders.models import Discrepancy, DiscrepancyKind, DiscrepancyStatus, InvoiceStatus, OrderEvent, POStatus
from orders.receiving.services import discrepancy_answer, discrepancy_resolve, receipt_record
from tests.orders.billing_factories import invoice_rows
from tests.receiving.helpers import order, po_lines, state

pytestmark = pytest.mark.django_db


def _today(world):
    return organization_today(world.agency)


def _receive(world, po, lines, *, actor=None, complete=False, note="", received_on=None):
    return receipt_record(
        po=po,
        actor=actor or world.requester,
        received_on=received_on or _today(world),
        lines=lines,
        complete=complete,
        note=note,
    )


def test_partial_receipts_over_two_deliveries_receive_the_order(world, order_desk):
    po = order(world, lines=2, quantity=5)
    first, second = po_lines(po)

    receipt = _receive(world, po, {first.id: (3, 0, ""), second.id: (5, 0, "")}, note="Dock 2")
    po.refresh_from_db()
    assert po.status == POStatus.SHIPPED  # two units of the first line are still to come
    assert [(line.quantity_received, line.quantity_damaged) for line in po_lines(po)] == [(3, 0), (5, 0)]
    assert receipt.received_by == world.requester and receipt.note == "Dock 2"
    assert receipt.lines.count() == 2
    assert not Discrepancy.objects.exists()

    _receive(world, po, {first.id: (2, 0, "")})
    po.refresh_from_db()
    assert po.status == POStatus.RECEIVED
    assert [line.quantity_received for line in po_lines(po)] == [5, 5]
    notes = list(OrderEvent.objects.filter(purchase_order=po).values_list("note", flat=True))
    assert any("Delivery of" in n and f"3 × {first.sku}" in n for n in notes)
    assert AuditEvent.objects.filter(action="purchase_order.receipt").count() == 2
    kinds = set(Notification.objects.filter(user=order_desk).values_list("kind", flat=True))
    assert kinds == {NotificationKind.RECEIVED}


def test_complete_delivery_below_shipped_flags_short(world, order_desk):
    po = order(world, quantity=5)
    (line,) = po_lines(po)
    _receive(world, po, {line.id: (3, 0, "two missing")}, complete=True)
    (short,) = Discrepancy.objects.all()
    assert (short.kind, short.quantity, short.status, short.note) == (DiscrepancyKind.SHORT, 2, "open", "two missing")
    po.refresh_from_db()
    assert po.status == POStatus.SHIPPED  # an open discrepancy keeps it from being received
    assert Notification.objects.filter(user=order_desk, kind=NotificationKind.DISCREPANCY).count() == 1
    assert Notification.objects.filter(user=world.supplier_admin, kind=NotificationKind.RECEIVED).count() == 1
    assert not Notification.objects.filter(user=world.catalog_manager).exists()

    # saying "complete" again with one more unit does not flag the same shortfall twice
    _receive(world, po, {line.id: (1, 0, "")}, complete=True)
    assert list(Discrepancy.objects.values_list("kind", "quantity")) == [(DiscrepancyKind.SHORT, 2)]


def test_partial_delivery_without_complete_flags_nothing(world):
    po = order(world, quantity=5)
    (line,) = po_lines(po)
    _receive(world, po, {line.id: (1, 0, "")})
    assert not Discrepancy.objects.exists()


def test_more_than_shipped_flags_over_once_for_the_excess(world):
    po = order(world, quantity=3)
    (line,) = po_lines(po)
    _receive(world, po, {line.id: (4, 0, "")})
    assert list(Discrepancy.objects.values_list("kind", "quantity")) == [(DiscrepancyKind.OVER, 1)]
    _receive(world, po, {line.id: (2, 0, "")})
    assert list(Discrepancy.objects.order_by("id").values_list("kind", "quantity")) == [
        (DiscrepancyKind.OVER, 1),
        (DiscrepancyKind.OVER, 2),
    ]
    line.refresh_from_db()
    assert line.quantity_received == 6


def test_damaged_units_flag_damaged(world):
    po = order(world, quantity=4)
    (line,) = po_lines(po)
    receipt = _receive(world, po, {line.id: (3, 1, "crushed box")})
    (damaged,) = Discrepancy.objects.all()
    assert (damaged.kind, damaged.quantity, damaged.receipt_line.receipt) == (DiscrepancyKind.DAMAGED, 1, receipt)
    line.refresh_from_db()
    assert (line.quantity_received, line.quantity_damaged) == (3, 1)
    po.refresh_from_db()
    assert po.status == POStatus.SHIPPED  # covered, but the damage is open


def test_answer_and_resolve_receive_the_order_and_paid_invoice_closes_it(world, order_desk, finance):
    po = order(world, quantity=2)
    (line,) = po_lines(po)
    invoice = invoice_rows(po, number="INV-R1", user=world.supplier_admin, status=InvoiceStatus.PAID)
    invoice.amount_paid = invoice.total
    invoice.save(update_fields=["amount_paid"])
    _receive(world, po, {line.id: (1, 1, "cracked")})
    discrepancy = Discrepancy.objects.get()

    answered = discrepancy_answer(discrepancy=discrepancy, actor=order_desk, response="Replacement on its way")
    assert (answered.status, answered.supplier_response, answered.responded_by) == (
        DiscrepancyStatus.ANSWERED,
        "Replacement on its way",
        order_desk,
    )
    told = set(
        Notification.objects.filter(kind=NotificationKind.DISCREPANCY, organization=world.agency).values_list(
            "user__email", flat=True
        )
    )
    assert told == {world.requester.email, finance.email, world.agency_admin.email}
    po.refresh_from_db()
    assert po.status == POStatus.SHIPPED

    resolved = discrepancy_resolve(discrepancy=discrepancy, actor=world.requester, resolution="Accepted the credit")
    assert (resolved.status, resolved.resolved_by) == (DiscrepancyStatus.RESOLVED, world.requester)
    po.refresh_from_db()
    assert po.status == POStatus.CLOSED  # received, invoiced and every invoice paid
    moves = list(
        OrderEvent.objects.filter(purchase_order=po)
        .exclude(from_status=F("to_status"))
        .values_list("to_status", flat=True)
    )
    assert moves[-4:] == [POStatus.RECEIVED, POStatus.INVOICED, POStatus.PAID, POStatus.CLOSED]


def test_resolve_straight_from_open(world):
    po = order(world, quantity=2)
    (line,) = po_lines(po)
    _receive(world, po, {line.id: (1, 0, "")}, complete=True)
    discrepancy_resolve(discrepancy=Discrepancy.objects.get(), actor=world.agency_admin, resolution="Accepted short")
    po.refresh_from_db()
    assert po.status == POStatus.RECEIVED


def _refused(world, po, lines, code, *, actor=None, received_on=None, note="", field=None):
    before = state(po)
    with pytest.raises(ApplicationError) as exc:
        _receive(world, po, lines, actor=actor, received_on=received_on, note=note)
    assert exc.value.code == code
    if field:
        assert any(key.startswith(field) for key in exc.value.fields), exc.value.fields
    assert state(po) == before
    return exc.value


def test_future_day_is_refused(world):
    po = order(world)
    (line,) = po_lines(po)
    _refused(
        world,
        po,
        {line.id: (1, 0, "")},
        "invalid",
        received_on=_today(world) + dt.timedelta(days=1),
        field="received_on",
    )


def test_day_before_the_order_date_is_refused(world):
    po = order(world)
    (line,) = po_lines(po)
    _refused(world, po, {line.id: (1, 0, "")}, "invalid", received_on=dt.date(2026, 1, 14), field="received_on")


def test_line_of_another_order_is_refused(world):
    po, other = order(world), order(world)
    (foreign,) = po_lines(other)
    _refused(world, po, {foreign.id: (1, 0, "")}, "invalid", field=f"lines.{foreign.id}")
    assert state(other)[1] == ((0, 0),)


@pytest.mark.parametrize("good, damaged", [(-1, 0), (0, -2), (10**7, 0)])
def test_negative_or_huge_quantity_is_refused(world, good, damaged):
    po = order(world)
    (line,) = po_lines(po)
    _refused(world, po, {line.id: (good, damaged, "")}, "invalid", field=f"lines.{line.id}")


def test_all_zeros_is_refused(world):
    po = order(world, lines=2)
    first, second = po_lines(po)
    _refused(world, po, {first.id: (0, 0, ""), second.id: (0, 0, "")}, "invalid", field="lines")
    _refused(world, po, {}, "invalid", field="lines")


def test_long_or_nul_text_is_refused(world):
    po = order(world)
    (line,) = po_lines(po)
    _refused(world, po, {line.id: (1, 0, "")}, "invalid", note="x" * 10_000, field="note")
    _refused(world, po, {line.id: (1, 0, "")}, "invalid", note="bad\x00note", field="note")
    _refused(world, po, {line.id: (1, 0, "y" * 10_000)}, "invalid", field=f"lines.{line.id}.note")
    _refused(world, po, {line.id: (1, 0, "a\x00b")}, "invalid", field=f"lines.{line.id}.note")


def test_supplier_cannot_record_a_receipt(world, order_desk):
    po = order(world)
    (line,) = po_lines(po)
    error = _refused(world, po, {line.id: (1, 0, "")}, "permission_denied", actor=order_desk)
    assert error.status_code == 403


def test_order_not_yet_shipped_is_refused(world):
    po = order(world, shipped=0)
    po.status = POStatus.ACKNOWLEDGED
    po.save(update_fields=["status"])
    (line,) = po_lines(po)
    error = _refused(world, po, {line.id: (1, 0, "")}, "not_shipped")
    assert error.status_code == 409


def test_agency_cannot_answer_and_supplier_cannot_resolve(world, order_desk):
    po = order(world, quantity=2)
    (line,) = po_lines(po)
    _receive(world, po, {line.id: (1, 0, "")}, complete=True)
    discrepancy = Discrepancy.objects.get()
    before = state(po)
    with pytest.raises(ApplicationError) as exc:
        discrepancy_answer(discrepancy=discrepancy, actor=world.agency_admin, response="Sure")
    assert (exc.value.code, exc.value.status_code) == ("permission_denied", 403)
    with pytest.raises(ApplicationError) as exc:
        discrepancy_answer(discrepancy=discrepancy, actor=world.catalog_manager, response="Sure")
    assert exc.value.code == "permission_denied"
    with pytest.raises(ApplicationError) as exc:
        discrepancy_resolve(discrepancy=discrepancy, actor=order_desk, resolution="Done")
    assert exc.value.code == "permission_denied"
    assert state(po) == before
    discrepancy.refresh_from_db()
    assert (discrepancy.status, discrepancy.supplier_response, discrepancy.resolution) == ("open", "", "")


def test_answer_and_resolution_text_is_checked_and_states_enforced(world, order_desk):
    po = order(world, quantity=2)
    (line,) = po_lines(po)
    _receive(world, po, {line.id: (1, 0, "")}, complete=True)
    discrepancy = Discrepancy.objects.get()
    before = state(po)
    for text in ("", "   ", "x" * 10_000, "a\x00b"):
        with pytest.raises(ApplicationError) as exc:
            discrepancy_answer(discrepancy=discrepancy, actor=order_desk, response=text)
        assert exc.value.code == "invalid" and "response" in exc.value.fields
        with pytest.raises(ApplicationError) as exc:
            discrepancy_resolve(discrepancy=discrepancy, actor=world.requester, resolution=text)
        assert exc.value.code == "invalid" and "resolution" in exc.value.fields
    assert state(po) == before

    discrepancy_resolve(discrepancy=discrepancy, actor=world.requester, resolution="Accepted")
    before = state(po)
    with pytest.raises(ApplicationError) as exc:
        discrepancy_answer(discrepancy=discrepancy, actor=order_desk, response="Late answer")
    assert (exc.value.code, exc.value.status_code) == ("not_open", 409)
    with pytest.raises(ApplicationError) as exc:
        discrepancy_resolve(discrepancy=discrepancy, actor=world.requester, resolution="Again")
    assert (exc.value.code, exc.value.status_code) == ("not_open", 409)
    assert state(po) == before
