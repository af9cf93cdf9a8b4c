"""The onboarding API: the public application and status, staff's queue and decisions, the member import."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import ApplicationStatus, JoinApplication
from agencies.onboarding import services
from marketplace.core.models import Invitation, Organization
from tests.onboarding.conftest import application_data, confirm_code, pdf_upload, stored_files, submit

pytestmark = pytest.mark.django_db

BASE = "/api/v1/coops/alpha-coop/applications/"


def apply(client, **overrides):
    data = {**application_data(**overrides), "evidence": pdf_upload()}
    return client.post(BASE, data, format="multipart")


def test_anyone_applies_without_auth_and_gets_the_status_url(client, world):
    response = apply(client)
    assert response.status_code == 201, response.json()
    body = response.json()
    application = JoinApplication.objects.get()
    assert body == {
        "status": "submitted",
        "status_url": services.status_url(application),
        "status_api_url": f"{settings.SITE_URL}/api/v1/applications/status/{services.status_token(application)}/",
        "confirmation_sent_to": "pat@mapleridge.gov",
    }
    token = services.status_token(application)
    status = client.get(f"/api/v1/applications/status/{token}/").json()
    assert status["status"] == "submitted" and status["cooperative"] == "Alpha Co-op"


def test_a_refused_application_answers_the_error_shape_and_stores_nothing(client, world):
    response = apply(client, state="ZZ", county="Nowhere")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "state" in error["fields"]
    bad_pdf = client.post(BASE, {**application_data(), "evidence": pdf_upload(b"nope", "x.pdf")})
    assert bad_pdf.status_code == 400 and "evidence" in bad_pdf.json()["error"]["fields"]
    assert not JoinApplication.objects.exists() and not stored_files()


def test_the_api_honours_the_honeypot_and_the_rate_limits(client, world, settings):
    honeypot = client.post(BASE, {**application_data(), "evidence": pdf_upload(), "fax_extension": "x"})
    assert honeypot.json()["error"]["code"] == "spam_suspected"
    settings.JOIN_RATE_LIMITS = {"ip": (1, 3600)}  # the honeypot's attempt counted
    response = apply(client)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert not JoinApplication.objects.exists()


def test_a_member_domain_or_an_open_application_is_a_409(client, world, pending):
    response = apply(client, contact_email="lee@mapleridge.gov")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_application"


def test_the_applicant_confirms_and_answers_through_the_api(client, world):
    application = submit(world.coop)
    token = services.status_token(application)
    wrong = client.post(f"/api/v1/applications/status/{token}/confirm/", {"code": "x"}, content_type="application/json")
    assert wrong.status_code == 400
    confirmed = client.post(
        f"/api/v1/applications/status/{token}/confirm/",
        {"code": confirm_code(application)},
        content_type="application/json",
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "pending"
    early = client.post(f"/api/v1/applications/status/{token}/replies/", {"message": "hi"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_waiting"
    application.refresh_from_db()
    services.application_request_info(application=application, actor=world.coop_staff, message="Budget?")
    reply = client.post(f"/api/v1/applications/status/{token}/replies/", {"message": "$1M", "attachment": pdf_upload()})
    assert reply.status_code == 201
    assert [m["author_kind"] for m in reply.json()["messages"]] == ["staff", "applicant"]
    assert reply.json()["messages"][1]["has_attachment"] is True
    assert client.get("/api/v1/applications/status/nope/").status_code == 404


def test_staff_list_filter_read_and_decide(client, world, pending):
    client.force_login(world.coop_staff)
    listed = client.get(BASE).json()
    assert [a["legal_name"] for a in listed["results"]] == ["City of Maple Ridge"]
    assert client.get(BASE + "?status=approved").json()["results"] == []
    assert client.get(BASE + "?status=bogus").status_code == 400
    url = f"{BASE}{pending.public_id}/"
    detail = client.get(url).json()
    assert detail["hints"][0]["good"] is True and detail["duplicates"] == []
    empty = client.post(url + "request-info/", {"message": ""}, content_type="application/json")
    assert empty.status_code == 400
    asked = client.post(url + "request-info/", {"message": "Charter?"}, content_type="application/json")
    assert asked.json()["status"] == "info_requested"
    approved = client.post(url + "approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["agency"] == "city-of-maple-ridge" and approved.json()["invited"] == "pat@mapleridge.gov"
    assert [a["status"] for a in client.get(BASE + "?status=approved").json()["results"]] == ["approved"]
    assert client.get(BASE).json()["results"] == []  # open ones by default
    assert len(client.get(BASE + "?status=all").json()["results"]) == 1
    again = client.post(url + "approve/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_approved"
    rejected = client.post(url + "reject/", {"reason": "late"}, content_type="application/json")
    assert rejected.status_code == 409
    assert Organization.objects.filter(slug__startswith="city-of-maple-ridge").count() == 1
    assert Invitation.objects.filter(email="pat@mapleridge.gov").count() == 1


def test_reject_through_the_api(client, world, pending):
    client.force_login(world.coop_admin)
    url = f"{BASE}{pending.public_id}/reject/"
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 400
    response = client.post(url, {"reason": "Not public."}, content_type="application/json")
    assert response.json()["status"] == "rejected" and response.json()["rejection_reason"] == "Not public."


def test_another_coops_application_is_a_404(client, world):
    theirs = submit(world.other_coop)
    client.force_login(world.coop_admin)
    assert client.get(f"{BASE}{theirs.public_id}/").status_code == 404
    assert client.post(f"{BASE}{theirs.public_id}/approve/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ApplicationStatus.SUBMITTED


def csv_file(text: str, name: str = "members.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_member_import_api_applies_all_or_reports_every_row(client, world):
    client.force_login(world.coop_staff)
    url = "/api/v1/coops/alpha-coop/members/import/"
    bad = client.post(
        url,
        {
            "file": csv_file(
                "name,type,state,domain,admin_email\n"
                "Town of One,city,FL,one.fl.us,a@one.fl.us\n"
                "Town of Two,castle,ZZ,two.fl.us,nope\n"
            )
        },
    )
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "invalid_rows" and "nothing was imported" in error["message"]
    assert set(error["fields"]) >= {"rows.3.type", "rows.3.state", "rows.3.admin_email"}
    assert not Organization.objects.filter(name__startswith="Town of").exists()
    good = client.post(
        url,
        {
            "file": csv_file(
                "name,type,state,domain,admin_email,county\n"
                "Town of One,city,FL,one.fl.us,a@one.fl.us,Orange\n"
                "Town of Two,county,FL,two.fl.us,b@two.fl.us,Lake\n"
            )
        },
    )
    assert good.status_code == 201, good.json()
    assert [a["slug"] for a in good.json()["created"]] == ["town-of-one", "town-of-two"]
    assert re.fullmatch(r"[A-Z0-9]+", good.json()["created"][0]["code"])
