"""Compliance packets: create-or-reuse by digest, WeasyPrint cover + pypdf merge, failure and retry, a real worker."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from contracts.models import CompliancePacket, Contract
from contracts.services.documents import contract_document_upload
from contracts.services.packets import compliance_packet_build, compliance_packet_request
from marketplace.core.models import OutboxTask
from tests.contracts.conftest import contract_data, make_pdf, upload


def _published(world, number="PK-1"):
    from contracts.services.contracts import contract_create

    contract = contract_create(cooperative=world.coop, actor=world.coop_staff, data=contract_data(world, number=number))
    for kind, pages in (("solicitation", 2), ("signed_contract", 3)):
        contract_document_upload(
            contract=contract, actor=world.coop_staff, kind=kind, title=kind.title(), file=upload(make_pdf(pages))
        )
    Contract.objects.filter(pk=contract.pk).update(status="active")
    contract.refresh_from_db()
    return contract


def _text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), reader.pages[0].extract_text()


@pytest.mark.django_db
def test_request_reuses_the_packet_until_documents_change(world):
    contract = _published(world)
    first = compliance_packet_request(contract=contract)
    assert compliance_packet_request(contract=contract).pk == first.pk
    assert OutboxTask.objects.filter(task_name="contracts.packet_build").count() == 1
    contract_document_upload(
        contract=contract, actor=world.coop_staff, kind="insurance", title="COI", file=upload(make_pdf())
    )
    assert compliance_packet_request(contract=contract).pk != first.pk


@pytest.mark.django_db
def test_build_renders_cover_and_appends_every_public_document(world):
    contract = _published(world)
    packet = compliance_packet_request(contract=contract)
    assert compliance_packet_build(packet_id=packet.pk) == "ready"
    packet.refresh_from_db()
    with default_storage.open(packet.file.name, "rb") as handle:
        pages, cover = _text(handle.read())
    assert pages == 1 + 2 + 3
    for text in ("PK-1", "Batteries, power and lighting", "Jan 1, 2026", "Dec 31, 2029", "City of Alpha"):
        assert text in cover, text
    assert compliance_packet_build(packet_id=packet.pk) == "ready"  # idempotent: left alone


@pytest.mark.django_db
def test_failed_build_says_why_and_retry_requeues(client, world):
    contract = _published(world)
    packet = compliance_packet_request(contract=contract)
    missing = contract.documents.first()
    default_storage.delete(missing.file.name)
    assert compliance_packet_build(packet_id=packet.pk) == "failed"
    packet.refresh_from_db()
    assert packet.status == "failed" and "missing from storage" in packet.error

    body = client.get(f"/contracts/{contract.slug}/packet/{packet.pk}/").content.decode()
    assert "could not be built" in body and "Try again" in body
    response = client.post(f"/contracts/{contract.slug}/packet/")
    assert response.status_code == 302 and f"packet={packet.pk}" in response["Location"]
    packet.refresh_from_db()
    assert packet.status == "pending" and packet.error == ""
    assert OutboxTask.objects.filter(task_name="contracts.packet_build").count() == 2


@pytest.mark.django_db
def test_draft_contract_has_no_packet(client, world, draft):
    assert client.post(f"/contracts/{draft.slug}/packet/").status_code == 404
    assert not CompliancePacket.objects.exists()


@pytest.mark.django_db
def test_packet_of_another_contract_is_404(client, world):
    contract = _published(world)
    other = _published(world, number="PK-2")
    packet = compliance_packet_request(contract=contract)
    compliance_packet_build(packet_id=packet.pk)
    assert client.get(f"/contracts/{other.slug}/packet/{packet.pk}/download/").status_code == 404
    assert client.get(f"/contracts/{contract.slug}/packet/{packet.pk}/download/").status_code == 200


def test_worker_builds_the_packet_the_page_polls_for(client, world, worker):
    contract = _published(world)
    response = client.post(f"/contracts/{contract.slug}/packet/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body
    packet = CompliancePacket.objects.get()
    status_url = f"/contracts/{contract.slug}/packet/{packet.pk}/"

    deadline = time.time() + 60
    while time.time() < deadline:
        body = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
        if "Download the compliance packet" in body:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"packet not built; worker log:\n{worker.log.read_text()[-3000:]}")
    assert "hx-trigger" not in body  # polling stops once ready

    response = client.get(f"{status_url}download/")
    assert response.status_code == 200
    assert "compliance-packet.pdf" in response["Content-Disposition"]
    pages, cover = _text(b"".join(response.streaming_content))
    assert pages == 1 + 2 + 3
    assert "PK-1" in cover and "City of Alpha" in cover
