"""Contracts fixtures: PDFs made on the spot, a ready-to-publish draft contract, media in a temporary folder."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from contracts.services.contracts import contract_create


def make_pdf(pages: int = 1, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name: str = "document.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """Uploaded files go to a temporary folder, except with a real worker (it must read the same files, so
    both use the configured MEDIA_ROOT)."""
    if "worker" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def contract_data(world, **overrides) -> dict:
    data = {
        "number": "CM-2026-001",
        "title": "Batteries, power and lighting",
        "description": "Batteries for emergency backup, fleet and facility maintenance; LED lighting.",
        "supplier": world.supplier,
        "lead_agency": world.agency,
        "solicitation_number": "RFP 25-07",
        "solicitation_method": "RFP",
        "solicitation_issued_on": date(2025, 9, 1),
        "solicitation_closed_on": date(2025, 10, 15),
        "evaluation_summary": "Six proposals were scored on price, range, local fulfilment and references.",
        "award_date": date(2025, 12, 1),
        "term_start": date(2026, 1, 1),
        "term_end": date(2029, 12, 31),
        "renewal_options": "Two one-year renewals",
        "pricing_basis": "min_discount",
        "min_discount_percent": Decimal("25.00"),
        "admin_fee_percent": Decimal("2"),
        "states": ["FL", "GA"],
        "available_to": [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(world):
    """A draft contract of world.coop, complete except for its signed contract document."""
    return contract_create(cooperative=world.coop, actor=world.coop_staff, data=contract_data(world))
