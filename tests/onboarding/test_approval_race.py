"""Two staff approve the same application at the same moment (real concurrent transactions): one agency, one
membership, one invitation; the second is told who approved it."""

from __future__ import annotations

import pytest

from agencies.models import Agency, ApplicationStatus
from agencies.onboarding import services
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, CoopMembership, Invitation, Organization
from tests.concurrency import run_at_once
from tests.onboarding.conftest import submit_and_confirm


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_once_make_one_agency(world):
    application = submit_and_confirm(world.coop)
    organizations = Organization.objects.count()

    def approve(user):
        def run():
            try:
                return services.application_approve(application=application, actor=user)
            except ApplicationError as exc:
                return exc

        return run

    results = run_at_once(approve(world.coop_admin), approve(world.coop_staff))
    agencies = [r for r in results if isinstance(r, Organization)]
    refusals = [r for r in results if isinstance(r, ApplicationError)]
    assert len(agencies) == 1 and len(refusals) == 1
    assert refusals[0].code == "already_approved" and "already approved by" in refusals[0].message
    assert Organization.objects.count() == organizations + 1
    assert Agency.objects.filter(email_domain="mapleridge.gov").count() == 1
    assert CoopMembership.objects.filter(agency=agencies[0]).count() == 1
    assert Invitation.objects.filter(email="pat@mapleridge.gov").count() == 1
    assert AuditEvent.objects.filter(action="join_application.approved").count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.agency == agencies[0]


@pytest.mark.django_db(transaction=True)
def test_two_applications_of_one_domain_confirmed_at_once_leave_one_open(world):
    from tests.onboarding.conftest import confirm_code, submit

    first, second = submit(world.coop), submit(world.coop, contact_email="lee@mapleridge.gov")

    def confirm(application):
        code = confirm_code(application)

        def run():
            try:
                return services.application_confirm(token=services.status_token(application), code=code)
            except ApplicationError as exc:
                return exc

        return run

    results = run_at_once(confirm(first), confirm(second))
    assert sorted(type(r).__name__ for r in results) == ["ApplicationError", "JoinApplication"]
    assert next(r for r in results if isinstance(r, ApplicationError)).code == "duplicate_application"
