"""The signed agreement PDF: real WeasyPrint, text read back with pypdf; once on a real worker, end to end from the
API acceptance to the download by both sides (and by nobody else), with both sides notified."""

from __future__ import annotations

import io
import time

import pytest
from django.test import Client
from pypdf import PdfReader

from agencies.agreements.models import AgreementAcceptance
from agencies.agreements.services import acceptance_pdf_bytes, agreement_pdf_render
from marketplace.core.models import AuditEvent, Notification
from tests.agreements import helpers


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_pdf_prints_the_agreement_the_signature_block_and_the_audit_facts(world):
    body = "1. Purpose. The members buy together.\n\n2. Term. <b>Until ended</b> in writing."
    version = helpers.version(world.coop, label="2027-1", title="Interlocal Purchasing Agreement", body=body)
    acceptance = helpers.acceptance(
        world.agency, version, by=world.agency_admin, signer_name="Pat Q. Signer", ip_address="203.0.113.9"
    )
    text = _text(acceptance_pdf_bytes(acceptance))
    flat = " ".join(text.split())
    assert "Interlocal Purchasing Agreement" in flat
    assert "Alpha Co-op and City of Alpha" in flat and "version 2027-1" in flat
    assert "1. Purpose. The members buy together." in flat
    assert "2. Term. <b>Until ended</b> in writing." in flat  # printed as typed, never read as HTML
    assert "/s/ Pat Q. Signer" in flat and "City Manager" in flat
    assert acceptance.signed_on.strftime("%b") in flat
    assert str(acceptance.public_id) in flat and "203.0.113.9" in flat and "admin@alpha.test" in flat


@pytest.mark.django_db
def test_render_is_idempotent_and_notifies_both_sides_once(world, settings, tmp_path):
    acceptance = helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    assert agreement_pdf_render(acceptance_id=acceptance.pk) == "ready"
    assert agreement_pdf_render(acceptance_id=acceptance.pk) == "ready"
    acceptance.refresh_from_db()
    assert acceptance.pdf.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="agreement.pdf_ready").count() == 1
    told = set(Notification.objects.filter(kind="onboarding").values_list("user__email", flat=True))
    assert told == {"admin@alpha.test", "staff@alpha-coop.test", "admin@alpha-coop.test"}
    assert agreement_pdf_render(acceptance_id=999_999) is None


def test_worker_renders_the_signed_pdf_after_an_api_acceptance(world, worker):
    version = helpers.version(world.coop, label="2027-W", title="Worker Signed Agreement")
    client = Client()
    client.force_login(world.agency_admin)
    created = client.post(
        f"/api/v1/agencies/city-of-alpha/agreements/{version.pk}/accept/",
        {"signer_name": "Worker Q. Signer", "signer_title": "Mayor", "authorized": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    acceptance = AgreementAcceptance.objects.get()
    api_pdf = f"/api/v1/agencies/city-of-alpha/agreements/signed/{acceptance.public_id}/pdf/"

    deadline = time.time() + 90
    while time.time() < deadline:
        acceptance.refresh_from_db()
        if acceptance.pdf_status == "ready":
            break
        assert acceptance.pdf_status == "pending"
        not_ready = client.get(api_pdf)
        assert not_ready.status_code == 409 and not_ready.json()["error"]["code"] == "pdf_not_ready"
        time.sleep(0.5)
    else:
        raise AssertionError(f"PDF not made; worker log:\n{worker.log.read_text()[-3000:]}")

    assert "Download signed agreement" in client.get("/agencies/city-of-alpha/agreement/").content.decode()
    response = client.get(f"/agencies/city-of-alpha/agreement/signed/{acceptance.public_id}/pdf/")
    assert response.status_code == 200
    assert "membership-agreement-city-of-alpha-2027-W.pdf" in response["Content-Disposition"]
    text = " ".join(_text(b"".join(response.streaming_content)).split())
    assert "Worker Signed Agreement" in text and "/s/ Worker Q. Signer" in text and "Mayor" in text

    for user, url in (
        (world.agency_admin, api_pdf),
        (world.coop_staff, f"/coops/alpha-coop/agreement/signed/{acceptance.public_id}/pdf/"),
        (world.coop_staff, f"/api/v1/coops/alpha-coop/agreements/signed/{acceptance.public_id}/pdf/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200, url
    for user, url in (
        (world.requester, f"/agencies/city-of-alpha/agreement/signed/{acceptance.public_id}/pdf/"),  # not an admin
        (world.other_agency_admin, f"/agencies/beta-county/agreement/signed/{acceptance.public_id}/pdf/"),
        (world.other_coop_admin, f"/coops/beta-coop/agreement/signed/{acceptance.public_id}/pdf/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), url
    titles = set(Notification.objects.values_list("user__email", "title"))
    assert ("admin@alpha.test", "Your signed membership agreement with Alpha Co-op is ready") in titles
    assert ("staff@alpha-coop.test", "City of Alpha signed the membership agreement") in titles
