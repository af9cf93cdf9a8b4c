"""The supplier invoices what it shipped: refusals change nothing; the three-way match puts the invoice ready or
on hold; quantities, terms, due date, amounts, audit, timeline, PDF task and notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Notification, OutboxTask
from marketplace.core.notification_kinds import NotificationKind
from orders.billing.services.invoices import invoice_create
from orders.models import Invoice, InvoiceStatus, OrderEvent, PaymentTerms, POStatus, PurchaseOrderLine
from tests.invoices.helpers import billing_state
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po

pytestmark = pytest.mark.django_db


def _all(po, quantity=None, price=None):
    return {line.id: (line.quantity_shipped if quantity is None else quantity, price) for line in po.lines.all()}


def _create(po, actor, *, number="INV-1", lines=None, invoice_date=None, note=""):
    return invoice_create(
        po=po,
        actor=actor,
        number=number,
        invoice_date=invoice_date or organization_today(po.supplier),
        lines=_all(po) if lines is None else lines,
        note=note,
    )


def test_matched_invoice_is_ready_with_amounts_terms_and_side_effects(world, order_desk, finance):
    po = receive_all(shipped_po(world, lines=2, quantity=3))
    PaymentTerms.objects.create(agency=world.agency, supplier=world.supplier, net_days=45)
    today = organization_today(world.supplier)

    invoice = _create(po, order_desk, note="Thanks")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.READY and invoice.match_problems == []
    expected = sum((line.unit_price * 3 for line in po.lines.all()), Decimal("0"))
    assert invoice.subtotal == expected and invoice.total == expected and invoice.tax == 0
    assert invoice.net_days == 45 and invoice.due_date == today + dt.timedelta(days=45)
    assert invoice.supplier_note == "Thanks" and invoice.pdf_status == "pending"
    assert list(PurchaseOrderLine.objects.filter(purchase_order=po).values_list("quantity_invoiced", flat=True)) == [
        3,
        3,
    ]
    assert AuditEvent.objects.filter(action="invoice.created", object_id=str(invoice.pk)).exists()
    assert OrderEvent.objects.filter(purchase_order=po, note__startswith="Invoice INV-1").exists()
    assert OutboxTask.objects.filter(task_name="orders.invoice_pdf_render", args=[invoice.pk]).exists()
    note = Notification.objects.get(user=finance)
    assert note.kind == NotificationKind.INVOICED and "INV-1" in note.title
    assert str(invoice.public_id) in note.url
    po.refresh_from_db()
    assert po.status == POStatus.INVOICED  # received, every unit invoiced, nothing on hold


def test_default_terms_are_net_30(world, order_desk):
    po = receive_all(shipped_po(world))
    invoice = _create(po, order_desk)
    assert invoice.net_days == 30 and invoice.due_date == invoice.invoice_date + dt.timedelta(days=30)


def test_amounts_are_price_times_quantity_at_the_invoiced_price(world, order_desk):
    po = receive_all(shipped_po(world, quantity=3))
    line = po.lines.get()
    invoice = _create(po, order_desk, lines={line.id: (3, Decimal("0.35"))})
    assert invoice.lines.get().amount == Decimal("1.05") and invoice.total == Decimal("1.05")


def test_quantity_above_received_puts_it_on_hold_for_finance(world, order_desk, finance):
    po = shipped_po(world, quantity=3)  # shipped, nothing received yet

    invoice = _create(po, order_desk)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ON_HOLD
    assert "3 invoiced so far but 0 received" in invoice.match_problems[0]["problem"]
    note = Notification.objects.get(user=finance)
    assert note.kind == NotificationKind.INVOICE_ON_HOLD and "on hold" in note.title


def test_lower_price_is_allowed_but_does_not_match(world, order_desk):
    po = receive_all(shipped_po(world, quantity=2))
    line = po.lines.get()

    invoice = _create(po, order_desk, lines={line.id: (2, line.unit_price - Decimal("1.00"))})

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ON_HOLD
    assert "differs from the order" in invoice.match_problems[0]["problem"]


def test_later_receipt_releases_the_hold(world, order_desk):
    from orders.billing.services.progress import po_progress

    po = shipped_po(world, quantity=2)
    invoice = _create(po, order_desk)
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.ON_HOLD
    receive_all(po)
    po_progress(po=po, actor=None)
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.READY


def test_partial_invoices_add_up_to_shipped(world, order_desk):
    po = receive_all(shipped_po(world, quantity=4))
    line = po.lines.get()
    _create(po, order_desk, number="A-1", lines={line.id: (1, None)})
    _create(po, order_desk, number="A-2", lines={line.id: (3, None)})
    assert PurchaseOrderLine.objects.get(pk=line.pk).quantity_invoiced == 4
    before = billing_state()
    with pytest.raises(ApplicationError) as exc:
        _create(po, order_desk, number="A-3", lines={line.id: (1, None)})
    assert exc.value.code == "over_invoiced"
    assert billing_state() == before


def _refused(po, actor, code, **kwargs):
    before = billing_state()
    with pytest.raises(ApplicationError) as exc:
        _create(po, actor, **kwargs)
    assert exc.value.code == code, exc.value.message
    assert billing_state() == before
    return exc.value


def test_refuses_quantity_above_shipped(world, order_desk):
    po = receive_all(shipped_po(world, quantity=4, shipped=2))
    line = po.lines.get()
    error = _refused(po, order_desk, "over_invoiced", lines={line.id: (3, None)})
    assert "only 2" in error.fields[f"lines.{line.id}.quantity"][0]


def test_refuses_quantity_above_ordered(world, order_desk):
    po = receive_all(shipped_po(world, quantity=2))
    line = po.lines.get()
    _refused(po, order_desk, "over_invoiced", lines={line.id: (10**6, None)})


def test_refuses_price_above_contract(world, order_desk):
    po = receive_all(shipped_po(world))
    line = po.lines.get()
    error = _refused(po, order_desk, "price_above_contract", lines={line.id: (1, line.unit_price + Decimal("0.01"))})
    assert "above the contract price" in error.fields[f"lines.{line.id}.unit_price"][0]


@pytest.mark.parametrize("quantity", [0, -1])
def test_refuses_quantity_below_one(world, order_desk, quantity):
    po = receive_all(shipped_po(world))
    line = po.lines.get()
    _refused(po, order_desk, "invalid", lines={line.id: (quantity, None)})


@pytest.mark.parametrize("price", [Decimal("0"), Decimal("-5"), Decimal("1.005"), Decimal("NaN"), "abc"])
def test_refuses_bad_prices(world, order_desk, price):
    po = receive_all(shipped_po(world))
    line = po.lines.get()
    _refused(po, order_desk, "invalid", lines={line.id: (1, price)})


def test_refuses_a_line_of_another_order(world, order_desk):
    po = receive_all(shipped_po(world))
    other = receive_all(shipped_po(world))
    error = _refused(po, order_desk, "invalid", lines={other.lines.get().id: (1, None)})
    assert "not on this order" in str(error.fields)


@pytest.mark.parametrize(
    ("number", "field"),
    [("", "number"), ("   ", "number"), ("X" * 41, "number"), ("A\x00B", "number")],
)
def test_refuses_bad_numbers(world, order_desk, number, field):
    po = receive_all(shipped_po(world))
    error = _refused(po, order_desk, "invalid", number=number)
    assert field in error.fields


def test_refuses_a_reused_number_even_of_a_void_invoice(world, order_desk):
    po = receive_all(shipped_po(world, quantity=4))
    invoice_rows(po, number="USED-1", user=order_desk, quantities={po.lines.get().id: 1}, status=InvoiceStatus.VOID)
    error = _refused(po, order_desk, "number_taken", number="USED-1", lines={po.lines.get().id: (1, None)})
    assert "already used" in error.fields["number"][0]


def test_another_supplier_may_use_the_same_number(world, order_desk, make_member):
    po = receive_all(shipped_po(world))
    _create(po, order_desk, number="SAME-1")
    from tests.factories import ContractFactory

    contract = ContractFactory(cooperative=world.coop, supplier=world.other_supplier)
    other_po = receive_all(shipped_po(world, contract=contract))
    other_desk = make_member(world.other_supplier, "order_desk", email="desk@beta-lamps.test")
    assert _create(other_po, other_desk, number="SAME-1").number == "SAME-1"


def test_refuses_dates_in_the_future_or_before_the_order(world, order_desk):
    po = receive_all(shipped_po(world))
    today = organization_today(world.supplier)
    po.order_date = today - dt.timedelta(days=3)
    po.save(update_fields=["order_date"])
    error = _refused(po, order_desk, "invalid", invoice_date=today + dt.timedelta(days=1))
    assert "future" in error.fields["invoice_date"][0]
    error = _refused(po, order_desk, "invalid", invoice_date=po.order_date - dt.timedelta(days=1))
    assert "before the order date" in error.fields["invoice_date"][0]


def test_refuses_an_order_that_has_not_shipped_or_is_cancelled(world, order_desk):
    for status in (POStatus.ACKNOWLEDGED, POStatus.CANCELLED, POStatus.CLOSED):
        po = shipped_po(world)
        po.status = status
        po.save(update_fields=["status"])
        error = _refused(po, order_desk, "invalid_transition")
        assert error.status_code == 409


def test_refuses_a_member_without_the_order_desk_role(world):
    po = receive_all(shipped_po(world))
    error = _refused(po, world.catalog_manager, "permission_denied")
    assert error.status_code == 403


def test_refuses_another_suppliers_order(world):
    po = receive_all(shipped_po(world))
    error = _refused(po, world.other_supplier_admin, "permission_denied")
    assert error.status_code == 403
