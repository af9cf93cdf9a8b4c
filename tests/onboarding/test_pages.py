"""The onboarding pages: the public form (errors, honeypot, rate limits), the status page and its answer form, the
confirmation, and co-op staff's queue, application page, actions and downloads."""

from __future__ import annotations

import pytest

from agencies.models import ApplicationStatus, JoinApplication
from agencies.onboarding import services
from marketplace.core.models import Organization
from tests.onboarding.conftest import (
    application_data,
    confirm_code,
    make_pdf,
    pdf_upload,
    stored_files,
    submit,
)

pytestmark = pytest.mark.django_db


def post_form(client, coop_slug="alpha-coop", evidence=None, **overrides):
    data = {**application_data(**overrides), "evidence": evidence if evidence is not None else pdf_upload()}
    return client.post(f"/coops/{coop_slug}/join/", data)


# --- public ----------------------------------------------------------------------------------------------------


def test_the_join_form_is_public_and_names_the_cooperative(client, world):
    response = client.get("/coops/alpha-coop/join/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Apply to join Alpha Co-op" in body and 'name="fax_extension"' in body
    assert client.get("/coops/city-of-alpha/join/").status_code == 404  # an agency is not a cooperative
    assert client.get("/coops/no-such/join/").status_code == 404


def test_the_public_contract_pages_link_to_the_join_form(client, world):
    from tests.factories import ContractFactory

    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, status="active")
    assert "/coops/alpha-coop/join/" in client.get(f"/contracts/{contract.slug}/").content.decode()
    assert "/coops/alpha-coop/join/" in client.get("/contracts/").content.decode()


def test_applying_leads_to_the_status_page(client, world):
    response = post_form(client)
    application = JoinApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/join/status/{services.status_token(application)}/"
    page = client.get(response["Location"]).content.decode()
    assert "Confirm your e-mail address" in page and "pat@mapleridge.gov" in page


def test_the_form_shows_every_problem_and_keeps_nothing(client, world):
    response = post_form(client, county="Orang", email_domain="nope", evidence=pdf_upload(b"GIF89a", "x.pdf"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Please correct" in body and "Did you mean Orange County?" in body
    assert "Enter a domain like mapleridge.gov" in body
    assert not JoinApplication.objects.exists() and not stored_files()


def test_a_bad_pdf_alone_is_shown_on_the_evidence_field(client, world):
    response = post_form(client, evidence=pdf_upload(b"not a pdf at all", "x.pdf"))
    assert response.status_code == 400
    assert "This is not a PDF file" in response.content.decode()
    assert not JoinApplication.objects.exists() and not stored_files()


def test_the_honeypot_refuses(client, world):
    response = client.post(
        "/coops/alpha-coop/join/", {**application_data(), "evidence": pdf_upload(), "fax_extension": "x"}
    )
    assert response.status_code == 400
    assert "Leave this field empty" in response.content.decode()
    assert not JoinApplication.objects.exists() and not stored_files()


def test_too_many_attempts_from_one_ip_get_a_clear_429(client, world, settings):
    settings.JOIN_RATE_LIMITS = {"ip": (2, 3600)}
    assert post_form(client, legal_name="").status_code == 400
    assert post_form(client, legal_name="").status_code == 400
    response = post_form(client)
    assert response.status_code == 429
    assert "Too many applications from your network: at most 2 in 1 hour" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_too_many_applications_for_one_e_mail_address_get_a_clear_429(client, world, settings):
    settings.JOIN_RATE_LIMITS = {"email": (1, 86400)}
    assert post_form(client).status_code == 302
    response = post_form(client, email_domain="other-ridge.gov")  # an unconfirmed application does not block
    assert response.status_code == 429
    assert "Too many applications for this e-mail address" in response.content.decode()
    assert JoinApplication.objects.count() == 1


def test_confirming_by_the_link_shows_a_button_then_the_status(client, world):
    application = submit(world.coop)
    token, code = services.status_token(application), confirm_code(application)
    page = client.get(f"/join/status/{token}/confirm/{code}/")
    assert page.status_code == 200 and "Confirm my e-mail address" in page.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED  # a GET (a mail scanner) confirms nothing
    wrong = client.post(f"/join/status/{token}/confirm/wrong/")
    assert wrong.status_code == 400 and "not valid" in wrong.content.decode()
    response = client.post(f"/join/status/{token}/confirm/{code}/", follow=True)
    assert "Waiting for review" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_the_secret_status_page_is_never_cached(client, world, pending):
    response = client.get(f"/join/status/{services.status_token(pending)}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_confirmation_link_can_be_sent_again_and_the_old_one_stops_working(client, world, settings):
    application = submit(world.coop)
    token, old_code = services.status_token(application), confirm_code(application)
    response = client.post(f"/join/status/{token}/resend/", follow=True)
    assert "We sent a new confirmation link to pat@mapleridge.gov" in response.content.decode()
    new_code = confirm_code(application)
    assert new_code != old_code
    assert client.post(f"/join/status/{token}/confirm/{old_code}/").status_code == 400
    settings.JOIN_RATE_LIMITS = {"email": (2, 86400)}  # the application and one resend counted
    limited = client.post(f"/join/status/{token}/resend/", follow=True).content.decode()
    assert "Too many applications for this e-mail address" in limited
    assert confirm_code(application) == new_code
    assert client.post(f"/join/status/{token}/confirm/{new_code}/").status_code == 302
    again = client.post(f"/join/status/{token}/resend/", follow=True).content.decode()
    assert "already confirmed" in again


def test_an_unknown_status_token_is_a_404(client, world):
    assert client.get("/join/status/not-a-token/").status_code == 404
    assert client.get("/join/status/not-a-token/confirm/x/").status_code == 404


def test_the_applicant_answers_on_the_status_page(client, world, pending):
    services.application_request_info(application=pending, actor=world.coop_staff, message="Which county seat?")
    url = f"/join/status/{services.status_token(pending)}/"
    page = client.get(url).content.decode()
    assert "Which county seat?" in page and "Send my answer" in page
    empty = client.post(url, {"message": ""})
    assert empty.status_code == 400 and "Please correct" in empty.content.decode()
    bad = client.post(url, {"message": "See file", "attachment": pdf_upload(b"not pdf", "a.pdf")})
    assert bad.status_code == 400 and "This is not a PDF file" in bad.content.decode()
    response = client.post(url, {"message": "Orlando.", "attachment": pdf_upload(name="seat.pdf")}, follow=True)
    body = response.content.decode()
    assert "your answer was sent" in body and "Orlando." in body and "seat.pdf" in body
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING


# --- co-op staff -------------------------------------------------------------------------------------------------


def test_the_queue_lists_open_applications_and_filters_by_status(client, world, pending):
    client.force_login(world.coop_staff)
    body = client.get("/coops/alpha-coop/applications/").content.decode()
    assert "City of Maple Ridge" in body
    assert "City of Maple Ridge" not in client.get("/coops/alpha-coop/applications/?status=approved").content.decode()
    assert client.get("/coops/alpha-coop/applications/?status=bogus").status_code == 400


def test_the_application_page_shows_hints_duplicates_and_decides(client, world, pending):
    client.force_login(world.coop_staff)
    url = f"/coops/alpha-coop/applications/{pending.public_id}/"
    body = client.get(url).content.decode()
    assert "Official government domain: mapleridge.gov" in body
    assert "None: no member or other application" in body
    # a question without text is shown on its form
    response = client.post(url + "request-info/", {"message": ""})
    assert response.status_code == 400 and "Please correct" in response.content.decode()
    response = client.post(url + "request-info/", {"message": "Send the charter."}, follow=True)
    assert "Your question was e-mailed to pat@mapleridge.gov" in response.content.decode()
    response = client.post(url + "approve/", follow=True)
    assert "Approved: City of Maple Ridge is a member of Alpha Co-op" in response.content.decode()
    again = client.post(url + "approve/", follow=True).content.decode()
    assert "This application was already approved by" in again
    assert Organization.objects.filter(name="City of Maple Ridge").count() == 1


def test_reject_needs_a_reason_on_the_page(client, world, pending):
    client.force_login(world.coop_admin)
    url = f"/coops/alpha-coop/applications/{pending.public_id}/"
    response = client.post(url + "reject/", {"reason": ""})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    client.post(url + "reject/", {"reason": "Private company."})
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.REJECTED


def test_staff_download_the_evidence_and_attachments(client, world, pending):
    services.application_request_info(application=pending, actor=world.coop_staff, message="More?")
    reply = services.application_reply(application=pending, message="Here.", attachment=pdf_upload(name="more.pdf"))
    client.force_login(world.coop_staff)
    base = f"/coops/alpha-coop/applications/{pending.public_id}/"
    evidence = client.get(base + "evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")
    attachment = client.get(base + f"messages/{reply.pk}/attachment/")
    assert attachment.status_code == 200 and 'filename="more.pdf"' in attachment["Content-Disposition"]
    assert client.get(base + "messages/999999/attachment/").status_code == 404


def test_another_coops_application_is_a_404_through_our_url(client, world):
    theirs = submit(world.other_coop)
    client.force_login(world.coop_admin)
    base = f"/coops/alpha-coop/applications/{theirs.public_id}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "approve/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ApplicationStatus.SUBMITTED


def test_make_pdf_is_a_pdf():
    assert make_pdf().startswith(b"%PDF")


def test_the_status_page_shows_the_decision(client, world, pending):
    url = f"/join/status/{services.status_token(pending)}/"
    services.application_reject(application=pending, actor=world.coop_staff, reason="We serve Georgia only.")
    body = client.get(url).content.decode()
    assert "Not approved" in body and "We serve Georgia only." in body and "Send my answer" not in body


def test_the_status_page_says_approved(client, world, pending):
    services.application_approve(application=pending, actor=world.coop_staff)
    body = client.get(f"/join/status/{services.status_token(pending)}/").content.decode()
    assert "is a member of Alpha Co-op" in body and "invitation to administer" in body


def test_the_coop_home_counts_and_links_open_applications(client, world, pending):
    client.force_login(world.coop_staff)
    body = client.get("/coops/alpha-coop/").content.decode()
    assert 'href="/coops/alpha-coop/applications/"' in body
    assert '<p class="stat">1</p>' in body
