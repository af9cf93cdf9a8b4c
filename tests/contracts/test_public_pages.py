"""Public contract pages (no login): list, detail with the cooperative clause, document downloads."""

from __future__ import annotations

import pytest

from contracts.models import Contract
from contracts.services.documents import contract_document_upload, contract_document_withdraw
from tests.contracts.conftest import make_pdf, upload
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, draft):
    contract_document_upload(
        contract=draft,
        actor=world.coop_staff,
        kind="signed_contract",
        title="Signed agreement",
        file=upload(make_pdf(2), "signed.pdf"),
    )
    Contract.objects.filter(pk=draft.pk).update(status="active")
    draft.refresh_from_db()
    return draft


def test_list_shows_published_contracts_only(client, world, published):
    ContractFactory(cooperative=world.coop, supplier=world.supplier, status="draft", number="SECRET-DRAFT")
    body = client.get("/contracts/").content.decode()
    assert published.number in body
    assert "SECRET-DRAFT" not in body


def test_list_filters_by_state(client, world, published):
    assert published.number in client.get("/contracts/?state=FL").content.decode()
    assert published.number not in client.get("/contracts/?state=TX").content.decode()


def test_detail_shows_summary_clause_and_documents(client, world, published):
    response = client.get(f"/contracts/{published.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Batteries, power and lighting",
        "City of Alpha",  # lead agency
        "Jan 1, 2026 to Dec 31, 2029",  # term
        "RFP 25-07",
        "Cooperative purchasing clause",
        "without running their own solicitation",
        "at least 25% off list price",
        "Florida, Georgia",
        "Signed agreement",
        "Download compliance packet",
    ):
        assert text in body, text


def test_draft_is_404(client, draft):
    assert client.get(f"/contracts/{draft.slug}/").status_code == 404
    assert client.get("/contracts/no-such-contract/").status_code == 404


def test_document_download_streams_with_content_disposition(client, world, published):
    document = published.documents.get()
    response = client.get(f"/contracts/{published.slug}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="signed.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_document_download_refusals(client, world, published, draft):
    document = published.documents.get()
    private = contract_document_upload(
        contract=published,
        actor=world.coop_staff,
        kind="other",
        title="Internal",
        file=upload(make_pdf()),
        is_public=False,
    )
    other = ContractFactory(cooperative=world.coop, supplier=world.supplier)
    # private document, another contract's slug, withdrawn document, draft contract: all 404
    assert client.get(f"/contracts/{published.slug}/documents/{private.pk}/").status_code == 404
    assert client.get(f"/contracts/{other.slug}/documents/{document.pk}/").status_code == 404
    contract_document_withdraw(document=document, actor=world.coop_staff)
    assert client.get(f"/contracts/{published.slug}/documents/{document.pk}/").status_code == 404
    assert "Signed agreement" not in client.get(f"/contracts/{published.slug}/").content.decode()
    unpublished = ContractFactory(cooperative=world.coop, supplier=world.supplier, status="draft")
    hidden = contract_document_upload(
        contract=unpublished, actor=world.coop_staff, kind="other", title="Draft doc", file=upload(make_pdf())
    )
    assert client.get(f"/contracts/{unpublished.slug}/documents/{hidden.pk}/").status_code == 404


def test_expired_contract_stays_public_with_a_warning(client, world, published):
    Contract.objects.filter(pk=published.pk).update(status="expired")
    body = client.get(f"/contracts/{published.slug}/").content.decode()
    ended = f"{published.term_end:%b} {published.term_end.day}, {published.term_end.year}"
    assert f"This contract's term ended on {ended}" in body and f"Ended {ended}" in body


@pytest.mark.parametrize(
    ("shift", "state", "words"),
    [(1, "upcoming", "Starts {start}"), (0, "active", "Active"), (-1, "ended", "Ended {end}")],
)
def test_status_follows_the_term_on_pages_and_in_the_api(client, world, published, shift, state, words):
    import datetime as dt

    from marketplace.core.dates import organization_today
    from marketplace.core.formatting import long_date

    today = organization_today(world.coop)
    if shift > 0:
        start, end = today + dt.timedelta(days=10), today + dt.timedelta(days=400)
    elif shift < 0:
        start, end = today - dt.timedelta(days=400), today - dt.timedelta(days=1)
    else:
        start, end = today, today + dt.timedelta(days=400)
    Contract.objects.filter(pk=published.pk).update(term_start=start, term_end=end)
    expected = words.format(start=long_date(start), end=long_date(end))

    detail = client.get(f"/api/v1/contracts/{published.slug}/").json()
    listed = client.get("/api/v1/contracts/").json()["results"]
    public = client.get(f"/contracts/{published.slug}/").content.decode()
    client.force_login(world.coop_staff)
    staff = client.get(f"/coops/alpha-coop/contracts/{published.slug}/").content.decode()

    assert (detail["status"], detail["state"], detail["display_status"]) == ("active", state, expected)
    assert [c["display_status"] for c in listed if c["slug"] == published.slug] == [expected]
    assert expected in public and expected in staff
    assert (">Active<" in staff) == (state == "active")
