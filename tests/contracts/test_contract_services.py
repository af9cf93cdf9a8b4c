"""Contract create / edit / lifecycle rules (services, on the real database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from contracts.models import Contract, ContractStatus
from contracts.services.contracts import (
    contract_create,
    contract_publish_problems,
    contract_transition,
    contract_update,
)
from contracts.services.documents import contract_document_upload
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent, Notification
from tests.contracts.conftest import contract_data, make_pdf, upload
from tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def _refused(world, **overrides) -> ApplicationError:
    before = Contract.objects.count()
    with pytest.raises(ApplicationError) as info:
        contract_create(cooperative=world.coop, actor=world.coop_staff, data=contract_data(world, **overrides))
    assert Contract.objects.count() == before
    return info.value


def test_create_makes_an_audited_draft_with_slug_and_owning_coop_available(world):
    contract = contract_create(
        cooperative=world.coop, actor=world.coop_staff, data=contract_data(world, available_to=[world.other_coop])
    )
    assert contract.status == ContractStatus.DRAFT
    assert contract.slug == "cm-2026-001"
    assert set(contract.available_to.all()) == {world.coop, world.other_coop}
    event = AuditEvent.objects.get(action="contract.created")
    assert event.organization == world.coop and event.after["number"] == "CM-2026-001"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": ""}, "number", "Enter the contract number"),
        ({"term_end": date(2025, 12, 31)}, "term_end", "on or after the day it starts"),
        ({"solicitation_closed_on": date(2025, 8, 1)}, "solicitation_closed_on", "on or after the day it was issued"),
        ({"award_date": date(2025, 10, 1)}, "award_date", "before the solicitation closed"),
        ({"award_date": date(2030, 6, 1)}, "award_date", "on or before the end of the term"),
        ({"award_date": date(1980, 1, 1)}, "award_date", "must be after"),
        ({"min_discount_percent": None}, "min_discount_percent", "Enter the minimum discount"),
        ({"min_discount_percent": Decimal("101")}, "min_discount_percent", "between 0 and 100"),
        ({"admin_fee_percent": Decimal("11")}, "admin_fee_percent", "between 0 and 10 percent"),
        ({"admin_fee_percent": Decimal("-1")}, "admin_fee_percent", "between 0 and 10 percent"),
        ({"states": ["FL", "XX", "ZZ"]}, "states", "Unknown state codes: XX, ZZ"),
        ({"number": "New"}, "number", "reserved"),
    ],
)
def test_create_refuses_bad_input_with_a_clear_message(world, overrides, field, message):
    error = _refused(world, **overrides)
    assert error.code == "invalid"
    assert message in " ".join(error.fields[field])


def test_number_must_be_unique(world, draft):
    error = _refused(world, number="cm-2026-001")
    assert "already in use" in error.fields["number"][0]


def test_supplier_must_be_verified_or_vetted_by_the_coop(world):
    unverified = SupplierFactory(vetting_status="submitted").organization
    error = _refused(world, supplier=unverified)
    assert "is not verified and not being vetted by your co-op" in error.fields["supplier"][0]


@pytest.mark.parametrize("status", ["invited", "submitted"])
def test_a_supplier_the_coop_is_vetting_may_hold_a_draft_but_not_be_published(world, status):
    vetting = SupplierFactory(vetting_status=status, cooperative=world.coop).organization

    contract = contract_create(
        cooperative=world.coop, actor=world.coop_staff, data=contract_data(world, supplier=vetting)
    )

    assert contract.status == "draft" and contract.supplier == vetting
    assert "a verified supplier" in contract_publish_problems(contract)


def test_another_coops_supplier_under_vetting_cannot_hold_our_contract(world):
    theirs = SupplierFactory(vetting_status="submitted", cooperative=world.other_coop).organization
    error = _refused(world, supplier=theirs)
    assert "is not verified and not being vetted by your co-op" in error.fields["supplier"][0]


def test_fixed_price_contract_drops_the_discount_floor(world):
    contract = contract_create(
        cooperative=world.coop, actor=world.coop_staff, data=contract_data(world, pricing_basis="fixed")
    )
    assert contract.min_discount_percent is None


def test_admin_fee_is_given_as_a_percent_and_stored_as_a_fraction(world, draft):
    assert draft.admin_fee_rate == Decimal("0.0200")  # contract_data gives admin_fee_percent=2

    contract_update(contract=draft, actor=world.coop_staff, data={"admin_fee_percent": Decimal("2.5")})
    draft.refresh_from_db()
    assert draft.admin_fee_rate == Decimal("0.0250")

    contract_update(contract=draft, actor=world.coop_staff, data={"title": "Fee untouched"})
    draft.refresh_from_db()
    assert draft.admin_fee_rate == Decimal("0.0250")
    event = AuditEvent.objects.filter(action="contract.updated").latest("id")
    assert event.after == {"title": "Fee untouched"}


def test_update_audits_only_changed_fields_and_keeps_number_after_publish(world, draft):
    contract_update(contract=draft, actor=world.coop_staff, data={"title": "New title", "states": ["fl"]})
    event = AuditEvent.objects.get(action="contract.updated")
    assert event.before == {"title": "Batteries, power and lighting", "states": ["FL", "GA"]}
    assert event.after == {"title": "New title", "states": ["FL"]}

    _publishable(world, draft)
    contract_transition(contract=draft, to="active", actor=world.coop_staff)
    with pytest.raises(ApplicationError) as info:
        contract_update(contract=draft, actor=world.coop_staff, data={"number": "CM-OTHER"})
    assert "cannot change" in info.value.fields["number"][0]
    draft.refresh_from_db()
    assert draft.number == "CM-2026-001"


def _publishable(world, contract):
    contract_document_upload(
        contract=contract, actor=world.coop_staff, kind="signed_contract", title="Signed", file=upload(make_pdf())
    )


def test_publish_says_what_is_missing_and_changes_nothing(world):
    contract = contract_create(
        cooperative=world.coop,
        actor=world.coop_staff,
        data=contract_data(world, evaluation_summary="", award_date=None, solicitation_number=""),
    )
    with pytest.raises(ApplicationError) as info:
        contract_transition(contract=contract, to="active", actor=world.coop_staff)
    assert info.value.code == "not_ready"
    for missing in ("the solicitation number", "the evaluation summary", "the award date", "a signed contract"):
        assert missing in info.value.message
    contract.refresh_from_db()
    assert contract.status == "draft"
    assert not AuditEvent.objects.filter(action="contract.published").exists()


def test_publish_audits_and_notifies_supplier_users_and_coop_staff(world, draft):
    _publishable(world, draft)
    contract_transition(contract=draft, to="active", actor=world.coop_staff)
    draft.refresh_from_db()
    assert draft.status == "active"
    event = AuditEvent.objects.get(action="contract.published")
    assert (event.before, event.after, event.actor) == ({"status": "draft"}, {"status": "active"}, world.coop_staff)
    notified = set(Notification.objects.values_list("user__email", flat=True))
    # the supplier's users and the co-op's other staff; not the person who published, nobody else
    assert notified == {world.catalog_manager.email, world.supplier_admin.email, world.coop_admin.email}


@pytest.mark.parametrize(
    ("start", "to", "code"),
    [
        ("draft", "terminated", "invalid_transition"),
        ("draft", "expired", "invalid_transition"),
        ("active", "draft", "invalid_transition"),
        ("terminated", "active", "invalid_transition"),
        ("expired", "active", "invalid_transition"),
        ("active", "expired", "invalid_transition"),  # people cannot expire a contract; the sweep does
        ("active", "bogus", "invalid"),
    ],
)
def test_illegal_moves_are_refused(world, draft, start, to, code):
    Contract.objects.filter(pk=draft.pk).update(status=start)
    with pytest.raises(ApplicationError) as info:
        contract_transition(contract=draft, to=to, actor=world.coop_staff)
    assert info.value.code == code
    draft.refresh_from_db()
    assert draft.status == start


def test_terminate_requires_a_reason(world, draft):
    Contract.objects.filter(pk=draft.pk).update(status="active")
    with pytest.raises(ApplicationError) as info:
        contract_transition(contract=draft, to="terminated", actor=world.coop_staff, reason="  ")
    assert "reason" in info.value.fields
    contract_transition(contract=draft, to="terminated", actor=world.coop_staff, reason="Supplier in breach")
    draft.refresh_from_db()
    assert draft.status == "terminated"
    assert AuditEvent.objects.get(action="contract.terminated").after == {
        "status": "terminated",
        "reason": "Supplier in breach",
    }


def test_a_contract_whose_term_ended_cannot_be_published(world, draft):
    _publishable(world, draft)
    today = organization_today(world.coop)
    Contract.objects.filter(pk=draft.pk).update(
        term_start=today - timedelta(days=400), term_end=today - timedelta(days=1)
    )
    with pytest.raises(ApplicationError) as info:
        contract_transition(contract=draft, to="active", actor=world.coop_staff)
    assert "a term that has not ended" in info.value.message


def test_closed_contracts_cannot_be_edited(world, draft):
    Contract.objects.filter(pk=draft.pk).update(status="terminated")
    with pytest.raises(ApplicationError) as info:
        contract_update(contract=draft, actor=world.coop_staff, data={"title": "x"})
    assert info.value.code == "contract_closed"
