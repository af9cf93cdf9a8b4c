"""The invoice pages: the supplier creates an invoice from its order (defaults: shipped − invoiced at the PO
price), lists and answers; finance lists, reads the lines against the order and the receipts and decides holds.
Refusals re-render the form with an error summary and change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.core.dates import organization_today
from orders.models import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus
from tests.invoices.helpers import billing_state
from tests.orders.billing_factories import invoice_rows, receive_all, shipped_po

pytestmark = pytest.mark.django_db


def _form(po, *, number="WEB-1", quantity=None, price=None, date=None):
    data = {"number": number, "invoice_date": (date or organization_today(po.supplier)).isoformat(), "note": ""}
    for line in po.lines.all():
        data[f"line-{line.id}-quantity"] = str(line.quantity_shipped if quantity is None else quantity)
        data[f"line-{line.id}-unit_price"] = str(line.unit_price if price is None else price)
    return data


def test_desk_page_lists_invoices_and_links_to_create(client, world, order_desk):
    po = receive_all(shipped_po(world))
    invoice_rows(po, number="DESK-INV-1", user=order_desk, quantities={po.lines.get().id: 1})
    client.force_login(order_desk)
    page = client.get(f"/suppliers/{world.supplier.slug}/orders/{po.public_id}/").content.decode()
    assert "DESK-INV-1" in page and f"/orders/{po.public_id}/invoices/new/" in page


def test_create_page_defaults_and_creates(client, world, order_desk):
    po = receive_all(shipped_po(world, quantity=5))
    line = po.lines.get()
    invoice_rows(po, number="FIRST", user=order_desk, quantities={line.id: 2})
    url = f"/suppliers/{world.supplier.slug}/orders/{po.public_id}/invoices/new/"
    client.force_login(order_desk)

    page = client.get(url).content.decode()
    assert f'name="line-{line.id}-quantity" value="3"' in page  # shipped 5 − invoiced 2
    assert f'value="{line.unit_price}"' in page

    response = client.post(url, _form(po, quantity=3))
    invoice = Invoice.objects.get(number="WEB-1")
    assert response.status_code == 302 and response["Location"].endswith(f"/invoices/{invoice.public_id}/")
    assert invoice.status == InvoiceStatus.READY


def test_create_page_refusal_shows_errors_and_changes_nothing(client, world, order_desk):
    po = receive_all(shipped_po(world, quantity=2))
    line = po.lines.get()
    url = f"/suppliers/{world.supplier.slug}/orders/{po.public_id}/invoices/new/"
    client.force_login(order_desk)
    before = billing_state()

    response = client.post(url, _form(po, quantity=3))
    page = response.content.decode()
    assert response.status_code == 400 and 'id="error-summary"' in page
    assert "only 2" in page and "you cannot invoice more than was shipped" in page
    assert billing_state() == before

    response = client.post(url, _form(po, price=line.unit_price + Decimal("5")))
    assert response.status_code == 400 and "above the contract price" in response.content.decode()
    response = client.post(url, _form(po, number=""))
    assert response.status_code == 400 and "Give the invoice number" in response.content.decode()
    response = client.post(url, {**_form(po), f"line-{line.id}-quantity": "lots"})
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert billing_state() == before


def test_create_page_for_an_unshipped_order_offers_nothing(client, world, order_desk):
    po = shipped_po(world, shipped=0)
    client.force_login(order_desk)
    page = client.get(f"/suppliers/{world.supplier.slug}/orders/{po.public_id}/invoices/new/").content.decode()
    assert "Nothing on this order can be invoiced now" in page and "<form" not in page.split("<main")[-1]


def test_supplier_list_filters_by_status(client, world, order_desk):
    po = shipped_po(world, quantity=4)
    line = po.lines.get()
    invoice_rows(po, number="S-READY", user=order_desk, quantities={line.id: 1})
    invoice_rows(po, number="S-HELD", user=order_desk, quantities={line.id: 1}, status=InvoiceStatus.ON_HOLD)
    client.force_login(order_desk)
    page = client.get(f"/suppliers/{world.supplier.slug}/invoices/?status=on_hold").content.decode()
    assert "S-HELD" in page and "S-READY" not in page
    assert client.get(f"/suppliers/{world.supplier.slug}/invoices/?status=nope").status_code == 400


def test_agency_list_filters_on_hold_and_overdue(client, world, finance, order_desk):
    import datetime as dt

    po = shipped_po(world, quantity=4)
    line = po.lines.get()
    old = organization_today(world.agency) - dt.timedelta(days=40)
    invoice_rows(po, number="A-OVERDUE", user=order_desk, quantities={line.id: 1}, invoice_date=old)
    invoice_rows(po, number="A-HELD", user=order_desk, quantities={line.id: 1}, status=InvoiceStatus.ON_HOLD)
    client.force_login(finance)
    held = client.get(f"/agencies/{world.agency.slug}/invoices/?status=on_hold").content.decode()
    assert "A-HELD" in held and "A-OVERDUE" not in held
    overdue = client.get(f"/agencies/{world.agency.slug}/invoices/?due=overdue").content.decode()
    assert "A-OVERDUE" in overdue and "A-HELD" not in overdue


def test_agency_detail_shows_lines_problems_payments_and_decides(client, world, finance, order_desk):
    po = shipped_po(world, quantity=3)
    from orders.billing.services.invoices import invoice_create

    invoice = invoice_create(
        po=po,
        actor=order_desk,
        number="AG-1",
        invoice_date=organization_today(world.supplier),
        lines={po.lines.get().id: (3, None)},
    )
    Payment.objects.create(
        invoice=invoice,
        agency=world.agency,
        supplier=world.supplier,
        cooperative=world.coop,
        method=PaymentMethod.CHECK,
        status=PaymentStatus.FAILED,
        amount=Decimal("1.00"),
        reference="CHK-7781",
    )
    url = f"/agencies/{world.agency.slug}/invoices/{invoice.public_id}/"
    client.force_login(finance)
    page = client.get(url).content.decode()
    assert "3 invoiced so far but 0 received" in page and "CHK-7781" in page
    assert 'value="accept"' in page and 'value="dispute"' in page
    assert "The PDF is being prepared" in page

    before = billing_state()
    response = client.post(url, {"action": "accept", "note": ""})
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert billing_state() == before

    response = client.post(url, {"action": "accept", "note": "Received on site, slip lost"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.READY
    page = client.get(url).content.decode()
    assert "Received on site, slip lost" in page and 'value="accept"' not in page

    # a second decision on the decided invoice: 409, shown on the page
    response = client.post(url, {"action": "dispute", "reason": "late"})
    assert response.status_code == 409 and "decided it already" in response.content.decode()


def test_supplier_answers_and_voids_on_the_page(client, world, finance, order_desk):
    po = shipped_po(world, quantity=2)
    invoice = invoice_rows(po, number="SV-1", user=order_desk, status=InvoiceStatus.DISPUTED)
    url = f"/suppliers/{world.supplier.slug}/invoices/{invoice.public_id}/"
    client.force_login(order_desk)
    page = client.get(url).content.decode()
    assert 'value="answer"' in page and 'value="void"' in page
    assert client.post(url, {"action": "void", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "void", "reason": "Re-issuing"}).status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID and po.lines.get().quantity_invoiced == 0


def test_agency_order_page_lists_invoices_for_finance_only(client, world, finance, order_desk):
    po = shipped_po(world)
    invoice_rows(po, number="ORD-INV-1", user=order_desk)
    url = f"/agencies/{world.agency.slug}/orders/{po.public_id}/"
    client.force_login(finance)
    assert "ORD-INV-1" in client.get(url).content.decode()
    client.force_login(world.requester)
    assert "ORD-INV-1" not in client.get(url).content.decode()


def test_navigation_links(client, world, finance, order_desk):
    client.force_login(finance)
    assert f"/agencies/{world.agency.slug}/invoices/" in client.get(f"/agencies/{world.agency.slug}/").content.decode()
    client.force_login(world.requester)
    assert "/invoices/" not in client.get(f"/agencies/{world.agency.slug}/").content.decode()
    client.force_login(order_desk)
    home = client.get(f"/suppliers/{world.supplier.slug}/").content.decode()
    assert f"/suppliers/{world.supplier.slug}/invoices/" in home
