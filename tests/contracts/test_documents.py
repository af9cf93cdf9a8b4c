"""Compliance document uploads: PDF by content, size limit, storage, withdrawal; refusals change nothing."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from contracts.models import ContractDocument
from contracts.services.documents import contract_document_upload, contract_document_withdraw
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent
from tests.contracts.conftest import make_pdf, upload
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def _upload_url(contract, org="alpha-coop"):
    return f"/coops/{org}/contracts/{contract.slug}/documents/"


def test_upload_stores_the_file_with_hash_pages_and_audit(world, draft):
    data = make_pdf(3)
    document = contract_document_upload(
        contract=draft, actor=world.coop_staff, kind="solicitation", title="RFP 25-07", file=upload(data, "rfp.pdf")
    )
    assert (document.page_count, document.size_bytes) == (3, len(data))
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.original_name == "rfp.pdf"
    assert default_storage.exists(document.file.name)
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == data
    event = AuditEvent.objects.get(action="contract_document.uploaded")
    assert event.organization == world.coop and event.after["sha256"] == document.sha256


BAD_FILES = [
    pytest.param(b"", "empty_file", "The file is empty", id="empty"),
    pytest.param(b"PK\x03\x04 this is really a zip file" * 10, "invalid_file", "not a PDF", id="zip-renamed-pdf"),
    pytest.param(b"<html><body>hello</body></html>", "invalid_file", "not a PDF", id="html-renamed-pdf"),
    pytest.param(b"%PDF-1.7\n%garbage that is not a pdf at all\n", "invalid_file", "damaged", id="corrupt"),
    pytest.param(make_pdf(1, password="s3cret"), "invalid_file", "password-protected", id="encrypted"),
]


@pytest.mark.parametrize(("data", "code", "message"), BAD_FILES)
def test_service_refuses_bad_files(world, draft, data, code, message):
    with pytest.raises(ApplicationError) as info:
        contract_document_upload(contract=draft, actor=world.coop_staff, kind="other", title="x", file=upload(data))
    assert info.value.code == code
    assert message in info.value.fields["file"][0]
    assert not ContractDocument.objects.exists()


def test_service_refuses_files_over_the_limit(world, draft, settings):
    settings.CONTRACT_DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(ApplicationError) as info:
        contract_document_upload(
            contract=draft, actor=world.coop_staff, kind="other", title="x", file=upload(make_pdf(1) + b"\n" * 1000)
        )
    assert info.value.code == "file_too_large"
    assert not ContractDocument.objects.exists()


@pytest.mark.parametrize(("data", "code", "message"), BAD_FILES)
def test_page_upload_refusal_shows_the_message_and_keeps_nothing(client, world, draft, data, code, message):
    client.force_login(world.coop_staff)
    response = client.post(_upload_url(draft), {"kind": "signed_contract", "title": "x", "file": upload(data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContractDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="contract_document.uploaded").exists()


def test_page_upload_too_big(client, world, draft, settings):
    settings.CONTRACT_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(world.coop_staff)
    big = make_pdf(1) + b"%" * (2 * 1024 * 1024)
    response = client.post(_upload_url(draft), {"kind": "other", "title": "big", "file": upload(big)})
    assert response.status_code == 400
    assert "the limit is 2 MB" in response.content.decode()
    assert not ContractDocument.objects.exists()


def test_page_upload_success(client, world, draft):
    client.force_login(world.coop_staff)
    response = client.post(
        _upload_url(draft),
        {"kind": "signed_contract", "title": "Signed", "is_public": "on", "file": upload(make_pdf(2))},
    )
    assert response.status_code == 302
    document = ContractDocument.objects.get()
    assert (document.kind, document.page_count, document.is_public) == ("signed_contract", 2, True)
    page = client.get(f"/coops/alpha-coop/contracts/{draft.slug}/").content.decode()
    assert "Signed" in page and "a signed contract document" not in page


def test_upload_refused_for_non_members_and_other_coops(client, world, draft):
    data = {"kind": "other", "title": "x"}
    for user in (world.other_coop_admin, world.supplier_admin, world.requester):
        client.force_login(user)
        response = client.post(_upload_url(draft), {**data, "file": upload(make_pdf())})
        assert response.status_code == 404
    # staff of another co-op, to which the contract is made available, may read it but not add documents
    draft.available_to.add(world.other_coop)
    client.force_login(world.other_coop_admin)
    assert client.get(f"/coops/beta-coop/contracts/{draft.slug}/").status_code == 200
    assert client.post(_upload_url(draft, "beta-coop"), {**data, "file": upload(make_pdf())}).status_code == 404
    client.logout()
    assert client.post(_upload_url(draft), {**data, "file": upload(make_pdf())}).status_code == 302  # to login
    assert not ContractDocument.objects.exists()


def test_api_upload_and_refusal_shape(client, world, draft):
    client.force_login(world.coop_admin)
    url = f"/api/v1/coops/alpha-coop/contracts/{draft.slug}/documents/"
    response = client.post(url, {"kind": "pricing_exhibit", "title": "Prices", "file": upload(make_pdf(2))})
    assert response.status_code == 201, response.json()
    assert response.json()["page_count"] == 2

    response = client.post(url, {"kind": "pricing_exhibit", "file": upload(b"MZ\x90\x00 exe", "prices.pdf")})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_file" and "not a PDF" in error["fields"]["file"][0]
    assert ContractDocument.objects.count() == 1

    listing = client.get(url).json()
    assert [d["title"] for d in listing["results"]] == ["Prices"]


def test_withdraw_keeps_the_row_and_file_and_hides_it_from_the_public(client, world, draft):
    document = contract_document_upload(
        contract=draft, actor=world.coop_staff, kind="insurance", title="COI", file=upload(make_pdf())
    )
    client.force_login(world.coop_staff)
    response = client.post(f"/coops/alpha-coop/contracts/{draft.slug}/documents/{document.pk}/withdraw/")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.removed_at is not None
    assert default_storage.exists(document.file.name)
    assert AuditEvent.objects.filter(action="contract_document.withdrawn").count() == 1
    with pytest.raises(ApplicationError):
        contract_document_withdraw(document=document, actor=world.coop_staff)
    assert AuditEvent.objects.filter(action="contract_document.withdrawn").count() == 1


def test_staff_download_and_others_get_404(client, world, draft):
    document = contract_document_upload(
        contract=draft, actor=world.coop_staff, kind="insurance", title="COI", file=upload(make_pdf(), "coi.pdf")
    )
    url = f"/coops/alpha-coop/contracts/{draft.slug}/documents/{document.pk}/"
    client.force_login(world.coop_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="coi.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for user in (world.other_coop_admin, world.supplier_admin):
        client.force_login(user)
        assert client.get(url).status_code == 404
    # another co-op's contract's document through our URL: 404
    other = ContractFactory(cooperative=world.other_coop, supplier=world.supplier)
    client.force_login(world.coop_staff)
    assert client.get(f"/coops/alpha-coop/contracts/{other.slug}/documents/{document.pk}/").status_code == 404
