"""Finance decides holds (a documented exception, or a dispute back to the supplier); the supplier answers a
dispute (matched again) or withdraws the invoice (its quantities given back). Refusals change nothing; two finance
users deciding at once: one wins, the other gets a 409."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import Notification
from marketplace.core.notification_kinds import NotificationKind
from orders.billing.services.invoices import (
    invoice_create,
    invoice_dispute,
    invoice_dispute_answer,
    invoice_hold_accept,
    invoice_void,
)
from orders.models import Invoice, InvoiceStatus, POStatus, PurchaseOrder, PurchaseOrderLine
from tests.concurrency import run_at_once
from tests.invoices.helpers import billing_state
from tests.orders.billing_factories import receive_all, shipped_po


def _held(world, actor, *, quantity=3, number="H-1", price_cut=None):
    """An invoice on hold: shipped `quantity`, nothing received (or received, at a lower price)."""
    po = shipped_po(world, quantity=quantity)
    line = po.lines.get()
    price = None
    if price_cut is not None:
        receive_all(po)
        price = line.unit_price - price_cut
    invoice = invoice_create(
        po=po,
        actor=actor,
        number=number,
        invoice_date=organization_today(world.supplier),
        lines={line.id: (quantity, price)},
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ON_HOLD
    return po, invoice


def _refused(code, call, *args, **kwargs):
    before = billing_state()
    with pytest.raises(ApplicationError) as exc:
        call(*args, **kwargs)
    assert exc.value.code == code, exc.value.message
    assert billing_state() == before
    return exc.value


@pytest.mark.django_db
class TestDecisions:
    def test_finance_accepts_a_documented_exception(self, world, order_desk, finance):
        po, invoice = _held(world, order_desk, price_cut=Decimal("1.00"))
        invoice_hold_accept(invoice=invoice, actor=finance, note="Supplier agreed a discount by phone")
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.READY
        assert invoice.hold_decided_by == finance and invoice.hold_decided_at is not None
        assert invoice.hold_decision_note == "Supplier agreed a discount by phone"
        note = Notification.objects.get(user=order_desk, kind=NotificationKind.INVOICED)
        assert "accepted" in note.title
        assert PurchaseOrder.objects.get(pk=po.pk).status == POStatus.INVOICED

    def test_agency_admin_may_decide_too(self, world, order_desk):
        _po, invoice = _held(world, order_desk)
        invoice_hold_accept(invoice=invoice, actor=world.agency_admin, note="ok")
        assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.READY

    def test_accept_needs_a_note(self, world, order_desk, finance):
        _po, invoice = _held(world, order_desk)
        for note in ("", "   ", "x" * 2001, "a\x00b"):
            _refused("invalid", invoice_hold_accept, invoice=invoice, actor=finance, note=note)

    def test_a_requester_cannot_decide_holds(self, world, order_desk):
        _po, invoice = _held(world, order_desk)
        error = _refused("permission_denied", invoice_hold_accept, invoice=invoice, actor=world.requester, note="x")
        assert error.status_code == 403
        _refused("permission_denied", invoice_dispute, invoice=invoice, actor=world.requester, reason="x")
        _refused("permission_denied", invoice_dispute, invoice=invoice, actor=world.other_agency_admin, reason="x")
        _refused("permission_denied", invoice_hold_accept, invoice=invoice, actor=order_desk, note="x")

    def test_a_ready_invoice_has_no_hold_to_decide(self, world, order_desk, finance):
        po = receive_all(shipped_po(world))
        invoice = invoice_create(
            po=po,
            actor=order_desk,
            number="R-1",
            invoice_date=organization_today(world.supplier),
            lines={po.lines.get().id: (2, None)},
        )
        error = _refused("invalid_transition", invoice_hold_accept, invoice=invoice, actor=finance, note="x")
        assert error.status_code == 409
        _refused("invalid_transition", invoice_dispute, invoice=invoice, actor=finance, reason="x")
        _refused("invalid_transition", invoice_void, invoice=invoice, actor=order_desk, reason="x")
        _refused("invalid_transition", invoice_dispute_answer, invoice=invoice, actor=order_desk, note="x")

    def test_dispute_then_answer_rematches(self, world, order_desk, finance):
        po, invoice = _held(world, order_desk, quantity=2)
        invoice_dispute(invoice=invoice, actor=finance, reason="We received nothing yet")
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.DISPUTED and invoice.hold_decision_note == "We received nothing yet"
        told = Notification.objects.get(user=order_desk, kind=NotificationKind.INVOICE_ON_HOLD)
        assert "disputed" in told.title and told.body == "We received nothing yet"
        _refused("invalid_transition", invoice_hold_accept, invoice=invoice, actor=finance, note="x")

        # still nothing received: the answer puts it back on hold for finance
        invoice_dispute_answer(invoice=invoice, actor=order_desk, note="Delivered Tuesday, signed by J. Doe")
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.ON_HOLD and invoice.hold_decided_at is None
        assert invoice.supplier_note == "Delivered Tuesday, signed by J. Doe"
        assert Notification.objects.filter(user=finance, kind=NotificationKind.INVOICE_ON_HOLD).count() == 2

        # disputed again, the agency receives meanwhile, the answer now matches: ready
        invoice_dispute(invoice=invoice, actor=finance, reason="Still not here")
        receive_all(po)
        invoice_dispute_answer(invoice=invoice, actor=order_desk, note="Now it is")
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.READY and invoice.match_problems == []
        assert Notification.objects.filter(user=finance, kind=NotificationKind.INVOICED).count() == 1

    def test_answer_needs_a_note_and_the_supplier_role(self, world, order_desk, finance):
        _po, invoice = _held(world, order_desk)
        invoice_dispute(invoice=invoice, actor=finance, reason="why")
        _refused("invalid", invoice_dispute_answer, invoice=invoice, actor=order_desk, note=" ")
        _refused("permission_denied", invoice_dispute_answer, invoice=invoice, actor=world.catalog_manager, note="x")
        _refused("permission_denied", invoice_dispute_answer, invoice=invoice, actor=finance, note="x")
        _refused("permission_denied", invoice_void, invoice=invoice, actor=world.other_supplier_admin, reason="x")

    def test_void_gives_the_quantity_back_and_keeps_the_number(self, world, order_desk, finance):
        po, invoice = _held(world, order_desk, quantity=3)
        line = po.lines.get()
        assert PurchaseOrderLine.objects.get(pk=line.pk).quantity_invoiced == 3
        invoice_dispute(invoice=invoice, actor=finance, reason="Wrong quantity")
        invoice_void(invoice=invoice, actor=order_desk, reason="Re-issuing")
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.VOID
        assert PurchaseOrderLine.objects.get(pk=line.pk).quantity_invoiced == 0
        assert Notification.objects.filter(user=finance, title__contains="withdrew").exists()
        _refused("invalid_transition", invoice_void, invoice=invoice, actor=order_desk, reason="again")
        receive_all(po)
        today = organization_today(world.supplier)
        with pytest.raises(ApplicationError) as exc:
            invoice_create(po=po, actor=order_desk, number="H-1", invoice_date=today, lines={line.id: (3, None)})
        assert exc.value.code == "number_taken"
        again = invoice_create(po=po, actor=order_desk, number="H-2", invoice_date=today, lines={line.id: (3, None)})
        again.refresh_from_db()
        assert again.status == InvoiceStatus.READY  # the void invoice no longer counts against what was received

    def test_void_needs_a_reason(self, world, order_desk, finance):
        _po, invoice = _held(world, order_desk)
        invoice_dispute(invoice=invoice, actor=finance, reason="why")
        _refused("invalid", invoice_void, invoice=invoice, actor=order_desk, reason="")


@pytest.mark.django_db(transaction=True)
def test_two_finance_users_decide_at_once_one_wins(world, order_desk, finance, make_member):
    other_finance = make_member(world.agency, "finance", email="finance2@alpha.test")
    _po, invoice = _held(world, order_desk)
    url = f"/api/v1/agencies/{world.agency.slug}/invoices/{invoice.public_id}/"

    def decide(user, action, body):
        def call():
            client = Client()
            client.force_login(user)
            return client.post(url + action, body, content_type="application/json")

        return call

    responses = run_at_once(
        decide(finance, "accept-exception/", {"note": "accepted"}),
        decide(other_finance, "dispute/", {"reason": "disputed"}),
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [r.content for r in responses]
    loser = next(r for r in responses if r.status_code == 409).json()["error"]
    assert loser["code"] == "invalid_transition" and "decided it already" in loser["message"]
    invoice.refresh_from_db()
    assert invoice.status in (InvoiceStatus.READY, InvoiceStatus.DISPUTED)
    assert invoice.hold_decision_note == ("accepted" if invoice.status == InvoiceStatus.READY else "disputed")


@pytest.mark.django_db(transaction=True)
def test_two_creates_with_one_number_make_one_invoice(world, order_desk):
    """Two orders of the same supplier, invoiced at once under one number: one invoice, the other a 409."""
    first, second = receive_all(shipped_po(world)), receive_all(shipped_po(world))
    url = f"/api/v1/suppliers/{world.supplier.slug}/purchase-orders/{{}}/invoices/"
    today = organization_today(world.supplier).isoformat()

    def create(po):
        def call():
            client = Client()
            client.force_login(order_desk)
            body = {"number": "RACE-1", "invoice_date": today, "lines": [{"line": po.lines.get().id, "quantity": 2}]}
            return client.post(url.format(po.public_id), body, content_type="application/json")

        return call

    responses = run_at_once(create(first), create(second))
    assert sorted(r.status_code for r in responses) == [201, 409], [r.content for r in responses]
    assert next(r for r in responses if r.status_code == 409).json()["error"]["code"] == "number_taken"
    assert Invoice.objects.filter(number="RACE-1").count() == 1
    assert sorted(PurchaseOrderLine.objects.values_list("quantity_invoiced", flat=True)) == [0, 2]


@pytest.mark.django_db(transaction=True)
def test_two_creates_on_one_order_never_over_invoice(world, order_desk):
    po = receive_all(shipped_po(world, quantity=2))
    url = f"/api/v1/suppliers/{world.supplier.slug}/purchase-orders/{po.public_id}/invoices/"
    today = organization_today(world.supplier).isoformat()

    def create(number):
        def call():
            client = Client()
            client.force_login(order_desk)
            body = {"number": number, "invoice_date": today, "lines": [{"line": po.lines.get().id, "quantity": 2}]}
            return client.post(url, body, content_type="application/json")

        return call

    responses = run_at_once(create("P-1"), create("P-2"))
    assert sorted(r.status_code for r in responses) == [201, 400]
    assert next(r for r in responses if r.status_code == 400).json()["error"]["code"] == "over_invoiced"
    assert PurchaseOrderLine.objects.get(purchase_order=po).quantity_invoiced == 2
    assert Invoice.objects.count() == 1
