"""Bulk onboarding from CSV: every row validated first, every problem reported, nothing applied unless all rows are
valid; then every agency in one transaction, the invitations e-mailed by the worker after commit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from agencies.onboarding.imports import (
    MemberImportRejected,
    member_import_apply,
    member_import_validate,
    template_csv,
)
from marketplace.core.models import AuditEvent, CoopMembership, Invitation, Organization, OutboxTask, OutgoingEmail
from tests.onboarding.conftest import submit_and_confirm

pytestmark = pytest.mark.django_db

HEADER = "name,type,state,domain,admin_email,county,population,website\n"
GOOD = (
    HEADER + "Town of One,city,FL,one.fl.us,a@one.fl.us,Orange,1200,one.fl.us\n"
    "Two County,County,fl,@two.gov,B@two.gov,Lake,,\n"
    "Three Water District,special_district,GA,three.org,c@three.org,,,\n"
)


def state():
    return (
        Organization.objects.count(),
        Agency.objects.count(),
        CoopMembership.objects.count(),
        Invitation.objects.count(),
        OutgoingEmail.objects.count(),
        AuditEvent.objects.count(),
    )


def rejected(world, text: str, filename: str = "members.csv") -> list:
    before = state()
    with pytest.raises(MemberImportRejected) as caught:
        member_import_apply(cooperative=world.coop, data=text.encode(), filename=filename, actor=world.coop_staff)
    assert state() == before
    return [(e.row, e.column, e.reason) for e in caught.value.errors]


def test_a_valid_file_creates_every_agency_with_an_active_membership_and_an_invitation(world):
    created = member_import_apply(cooperative=world.coop, data=GOOD.encode(), filename="m.csv", actor=world.coop_staff)
    assert [a.name for a in created] == ["Town of One", "Two County", "Three Water District"]
    two = Agency.objects.get(organization__name="Two County")
    assert (two.agency_type, two.state, two.email_domain, two.county) == ("county", "FL", "two.gov", "Lake County")
    assert Agency.objects.get(organization__name="Town of One").website == "https://one.fl.us"
    assert CoopMembership.objects.filter(cooperative=world.coop, status="active", agency__in=created).count() == 3
    invitations = Invitation.objects.filter(organization__in=created)
    assert sorted(invitations.values_list("email", flat=True)) == ["a@one.fl.us", "b@two.gov", "c@three.org"]
    assert all(i.roles == ["agency_admin"] for i in invitations)
    # the e-mails are queued for the worker (sent after commit through the outbox), not sent in the request
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 3
    assert OutboxTask.objects.filter(task_name="core.email_send").count() >= 3
    assert AuditEvent.objects.filter(action="agency.bulk_imported", organization=world.coop).count() == 1


def test_one_bad_row_applies_nothing_and_every_problem_is_listed(world):
    errors = rejected(
        world,
        HEADER + "Town of One,city,FL,one.fl.us,a@one.fl.us,Orange,,\n"
        "Bad Place,castle,ZZ,nodot,not-an-email,,lots,\n"
        "Town of Four,city,FL,four.fl.us,d@four.fl.us,Atlantis,,\n",
    )
    columns = {(row, column) for row, column, _ in errors}
    assert {(3, "type"), (3, "state"), (3, "domain"), (3, "admin_email"), (3, "population"), (4, "county")} <= columns
    assert not Organization.objects.filter(name="Town of One").exists()


def test_duplicates_in_the_file_and_against_the_marketplace_are_refused(world):
    Agency.objects.filter(organization=world.agency).update(email_domain="alpha.gov")
    submit_and_confirm(world.coop)  # mapleridge.gov is waiting for review
    errors = rejected(
        world,
        HEADER + "Town of One,city,FL,one.fl.us,a@one.fl.us,Orange,,\n"
        "Town of One,city,FL,uno.fl.us,b@uno.fl.us,Orange,,\n"
        "Town Again,city,FL,one.fl.us,c@one.fl.us,Orange,,\n"
        "Alpha Again,city,FL,alpha.gov,x@alpha.gov,Orange,,\n"
        "Maple,city,FL,mapleridge.gov,y@mapleridge.gov,Orange,,\n",
    )
    reasons = {(row, column): reason for row, column, reason in errors}
    assert reasons[(3, "name")] == "Town of One (FL) is also on row 2."
    assert reasons[(4, "domain")] == "one.fl.us is also on row 2 of this file."
    assert "already on the marketplace" in reasons[(5, "domain")]
    assert "waiting for review" in reasons[(6, "domain")]


@pytest.mark.parametrize(
    "text,filename,reason",
    [
        ("", "m.csv", "The file is empty."),
        ("name,type\nA,city\n", "m.csv", "The required column state is missing from the header."),
        (HEADER, "m.csv", "The file has a header but no members."),
        ("%PDF-1.4 binary", "m.pdf", "Wrong file type"),
        (HEADER.replace("website", "colour"), "m.csv", "Unknown column “colour”."),
    ],
)
def test_file_level_problems_are_reported(world, text, filename, reason):
    errors = rejected(world, text, filename)
    assert any(reason in r for _, _, r in errors), errors


def test_the_template_is_a_valid_import(world):
    rows = member_import_validate(cooperative=world.coop, data=template_csv(), filename="template.csv")
    assert [r.name for r in rows] == ["City of Maple Ridge", "Lake County Schools"]


def test_the_import_page_lists_every_problem_then_imports(client, world):
    client.force_login(world.coop_staff)
    page = client.get("/coops/alpha-coop/members/import/")
    assert page.status_code == 200 and "Download the template (CSV)" in page.content.decode()
    template = client.get("/coops/alpha-coop/members/import/template.csv")
    assert template["Content-Type"].startswith("text/csv") and b"admin_email" in template.content
    bad = HEADER + "Bad,castle,ZZ,one.fl.us,a@one.fl.us,,,\n"
    response = client.post(
        "/coops/alpha-coop/members/import/", {"file": SimpleUploadedFile("m.csv", bad.encode(), "text/csv")}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported: 2 problems" in body
    assert "Choose a U.S. state" in body
    response = client.post(
        "/coops/alpha-coop/members/import/", {"file": SimpleUploadedFile("m.csv", GOOD.encode(), "text/csv")}
    )
    assert response.status_code == 302
    assert "3 agencies added" in client.get(response["Location"]).content.decode()


def test_a_file_over_the_size_limit_is_refused(world, settings):
    from agencies.onboarding import imports

    text = GOOD + ("x" * 100 + "\n") * (imports.MAX_BYTES // 100)
    errors = rejected(world, text)
    assert any("larger than 2 MB" in reason for _, _, reason in errors)
