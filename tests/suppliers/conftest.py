"""Vetting fixtures: PDFs made on the spot, media in a temporary folder, a supplier invited by world.coop."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from suppliers.models import Supplier
from suppliers.vetting import services

TODAY = date(2026, 12, 1)


def make_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(name: str = "document.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf() if data is None else data, content_type="application/pdf")


COI = {"general_liability": "1000000", "auto_liability": "500000", "workers_comp": "250000"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def invited(world, make_member):
    """A supplier world.coop invited, with its admin's membership made as accepting the invitation would."""
    supplier, _invitation, _token = services.supplier_invite(
        cooperative=world.coop,
        actor=world.coop_staff,
        data={"name": "Volt & Beam", "admin_email": "owner@voltbeam.test"},
    )
    admin = make_member(supplier.organization, "supplier_admin", email="owner@voltbeam.test")
    supplier.admin = admin
    return supplier


def complete(supplier: Supplier, *, coi_expires: date = date(2027, 6, 30), today: date = TODAY) -> Supplier:
    """Fill the profile and upload a W-9 and a certificate of insurance."""
    services.supplier_profile_update(
        supplier=supplier,
        actor=supplier.admin,
        data={"legal_name": "Volt & Beam LLC", "ein": "12-3456789", "remit_to": "PO Box 1, Orlando, FL 32801"},
    )
    services.supplier_document_upload(
        supplier=supplier, actor=supplier.admin, kind="w9", data={}, file=pdf("w9.pdf"), today=today
    )
    services.supplier_document_upload(
        supplier=supplier,
        actor=supplier.admin,
        kind="coi",
        data={**COI, "effective_on": date(2026, 7, 1), "expires_on": coi_expires},
        file=pdf("coi.pdf"),
        today=today,
    )
    fresh = Supplier.objects.get(pk=supplier.pk)
    fresh.admin = supplier.admin
    return fresh


def verified(world, supplier: Supplier, *, today: date = TODAY, **kwargs) -> Supplier:
    """Complete, submit, verify every document and the supplier."""
    supplier = complete(supplier, today=today, **kwargs)
    admin = supplier.admin
    supplier = services.supplier_submit(supplier=supplier, actor=admin, today=today)
    for document in supplier.organization.vetting_documents.filter(status="pending"):
        services.supplier_document_review(
            document=document, cooperative=world.coop, actor=world.coop_staff, verify=True, today=today
        )
    supplier = services.supplier_verify(supplier=supplier, cooperative=world.coop, actor=world.coop_staff, today=today)
    supplier.admin = admin
    return supplier
