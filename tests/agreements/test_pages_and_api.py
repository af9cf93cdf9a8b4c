"""Membership-agreement pages and API: the co-op publishes (form and JSON/multipart), lists versions with accepted
counts and reads who signed; the agency admin reads and signs (once; a second submission says so), each refusal
shown in the form or as the documented JSON error with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from marketplace.core.dates import organization_today
from tests.agreements import helpers
from tests.agreements.pdfs import one_page_pdf

pytestmark = pytest.mark.django_db

COOP_PAGE = "/coops/alpha-coop/agreement/"
AGENCY_PAGE = "/agencies/city-of-alpha/agreement/"
COOP_API = "/api/v1/coops/alpha-coop/agreements/"
AGENCY_API = "/api/v1/agencies/city-of-alpha/agreements/"
PUBLISH = {
    "label": "2027-1",
    "title": "Interlocal purchasing agreement",
    "body": "1. Purpose.\r\n\r\n2. Term.",
    "effective_on": "2027-01-01",
}
SIGN = {"signer_name": "Pat Signer", "signer_title": "City Manager", "authorized": "on"}


def _state():
    return (
        tuple(AgreementVersion.objects.values_list("pk", "label")),
        tuple(AgreementAcceptance.objects.values_list("pk", "version_id", "signer_name")),
    )


# --- co-op pages ----------------------------------------------------------------------------------------


def test_coop_staff_publish_a_version_with_its_source_pdf(client, world):
    client.force_login(world.coop_staff)
    assert "No agreement published yet" in client.get(COOP_PAGE).content.decode()
    data = {**PUBLISH, "source_file": SimpleUploadedFile("board-approved.pdf", one_page_pdf())}
    response = client.post(COOP_PAGE, data, follow=True)
    version = AgreementVersion.objects.get()
    assert response.redirect_chain[-1][0] == f"/coops/alpha-coop/agreement/{version.pk}/"
    body = response.content.decode()
    assert "Version 2027-1 is published" in body and "Source document: board-approved.pdf" in body
    assert version.body == "1. Purpose.\n\n2. Term."
    listing = client.get(COOP_PAGE).content.decode()
    assert "Current: version 2027-1" in listing and "Accepted by 0 of 1 approved or active member agency" in listing
    download = client.get(f"/coops/alpha-coop/agreement/{version.pk}/source/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_publish_form_shows_every_problem_and_stores_nothing(client, world):
    client.force_login(world.coop_admin)
    before = _state()
    bad = {**PUBLISH, "label": "", "body": "", "source_file": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf")}
    response = client.post(COOP_PAGE, bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body and "Version label: This field is required." in body
    assert _state() == before


def test_publish_refuses_a_bad_pdf_in_the_form(client, world):
    client.force_login(world.coop_admin)
    response = client.post(COOP_PAGE, {**PUBLISH, "source_file": SimpleUploadedFile("x.pdf", b"GIF89a")})
    assert response.status_code == 400 and "This is not a PDF file" in response.content.decode()
    assert not AgreementVersion.objects.exists()


def test_version_page_lists_who_signed_with_their_pdf(client, world):
    version = helpers.version(world.coop, label="2027-1")
    helpers.acceptance(world.agency, version, by=world.agency_admin, signer_name="Pat Signer", pdf=True)
    client.force_login(world.coop_staff)
    body = client.get(f"/coops/alpha-coop/agreement/{version.pk}/").content.decode()
    assert "Signed by 1 agency" in body and "Pat Signer" in body and "City of Alpha" in body
    assert "/coops/alpha-coop/agreement/signed/" in body
    assert "1. Purpose. The members buy together." in body
    assert "Accepted by 1 of 1" in client.get(COOP_PAGE).content.decode()


def test_agreement_text_is_escaped_on_the_pages(client, world):
    version = helpers.version(world.coop, body="<script>alert(1)</script>\n\nSecond line")
    client.force_login(world.coop_staff)
    body = client.get(f"/coops/alpha-coop/agreement/{version.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- agency pages ---------------------------------------------------------------------------------------


def test_agency_admin_signs_and_a_second_submission_is_one_acceptance(client, world):
    version = helpers.version(world.coop, label="2027-1")
    client.force_login(world.agency_admin)
    page = client.get(AGENCY_PAGE).content.decode()
    assert "Not signed yet: City of Alpha cannot order on Alpha Co-op's contracts" in page
    assert "I am authorized to sign for City of Alpha" in page
    today = organization_today(world.agency)
    assert f'datetime="{today:%Y-%m-%d}"' in page  # the date signed is today in the agency's time zone
    url = f"/agencies/city-of-alpha/agreement/{version.pk}/accept/"
    response = client.post(url, SIGN, follow=True)
    assert "Signed: City of Alpha accepted Alpha Co-op&#x27;s membership agreement, version 2027-1" in (
        response.content.decode()
    )
    acceptance = AgreementAcceptance.objects.get()
    assert (acceptance.signer_name, acceptance.signed_on, acceptance.ip_address) == ("Pat Signer", today, "127.0.0.1")
    again = client.post(url, {**SIGN, "signer_name": "Someone Else"}, follow=True)
    assert "already accepted version 2027-1" in again.content.decode()
    assert AgreementAcceptance.objects.count() == 1
    assert "Signed: version 2027-1, by Pat Signer" in client.get(AGENCY_PAGE).content.decode()


def test_sign_form_refusals_keep_everything(client, world):
    version = helpers.version(world.coop)
    client.force_login(world.agency_admin)
    url = f"/agencies/city-of-alpha/agreement/{version.pk}/accept/"
    before = _state()
    response = client.post(url, {"signer_name": "Pat", "signer_title": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Confirm that you are authorized to sign for City of Alpha." in body
    assert "Title: This field is required." in body and 'value="Pat"' in body
    assert _state() == before


def test_requesters_cannot_sign(client, world):
    version = helpers.version(world.coop)
    client.force_login(world.requester)
    assert client.get(AGENCY_PAGE).status_code == 403
    assert client.post(f"/agencies/city-of-alpha/agreement/{version.pk}/accept/", SIGN).status_code == 403
    assert not AgreementAcceptance.objects.exists()


def test_an_old_version_cannot_be_signed_from_a_stale_page(client, world):
    old = helpers.version(world.coop, label="2027-1")
    helpers.version(world.coop, label="2027-2")
    client.force_login(world.agency_admin)
    response = client.post(f"/agencies/city-of-alpha/agreement/{old.pk}/accept/", SIGN, follow=True)
    body = response.content.decode()
    assert "Version 2027-1 is no longer the current agreement: accept version 2027-2." in body
    assert f'action="/agencies/city-of-alpha/agreement/{old.pk + 1}/accept/"' in body
    assert not AgreementAcceptance.objects.exists()


# --- API ------------------------------------------------------------------------------------------------


def test_api_publish_and_list_versions(client, world):
    client.force_login(world.coop_staff)
    response = client.post(COOP_API, PUBLISH, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["label"] == "2027-1" and response.json()["accepted_count"] == 0
    listed = client.get(COOP_API).json()
    assert [v["label"] for v in listed["results"]] == ["2027-1"]


def test_api_publish_multipart_with_a_source_pdf(client, world):
    client.force_login(world.coop_staff)
    response = client.post(COOP_API, {**PUBLISH, "source_file": SimpleUploadedFile("a.pdf", one_page_pdf())})
    assert response.status_code == 201, response.json()
    assert response.json()["has_source_document"] is True and response.json()["source_pages"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PUBLISH, "label": ""}, "label"),
        ({**PUBLISH, "effective_on": "not-a-date"}, "effective_on"),
        ({**PUBLISH, "reaccept_by": "2030-01-01"}, "reaccept_by"),  # a first version
        ({**PUBLISH, "body": "x" * 100_001}, "body"),
        ({**PUBLISH, "title": "a\x00b"}, None),
    ],
)
def test_api_publish_refusals(client, world, body, field):
    client.force_login(world.coop_staff)
    before = _state()
    response = client.post(COOP_API, body, content_type="application/json")
    assert response.status_code == 400
    if field:
        assert field in response.json()["error"]["fields"]
    assert _state() == before


def test_api_agency_standing_accept_and_conflicts(client, world):
    version = helpers.version(world.coop, label="2027-1")
    client.force_login(world.agency_admin)
    standing = client.get(AGENCY_API).json()
    assert [(s["cooperative"], s["state"], s["blocks_ordering"]) for s in standing] == [
        ("alpha-coop", "unsigned", True)
    ]
    assert standing[0]["current"]["label"] == "2027-1" and standing[0]["accepted"] is None
    url = f"{AGENCY_API}{version.pk}/accept/"
    bad = client.post(
        url, {"signer_name": "Pat", "signer_title": "Mayor", "authorized": False}, content_type="application/json"
    )
    assert bad.status_code == 400 and "authorized" in bad.json()["error"]["fields"]
    body = {"signer_name": "Pat", "signer_title": "Mayor", "authorized": True}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["version_label"] == "2027-1" and created.json()["pdf_status"] == "pending"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_accepted"
    assert AgreementAcceptance.objects.count() == 1
    assert client.get(AGENCY_API).json()[0]["state"] == "signed"
    pdf = client.get(f"{AGENCY_API}signed/{created.json()['id']}/pdf/")
    assert pdf.status_code == 409 and pdf.json()["error"]["code"] == "pdf_not_ready"


def test_api_another_coops_version_through_your_own_url_is_404(client, world):
    other = helpers.version(world.other_coop, label="O-1")
    client.force_login(world.agency_admin)
    body = {"signer_name": "Pat", "signer_title": "Mayor", "authorized": True}
    response = client.post(f"{AGENCY_API}{other.pk}/accept/", body, content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not AgreementAcceptance.objects.exists()


def test_a_lapsed_member_is_not_asked_to_sign(client, world):
    from marketplace.core.models import CoopMembership

    helpers.version(world.coop)
    CoopMembership.objects.filter(agency=world.agency).update(status="lapsed")
    client.force_login(world.agency_admin)
    assert client.get(AGENCY_API).json() == []
    assert "not an approved member of any co-op" in client.get(AGENCY_PAGE).content.decode()


def test_version_ids_and_acceptance_ids_of_other_tenants_are_404(client, world):
    other_version = helpers.version(world.other_coop, label="O-1")
    other = helpers.acceptance(world.other_agency, other_version, by=world.other_agency_admin, pdf=True)
    client.force_login(world.coop_staff)
    assert client.get(f"/coops/alpha-coop/agreement/{other_version.pk}/").status_code == 404
    assert client.get(f"/coops/alpha-coop/agreement/signed/{other.public_id}/pdf/").status_code == 404
    assert client.get(f"/api/v1/coops/alpha-coop/agreements/signed/{other.public_id}/pdf/").status_code == 404
    client.force_login(world.agency_admin)
    assert client.get(f"/agencies/city-of-alpha/agreement/signed/{other.public_id}/pdf/").status_code == 404
    assert client.get(f"/agencies/city-of-alpha/agreement/{other_version.pk}/source/").status_code == 404


def test_reacceptance_date_shows_on_both_sides(client, world):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    today = organization_today(world.coop)
    due = today + dt.timedelta(days=20)
    helpers.version(world.coop, label="2027-2", effective_on=today, reaccept_by=due)
    client.force_login(world.agency_admin)
    page = client.get(AGENCY_PAGE).content.decode()
    assert f"by {due:%b} {due.day}, {due.year} or ordering will stop" in page and "Accept and sign" in page
    client.force_login(world.coop_staff)
    assert (
        f"must accept it by <strong>{due:%b} {due.day}, {due.year}</strong>" in client.get(COOP_PAGE).content.decode()
    )


def test_agency_standing_api_costs_the_same_for_one_and_many_coops(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CoopMembershipFactory, OrganizationFactory

    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    client.force_login(world.agency_admin)
    client.get(AGENCY_API)
    with CaptureQueriesContext(connection) as one:
        assert client.get(AGENCY_API).status_code == 200
    for _ in range(5):
        coop = OrganizationFactory(kind="cooperative")
        CoopMembershipFactory(cooperative=coop, agency=world.agency)
        earlier = helpers.version(coop, label="E")
        helpers.acceptance(world.agency, earlier, by=world.agency_admin)
        helpers.version(coop, label="N")
    with django_assert_num_queries(len(one.captured_queries)):
        standing = client.get(AGENCY_API).json()
    assert len(standing) == 6 and "accepted_count" not in standing[0]["current"]


def test_coop_pages_and_api_cost_the_same_for_one_and_many_rows(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AgencyFactory, CoopMembershipFactory

    version = helpers.version(world.coop, label="V-0")
    helpers.acceptance(world.agency, version, by=world.agency_admin, pdf=True)
    urls = [COOP_PAGE, f"/coops/alpha-coop/agreement/{version.pk}/", COOP_API]
    client.force_login(world.coop_staff)
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        counts[url] = len(one.captured_queries)
    for i in range(1, 8):
        helpers.version(world.coop, label=f"V-{i}")
        agency = AgencyFactory().organization
        CoopMembershipFactory(cooperative=world.coop, agency=agency)
        helpers.acceptance(agency, version, by=world.agency_admin, pdf=True)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200
