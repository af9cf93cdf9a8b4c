"""The join application's rules: submit, confirm, ask for more information, answer, reject, approve."""

from __future__ import annotations

import pytest
from django.utils import timezone

from agencies.models import Agency, ApplicationMessage, ApplicationStatus, JoinApplication
from agencies.onboarding import services
from agencies.onboarding.services import TRANSITIONS
from marketplace.core.errors import ApplicationError
from marketplace.core.models import (
    AuditEvent,
    CoopMembership,
    Invitation,
    Notification,
    Organization,
    OutgoingEmail,
)
from tests.factories import AgencyFactory, CoopMembershipFactory
from tests.onboarding.conftest import (
    application_data,
    confirm_code,
    last_email_to,
    pdf_upload,
    stored_files,
    submit,
    submit_and_confirm,
)

pytestmark = pytest.mark.django_db


def state():
    return (
        JoinApplication.objects.count(),
        tuple(JoinApplication.objects.values_list("pk", "status").order_by("pk")),
        ApplicationMessage.objects.count(),
        Organization.objects.count(),
        CoopMembership.objects.count(),
        Invitation.objects.count(),
        OutgoingEmail.objects.count(),
        AuditEvent.objects.count(),
        len(stored_files()),
    )


def refused(call, code: str, field: str | None = None) -> ApplicationError:
    before = state()
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    if field:
        assert field in caught.value.fields, caught.value.fields
    assert state() == before
    return caught.value


# --- submit --------------------------------------------------------------------------------------------------


def test_submit_stores_the_application_and_mails_a_confirmation_and_status_link(world):
    application = submit(world.coop)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.county == "Orange County" and application.county_fips == "12095"
    assert application.population == 48200 and application.email_domain == "mapleridge.gov"
    assert application.evidence_pages == 1 and application.evidence_name == "charter.pdf"
    assert len(stored_files()) == 1
    token = services.status_token(application)
    assert application.status_token_digest != token and len(application.status_token_digest) == 64
    body = last_email_to("pat@mapleridge.gov").body
    assert f"/join/status/{token}/confirm/" in body and f"/join/status/{token}/\n" in body
    assert AuditEvent.objects.filter(action="join_application.submitted", organization=world.coop).exists()
    # staff hear nothing until the address is confirmed
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"legal_name": "  "}, "legal_name"),
        ({"agency_type": "pirate ship"}, "agency_type"),
        ({"state": "ZZ"}, "state"),
        ({"county": "Atlantis"}, "county"),
        ({"county": ""}, "county"),
        ({"population": "many"}, "population"),
        ({"website": "not a site"}, "website"),
        ({"email_domain": "gmail"}, "email_domain"),
        ({"contact_email": "pat@"}, "contact_email"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"signer_name": ""}, "signer_name"),
        ({"signer_email": "x"}, "signer_email"),
        ({"legal_name": "x" * 10_000}, "legal_name"),
    ],
)
def test_submit_refuses_bad_fields_and_stores_nothing(world, overrides, field):
    refused(
        lambda: services.application_submit(
            cooperative=world.coop, data=application_data(**overrides), evidence=pdf_upload()
        ),
        "invalid",
        field,
    )


def test_a_misspelt_county_gets_suggestions(world):
    error = refused(lambda: submit(world.coop, county="Orang"), "invalid", "county")
    assert "Did you mean Orange County?" in error.fields["county"][0]


def test_a_state_agency_needs_no_county(world):
    application = submit(world.coop, agency_type="state", county="", legal_name="Florida Department of Transport")
    assert application.county == ""


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "empty_file"),
        (b"hello, I am not a PDF", "invalid_file"),
        (b"%PDF-1.7 broken", "invalid_file"),
    ],
)
def test_submit_refuses_evidence_that_is_not_a_pdf_and_stores_nothing(world, data, code):
    error = refused(
        lambda: services.application_submit(
            cooperative=world.coop, data=application_data(), evidence=pdf_upload(data, "evidence.pdf")
        ),
        code,
        "evidence",
    )
    assert error.fields["evidence"]


def test_submit_without_evidence_is_refused(world):
    refused(
        lambda: services.application_submit(cooperative=world.coop, data=application_data(), evidence=None),
        "invalid",
        "evidence",
    )


def test_the_honeypot_refuses_and_stores_nothing(world):
    refused(
        lambda: services.application_submit(
            cooperative=world.coop, data=application_data(), evidence=pdf_upload(), honeypot="http://spam"
        ),
        "spam_suspected",
    )


def test_a_member_domain_cannot_apply_again(world):
    Agency.objects.filter(organization=world.agency).update(email_domain="alpha.gov")
    error = refused(lambda: submit(world.coop, email_domain="alpha.gov"), "already_member", "email_domain")
    assert "City of Alpha" in error.message and "already a member of Alpha Co-op" in error.message
    assert error.status_code == 409


def test_a_member_of_another_coop_may_apply_here(world):
    Agency.objects.filter(organization=world.other_agency).update(email_domain="beta.gov")
    assert submit(world.coop, email_domain="beta.gov").status == ApplicationStatus.SUBMITTED


def test_a_second_application_while_one_is_open_is_refused(world, pending):
    error = refused(
        lambda: submit(world.coop, contact_email="other@mapleridge.gov"), "duplicate_application", "email_domain"
    )
    assert "already waiting for review by Alpha Co-op" in error.message
    # the same contact with another domain is refused as well
    refused(lambda: submit(world.coop, email_domain="maple-ridge.org"), "duplicate_application")


def test_an_unconfirmed_application_does_not_block_the_domain_but_confirming_the_second_is_refused(world):
    first, second = submit(world.coop), submit(world.coop, contact_email="lee@mapleridge.gov")
    services.application_confirm(token=services.status_token(first), code=confirm_code(first))
    with pytest.raises(ApplicationError) as caught:
        services.application_confirm(token=services.status_token(second), code=confirm_code(second))
    assert caught.value.code == "duplicate_application"
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED


# --- confirm -------------------------------------------------------------------------------------------------


def test_confirming_sends_the_application_to_staff(world):
    application = submit(world.coop)
    confirmed = services.application_confirm(token=services.status_token(application), code=confirm_code(application))
    assert confirmed.status == ApplicationStatus.PENDING and confirmed.confirmed_at
    notified = set(Notification.objects.filter(kind="onboarding").values_list("user__email", flat=True))
    assert notified == {"staff@alpha-coop.test", "admin@alpha-coop.test"}
    assert AuditEvent.objects.filter(action="join_application.pending", actor_label="pat@mapleridge.gov").exists()
    # the link again: nothing more happens
    again = services.application_confirm(token=services.status_token(application), code="anything")
    assert again.status == ApplicationStatus.PENDING
    assert Notification.objects.count() == 2


def test_a_wrong_confirmation_code_is_refused(world):
    application = submit(world.coop)
    refused(
        lambda: services.application_confirm(token=services.status_token(application), code="wrong"), "invalid_code"
    )
    refused(lambda: services.application_confirm(token="no-such-token", code="x"), "not_found")


# --- more information ----------------------------------------------------------------------------------------


def test_staff_ask_for_more_information_and_the_applicant_answers(world, pending):
    services.application_request_info(
        application=pending, actor=world.coop_staff, message="Send your charter's signature page."
    )
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.INFO_REQUESTED
    email = last_email_to("pat@mapleridge.gov")
    assert "Send your charter's signature page." in email.body
    assert services.status_url(pending) in email.body
    Notification.objects.all().delete()

    reply = services.application_reply(
        application=pending, message="Attached.", attachment=pdf_upload(name="signature-page.pdf")
    )
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    assert reply.attachment_name == "signature-page.pdf" and reply.attachment_size > 0
    assert [m.author_kind for m in pending.messages.all()] == ["staff", "applicant"]
    assert Notification.objects.filter(title__contains="answered").count() == 2


def test_an_answer_nobody_asked_for_is_refused(world, pending):
    refused(lambda: services.application_reply(application=pending, message="Hello"), "not_waiting")


def test_an_answer_needs_text_and_its_attachment_must_be_a_pdf(world, pending):
    services.application_request_info(application=pending, actor=world.coop_staff, message="Budget?")
    refused(lambda: services.application_reply(application=pending, message="  "), "invalid", "message")
    refused(
        lambda: services.application_reply(
            application=pending, message="see file", attachment=pdf_upload(b"MZ executable", "x.pdf")
        ),
        "invalid_file",
        "attachment",
    )


def test_a_question_needs_text(world, pending):
    refused(
        lambda: services.application_request_info(application=pending, actor=world.coop_staff, message=""),
        "invalid",
        "message",
    )


# --- reject --------------------------------------------------------------------------------------------------


def test_reject_needs_a_reason_and_mails_it(world, pending):
    refused(
        lambda: services.application_reject(application=pending, actor=world.coop_staff, reason=" "),
        "invalid",
        "reason",
    )
    services.application_reject(application=pending, actor=world.coop_staff, reason="Not a public entity.")
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.REJECTED and pending.decided_by == world.coop_staff
    assert "Not a public entity." in last_email_to("pat@mapleridge.gov").body
    error = refused(
        lambda: services.application_approve(application=pending, actor=world.coop_admin), "already_rejected"
    )
    assert f"already rejected by {world.coop_staff.full_name}" in error.message


# --- approve -------------------------------------------------------------------------------------------------


def test_approval_creates_the_agency_its_membership_and_the_admin_invitation(world, pending):
    agency = services.application_approve(application=pending, actor=world.coop_admin)
    assert agency.kind == "agency" and agency.name == "City of Maple Ridge"
    assert agency.slug == "city-of-maple-ridge" and agency.code == "CMR"
    profile = Agency.objects.get(organization=agency)
    assert (profile.agency_type, profile.state, profile.county, profile.email_domain, profile.population) == (
        "city",
        "FL",
        "Orange County",
        "mapleridge.gov",
        48200,
    )
    membership = CoopMembership.objects.get(cooperative=world.coop, agency=agency)
    assert membership.status == "active" and membership.approved_on == timezone.localdate()
    invitation = Invitation.objects.get(organization=agency)
    assert invitation.email == "pat@mapleridge.gov" and invitation.roles == ["agency_admin"]
    assert invitation.status == "pending"
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.APPROVED and pending.agency == agency
    assert AuditEvent.objects.filter(action="join_application.approved").count() == 1
    assert AuditEvent.objects.filter(action="agency.onboarded", organization=world.coop).count() == 1


def test_approving_twice_makes_one_agency_and_says_who_approved(world, pending):
    services.application_approve(application=pending, actor=world.coop_admin)
    error = refused(
        lambda: services.application_approve(application=pending, actor=world.coop_staff), "already_approved"
    )
    assert f"already approved by {world.coop_admin.full_name} on " in error.message
    assert error.status_code == 409


def test_an_unconfirmed_application_cannot_be_approved(world):
    application = submit(world.coop)
    refused(lambda: services.application_approve(application=application, actor=world.coop_admin), "invalid_transition")


def test_slug_and_code_stay_unique(world):
    first = submit_and_confirm(world.coop)
    services.application_approve(application=first, actor=world.coop_admin)
    second = submit_and_confirm(
        world.coop, email_domain="mapleridge.fl.us", contact_email="jo@mapleridge.fl.us", county="Lake"
    )
    agency = services.application_approve(application=second, actor=world.coop_admin)
    assert agency.slug == "city-of-maple-ridge-2" and agency.code == "CMR2"


def test_the_transition_table_has_no_way_out_of_a_decision():
    assert TRANSITIONS[ApplicationStatus.APPROVED] == frozenset()
    assert TRANSITIONS[ApplicationStatus.REJECTED] == frozenset()
    assert ApplicationStatus.APPROVED not in TRANSITIONS[ApplicationStatus.SUBMITTED]


def test_rejecting_an_unconfirmed_application_is_allowed_for_spam(world):
    application = submit(world.coop)
    services.application_reject(application=application, actor=world.coop_staff, reason="Spam.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


# --- agency_onboard ------------------------------------------------------------------------------------------


def onboard(world, **overrides):
    kwargs = {
        "cooperative": world.coop,
        "name": "Lake County Schools",
        "agency_type": "school_district",
        "state": "FL",
        "county": "Lake",
        "population": None,
        "website": "",
        "email_domain": "lake.k12.fl.us",
        "admin_email": "buyer@lake.k12.fl.us",
        "actor": world.coop_admin,
    }
    kwargs.update(overrides)
    return services.agency_onboard(**kwargs)


def test_agency_onboard_refuses_a_domain_already_on_the_marketplace(world):
    other = AgencyFactory(organization__name="Lake Schools", email_domain="lake.k12.fl.us").organization
    error = refused(lambda: onboard(world), "domain_taken", "email_domain")
    assert "Lake Schools" in error.message
    CoopMembershipFactory(cooperative=world.coop, agency=other)
    refused(lambda: onboard(world), "already_member")


def test_agency_onboard_refuses_bad_input(world):
    error = refused(lambda: onboard(world, agency_type="castle", admin_email="nope"), "invalid")
    assert set(error.fields) == {"agency_type", "admin_email"}


def test_agency_onboard_refuses_a_non_cooperative(world):
    refused(lambda: onboard(world, cooperative=world.agency), "invalid")


def test_agency_onboard_sets_the_time_zone_of_the_state(world):
    agency = onboard(world, state="TX", county="Travis", email_domain="austintexas.gov", name="City of Austin")
    assert agency.time_zone == "America/Chicago"
