"""Onboarding fixtures: PDFs made on the spot, a valid application, media in a temporary folder."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from agencies.models import JoinApplication
from agencies.onboarding import services
from marketplace.core.models import OutgoingEmail


def make_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(data: bytes | None = None, name: str = "charter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf() if data is None else data, content_type="application/pdf")


def application_data(**overrides) -> dict:
    data = {
        "legal_name": "City of Maple Ridge",
        "agency_type": "city",
        "state": "FL",
        "county": "Orange",
        "population": "48,200",
        "website": "https://www.mapleridge.gov",
        "email_domain": "mapleridge.gov",
        "contact_name": "Pat Buyer",
        "contact_title": "Purchasing Manager",
        "contact_email": "pat@mapleridge.gov",
        "contact_phone": "(407) 555-0100",
        "signer_name": "Sam Manager",
        "signer_title": "City Manager",
        "signer_email": "sam@mapleridge.gov",
    }
    data.update(overrides)
    return data


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def last_email_to(address: str) -> OutgoingEmail:
    return OutgoingEmail.objects.filter(to__contains=[address]).order_by("-pk").first()


def confirm_code(application: JoinApplication) -> str:
    body = last_email_to(application.contact_email).body
    return re.search(r"/confirm/([^/\s]+)/", body).group(1)


def submit(cooperative, **overrides) -> JoinApplication:
    return services.application_submit(
        cooperative=cooperative, data=application_data(**overrides), evidence=pdf_upload()
    )


def submit_and_confirm(cooperative, **overrides) -> JoinApplication:
    application = submit(cooperative, **overrides)
    return services.application_confirm(token=services.status_token(application), code=confirm_code(application))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def pending(world):
    return submit_and_confirm(world.coop)
