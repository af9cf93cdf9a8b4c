"""Membership-agreement services: publishing a version (immutable, validated, members told), accepting it (once
per version, authorized signer, current version only, audit facts), and the rule that decides checkout."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from agencies.agreements import selectors, services
from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from marketplace.core.context import client_ip
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, CoopMembership, Notification, OutboxTask
from tests.agreements import helpers
from tests.factories import CoopMembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def _publish(world, **overrides):
    fields = {
        "label": "2027-1",
        "title": "Interlocal purchasing agreement",
        "body": "1. Purpose.\n\n2. Term.",
        "effective_on": dt.date(2027, 1, 1),
        **overrides,
    }
    return services.agreement_version_publish(cooperative=world.coop, actor=world.coop_staff, **fields)


def _accept(world, version, **overrides):
    fields = {"signer_name": "Pat Signer", "signer_title": "City Manager", "authorized": True, **overrides}
    return services.agreement_accept(agency=world.agency, version=version, actor=world.agency_admin, **fields)


def _state():
    return (
        AgreementVersion.objects.count(),
        AgreementAcceptance.objects.count(),
        AuditEvent.objects.filter(action__startswith="agreement.").count(),
        OutboxTask.objects.filter(task_name="agencies.agreement_pdf_render").count(),
    )


# --- publishing --------------------------------------------------------------------------------------------


def test_publish_records_the_version_audits_and_tells_member_agency_admins(world):
    version = _publish(world)
    assert (version.label, version.published_by, version.reaccept_by) == ("2027-1", world.coop_staff, None)
    assert selectors.current_agreement(cooperative=world.coop) == version
    audit = AuditEvent.objects.get(action="agreement.version.published")
    assert audit.after["label"] == "2027-1" and audit.organization == world.coop
    told = Notification.objects.get(user=world.agency_admin)
    assert told.kind == "onboarding" and "2027-1" in told.title and told.url == "/agencies/city-of-alpha/agreement/"
    assert not Notification.objects.filter(user=world.requester).exists()  # admins sign, not requesters
    assert not Notification.objects.filter(user=world.other_agency_admin).exists()  # another co-op's member


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"label": "  "}, "label"),
        ({"label": "x" * 41}, "label"),
        ({"title": ""}, "title"),
        ({"body": "\n\n  "}, "body"),
        ({"body": "x" * 100_001}, "body"),
        ({"effective_on": None}, "effective_on"),
        ({"reaccept_by": TOMORROW}, "reaccept_by"),  # a first version has nothing to re-accept
    ],
)
def test_publish_refuses_bad_input_and_changes_nothing(world, overrides, field):
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        _publish(world, **overrides)
    assert caught.value.code == "invalid" and field in caught.value.fields
    assert _state() == before


def test_publish_refuses_a_label_already_used_and_a_reacceptance_date_not_in_the_future(world):
    _publish(world)
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        _publish(world, title="Again")
    assert "already published" in caught.value.fields["label"][0]
    today = organization_today(world.coop)
    with pytest.raises(ApplicationError) as caught:
        _publish(world, label="2027-2", effective_on=today - dt.timedelta(days=5), reaccept_by=today)
    assert "after today" in caught.value.fields["reaccept_by"][0]
    with pytest.raises(ApplicationError) as caught:
        _publish(
            world,
            label="2027-2",
            effective_on=today + dt.timedelta(days=30),
            reaccept_by=TOMORROW + dt.timedelta(days=1),
        )
    assert "before the agreement takes effect" in caught.value.fields["reaccept_by"][0]
    assert _state() == before


def test_publish_checks_the_source_pdf_by_content_and_stores_nothing_on_refusal(world):
    before = _state()
    fake = SimpleUploadedFile("agreement.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ApplicationError) as caught:
        _publish(world, source_file=fake)
    assert caught.value.code == "invalid_file" and "not a PDF" in caught.value.fields["file"][0]
    assert _state() == before


def test_publish_keeps_a_real_source_pdf(world):
    from tests.agreements.pdfs import one_page_pdf

    version = _publish(world, source_file=SimpleUploadedFile("Board approved.pdf", one_page_pdf()))
    assert (version.source_name, version.source_pages, len(version.source_sha256)) == ("Board approved.pdf", 1, 64)
    assert version.source_file.read().startswith(b"%PDF-")


def test_a_published_version_cannot_be_changed_or_deleted_in_the_database(world):
    version = _publish(world)
    with pytest.raises(ProgrammingError, match="immutable"), transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(body="Something else")
    with pytest.raises(ProgrammingError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM agencies_agreementversion WHERE id = %s", [version.pk])
    version.refresh_from_db()
    assert version.body == "1. Purpose.\n\n2. Term."


# --- accepting ---------------------------------------------------------------------------------------------


def test_accept_stores_the_signature_facts_and_queues_the_pdf(world):
    version = _publish(world)
    token = client_ip.set("203.0.113.9")
    try:
        acceptance = _accept(world, version)
    finally:
        client_ip.reset(token)
    assert (acceptance.signer_name, acceptance.signer_title, acceptance.signed_by) == (
        "Pat Signer",
        "City Manager",
        world.agency_admin,
    )
    assert acceptance.signed_on == organization_today(world.agency)
    assert acceptance.ip_address == "203.0.113.9" and acceptance.pdf_status == "pending"
    assert acceptance.cooperative == world.coop
    audit = AuditEvent.objects.get(action="agreement.accepted")
    assert audit.after["signer_name"] == "Pat Signer" and audit.ip_address == "203.0.113.9"
    assert OutboxTask.objects.filter(task_name="agencies.agreement_pdf_render", args=[acceptance.pk]).exists()


def test_signed_on_is_the_agencys_own_calendar_day(world, settings):
    world.agency.time_zone = "Pacific/Kiritimati"  # UTC+14: usually already tomorrow
    world.agency.save(update_fields=["time_zone"])
    acceptance = _accept(world, _publish(world))
    assert acceptance.signed_on == organization_today(world.agency)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"signer_name": " "}, "signer_name"),
        ({"signer_title": ""}, "signer_title"),
        ({"signer_name": "x" * 151}, "signer_name"),
        ({"authorized": False}, "authorized"),
    ],
)
def test_accept_refuses_bad_input_and_changes_nothing(world, overrides, field):
    version = _publish(world)
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        _accept(world, version, **overrides)
    assert caught.value.code == "invalid" and field in caught.value.fields
    assert _state() == before


def test_a_second_acceptance_of_the_same_version_is_refused_with_a_clear_message(world):
    version = _publish(world)
    _accept(world, version)
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        _accept(world, version, signer_name="Someone Else")
    assert caught.value.code == "already_accepted" and caught.value.status_code == 409
    assert "already accepted version 2027-1" in caught.value.message and "Pat Signer" in caught.value.message
    assert _state() == before


def test_only_the_current_version_can_be_accepted(world):
    old = _publish(world)
    _publish(world, label="2027-2")
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        _accept(world, old)
    assert caught.value.code == "not_current" and "2027-2" in caught.value.message
    assert _state() == before


def test_an_agency_that_is_not_an_approved_member_cannot_accept(world):
    version = _publish(world)
    CoopMembership.objects.filter(agency=world.agency).update(status="applied")
    with pytest.raises(ApplicationError) as caught:
        _accept(world, version)
    assert caught.value.code == "not_found"
    assert not AgreementAcceptance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_acceptances_make_one(world):
    """Two admins sign at the same moment: one acceptance, the other is told it is already signed."""
    version = _publish(world)
    barrier = threading.Barrier(2)
    outcomes = []

    def sign(name):
        try:
            barrier.wait(5)
            _accept(world, version, signer_name=name)
            outcomes.append("signed")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(n,)) for n in ("First Admin", "Second Admin")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(outcomes) == ["already_accepted", "signed"]
    assert AgreementAcceptance.objects.filter(agency=world.agency, version=version).count() == 1


# --- the checkout rule -------------------------------------------------------------------------------------


def test_a_coop_without_an_agreement_blocks_nothing(world):
    assert selectors.agreement_checkout_block(agency=world.agency, cooperative=world.coop) is None
    assert selectors.agreement_status(agency=world.agency, cooperative=world.coop).state == "none"


def test_no_acceptance_blocks_the_first_order(world):
    helpers.version(world.coop)
    message = selectors.agreement_checkout_block(agency=world.agency, cooperative=world.coop)
    assert message == (
        "Your agency must accept Alpha Co-op's membership agreement before its first order. "
        "An agency admin can sign it at /agencies/city-of-alpha/agreement/."
    )


def test_accepting_the_current_version_unblocks(world):
    version = helpers.version(world.coop)
    helpers.acceptance(world.agency, version, by=world.agency_admin)
    assert selectors.agreement_checkout_block(agency=world.agency, cooperative=world.coop) is None
    assert selectors.agreement_status(agency=world.agency, cooperative=world.coop).state == "signed"


def test_a_new_version_without_a_reacceptance_date_keeps_earlier_signers_ordering(world):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    helpers.version(world.coop, label="2027-2")
    status = selectors.agreement_status(agency=world.agency, cooperative=world.coop)
    assert status.state == "earlier" and not status.blocks and status.message is None


def test_before_the_reacceptance_date_ordering_continues_with_a_warning(world):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    today = organization_today(world.coop)
    helpers.version(world.coop, label="2027-2", effective_on=today, reaccept_by=today)  # the last day still counts
    status = selectors.agreement_status(agency=world.agency, cooperative=world.coop)
    assert status.state == "due" and not status.blocks
    assert selectors.agreement_checkout_block(agency=world.agency, cooperative=world.coop) is None
    day = f"{today:%b} {today.day}, {today.year}"
    assert status.message.startswith(f"Accept Alpha Co-op's new membership agreement (version 2027-2) by {day} or")
    assert [s.cooperative for s in selectors.agreement_warnings(agency=world.agency)] == [world.coop]


def test_after_the_reacceptance_date_ordering_stops(world):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    yesterday = organization_today(world.coop) - dt.timedelta(days=1)
    helpers.version(world.coop, label="2027-2", effective_on=yesterday, reaccept_by=yesterday)
    message = selectors.agreement_checkout_block(agency=world.agency, cooperative=world.coop)
    assert message.startswith(
        f"Alpha Co-op's new membership agreement (version 2027-2) had to be accepted by {yesterday:%b} "
        f"{yesterday.day}, {yesterday.year}. Ordering on Alpha Co-op's contracts is stopped"
    )


def test_the_reacceptance_date_is_the_coops_calendar_day(world):
    """The co-op is in a zone where today is already a day later than in the agency's: its day decides."""
    world.coop.time_zone = "Pacific/Kiritimati"
    world.coop.save(update_fields=["time_zone"])
    world.agency.time_zone = "Pacific/Pago_Pago"  # UTC-11: 25 hours behind
    world.agency.save(update_fields=["time_zone"])
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    coop_yesterday = organization_today(world.coop) - dt.timedelta(days=1)
    assert coop_yesterday >= organization_today(world.agency)  # by the agency's calendar it is not yet past
    helpers.version(world.coop, label="2027-2", effective_on=coop_yesterday, reaccept_by=coop_yesterday)
    assert selectors.agreement_status(agency=world.agency, cooperative=world.coop).state == "overdue"


def test_checkout_blocks_a_contract_only_when_every_coop_it_is_used_through_blocks(world):
    """A contract shared with a second co-op the agency belongs to in good standing stays orderable."""
    from tests.factories import ContractFactory

    second = OrganizationFactory(kind="cooperative", name="Gamma Co-op", slug="gamma-coop")
    CoopMembershipFactory(cooperative=second, agency=world.agency)
    shared = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="SHARED-1")
    shared.available_to.add(second)
    own = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="OWN-1")
    helpers.version(world.coop)  # world.coop: not signed -> blocks; Gamma: no agreement -> fine
    blocks = selectors.agreement_checkout_blocks(agency=world.agency, contract_ids={shared.pk, own.pk})
    assert set(blocks) == {own.pk}
    helpers.version(second, label="G-1")  # now Gamma asks too: both block
    blocks = selectors.agreement_checkout_blocks(agency=world.agency, contract_ids={shared.pk, own.pk})
    assert set(blocks) == {own.pk, shared.pk}


def test_status_map_costs_the_same_for_one_and_many_coops(world, django_assert_num_queries):
    coops = [OrganizationFactory(kind="cooperative") for _ in range(5)]
    for coop in coops:
        CoopMembershipFactory(cooperative=coop, agency=world.agency)
        helpers.acceptance(world.agency, helpers.version(coop), by=world.agency_admin)
    with django_assert_num_queries(2):
        statuses = selectors.agreement_status_map(agency=world.agency, cooperatives=coops)
    assert {s.state for s in statuses.values()} == {"signed"}
