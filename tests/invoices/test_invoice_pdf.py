"""The invoice PDF: real WeasyPrint, text read back with pypdf; once on a real worker, end to end from the API
create to the download, for the supplier, the agency and the co-op only."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from pypdf import PdfReader

from marketplace.core.dates import organization_today
from orders.billing.services.invoice_pdf import invoice_pdf_render
from orders.billing.services.invoices import invoice_create
from orders.models import Invoice
from suppliers.models import Supplier
from tests.orders.billing_factories import receive_all, shipped_po


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_pdf_prints_parties_numbers_dates_terms_lines_totals_and_match(world, order_desk):
    Supplier.objects.filter(organization=world.supplier).update(remit_to="PO Box 77\nAlphaville, ST 01234")
    po = shipped_po(world, lines=2, quantity=3)
    line = po.lines.order_by("id").first()
    invoice = invoice_create(
        po=po,
        actor=order_desk,
        number="PDF-INV-7",
        invoice_date=organization_today(world.supplier),
        lines={line.id: (3, line.unit_price - Decimal("0.50"))},
    )
    assert invoice_pdf_render(invoice_id=invoice.pk) == "ready"
    invoice.refresh_from_db()
    assert invoice.pdf_status == "ready"
    with default_storage.open(invoice.pdf.name, "rb") as handle:
        text = _text(handle.read())
    flat = " ".join(text.split())
    assert "PDF-INV-7" in text and po.number in text and line.sku in text
    assert "PO Box 77" in text and world.agency.name in text
    assert invoice.invoice_date.strftime("%b") in text and f"net {invoice.net_days} days" in flat
    assert f"Due date: {invoice.due_date:%b} {invoice.due_date.day}, {invoice.due_date.year}" in flat
    assert "$28.50" in text  # 3 × $9.50
    assert "On hold: 1 line does not match" in flat
    assert invoice_pdf_render(invoice_id=invoice.pk) == "ready"  # idempotent: left alone


@pytest.mark.django_db
def test_matched_invoice_pdf_says_matched(world, order_desk):
    po = receive_all(shipped_po(world))
    invoice = invoice_create(
        po=po,
        actor=order_desk,
        number="PDF-OK-1",
        invoice_date=organization_today(world.supplier),
        lines={po.lines.get().id: (2, None)},
    )
    invoice_pdf_render(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    with default_storage.open(invoice.pdf.name, "rb") as handle:
        assert "Matched: the order, the receipts and this invoice agree" in " ".join(_text(handle.read()).split())


def test_worker_renders_the_pdf_after_an_api_create(world, order_desk, finance, worker):
    po = receive_all(shipped_po(world, quantity=2))
    client = Client()
    client.force_login(order_desk)
    body = {
        "number": "WORKER-INV-1",
        "invoice_date": organization_today(world.supplier).isoformat(),
        "lines": [{"line": po.lines.get().id, "quantity": 2}],
    }
    created = client.post(
        f"/api/v1/suppliers/{world.supplier.slug}/purchase-orders/{po.public_id}/invoices/",
        body,
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    invoice = Invoice.objects.get(number="WORKER-INV-1")
    supplier_url = f"/suppliers/{world.supplier.slug}/invoices/{invoice.public_id}/"

    deadline = time.time() + 90
    while time.time() < deadline:
        invoice.refresh_from_db()
        if invoice.pdf_status == "ready":
            break
        assert invoice.pdf_status == "pending"
        assert client.get(supplier_url + "pdf/").status_code == 404  # not ready yet
        time.sleep(0.5)
    else:
        raise AssertionError(f"PDF not made; worker log:\n{worker.log.read_text()[-3000:]}")

    assert "Download the invoice (PDF)" in client.get(supplier_url).content.decode()
    response = client.get(supplier_url + "pdf/")
    assert response.status_code == 200 and "invoice-WORKER-INV-1.pdf" in response["Content-Disposition"]
    text = _text(b"".join(response.streaming_content))
    assert "WORKER-INV-1" in text and po.number in text

    for user, url in (
        (finance, f"/agencies/{world.agency.slug}/invoices/{invoice.public_id}/pdf/"),
        (finance, f"/api/v1/agencies/{world.agency.slug}/invoices/{invoice.public_id}/pdf/"),
        (world.coop_staff, f"/coops/{world.coop.slug}/invoices/{invoice.public_id}/pdf/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200, url
    for user, url in (
        (world.other_supplier_admin, f"/suppliers/{world.other_supplier.slug}/invoices/{invoice.public_id}/pdf/"),
        (world.other_agency_admin, f"/agencies/{world.other_agency.slug}/invoices/{invoice.public_id}/pdf/"),
        (world.other_coop_admin, f"/coops/{world.other_coop.slug}/invoices/{invoice.public_id}/pdf/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404, url
