"""Agency set-up services: each write validates, saves, and audits what changed; each refusal names the field
and changes nothing. Also the approval ladder in words and the certificate checkout will use."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from agencies.models import ApprovalRule, Department, Facility, FundCode, MemberDefaults, TaxExemptionCertificate
from agencies.setup import selectors, services
from contracts.models import Category
from marketplace.core.errors import ApplicationError
from marketplace.core.models import AuditEvent
from tests.factories import FacilityFactory
from tests.orders.factories import ApprovalRuleFactory, DepartmentFactory, FundCodeFactory

pytestmark = pytest.mark.django_db


def _refused(fn, field, message, **kwargs):
    with pytest.raises(ApplicationError) as info:
        fn(**kwargs)
    assert message in " ".join(info.value.fields.get(field, [info.value.message])), info.value.fields
    return info.value


# --- departments ---


def test_department_create_update_deactivate_are_audited(world):
    department = services.department_create(
        agency=world.agency, actor=world.agency_admin, data={"name": "  Public Works ", "code": "PW"}
    )
    assert (department.name, department.code, department.is_active) == ("Public Works", "PW", True)
    services.department_update(department=department, actor=world.agency_admin, data={"name": "Public Works Dept"})
    services.department_set_active(department=department, actor=world.agency_admin, active=False)
    services.department_set_active(department=department, actor=world.agency_admin, active=True)
    events = list(AuditEvent.objects.filter(action__startswith="agency.department.").order_by("pk"))
    assert [e.action for e in events] == [
        "agency.department.created",
        "agency.department.updated",
        "agency.department.deactivated",
        "agency.department.reactivated",
    ]
    assert events[1].before == {"name": "Public Works"} and events[1].after == {"name": "Public Works Dept"}
    assert all(e.organization == world.agency for e in events)


def test_department_update_without_change_records_nothing(world):
    department = DepartmentFactory(agency=world.agency, name="Fire")
    services.department_update(department=department, actor=world.agency_admin, data={"name": "Fire"})
    assert not AuditEvent.objects.filter(action="agency.department.updated").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the name"),
        ({"name": "x" * 10_000}, "name", "at most 150 characters"),
        ({"name": "Roads", "code": "c" * 21}, "code", "at most 20 characters"),
        ({"name": "public works"}, "name", "already a department named"),
    ],
)
def test_department_refusals_change_nothing(world, data, field, message):
    DepartmentFactory(agency=world.agency, name="Public Works")
    before = list(Department.objects.values_list("pk", "name"))
    _refused(services.department_create, field, message, agency=world.agency, actor=world.agency_admin, data=data)
    assert list(Department.objects.values_list("pk", "name")) == before
    assert not AuditEvent.objects.filter(action__startswith="agency.department.").exists()


def test_same_department_name_in_another_agency_is_fine(world):
    DepartmentFactory(agency=world.other_agency, name="Public Works")
    services.department_create(agency=world.agency, actor=world.agency_admin, data={"name": "Public Works"})
    assert Department.objects.filter(name="Public Works").count() == 2


# --- facilities ---

FACILITY = {
    "name": "Fire Station 3",
    "address": "300 Oak Ave",
    "city": "Alpha",
    "state": "fl",
    "postal_code": "32801",
    "contact_name": "Sam Lee",
    "contact_phone": "407-555-0100",
    "delivery_notes": "Bay door 2, 7am–3pm",
    "latitude": "28.538336",
    "longitude": "-81.379234",
}


def test_facility_create_and_update(world):
    facility = services.facility_create(agency=world.agency, actor=world.agency_admin, data=FACILITY)
    assert facility.state == "FL" and facility.latitude == Decimal("28.538336")
    services.facility_update(
        facility=facility, actor=world.agency_admin, data={"delivery_notes": "Gate code 1234", "latitude": "28.5"}
    )
    facility.refresh_from_db()
    assert facility.delivery_notes == "Gate code 1234" and facility.latitude == Decimal("28.5")
    event = AuditEvent.objects.get(action="agency.facility.updated")
    assert event.before == {"delivery_notes": "Bay door 2, 7am–3pm", "latitude": "28.538336"}
    assert event.after == {"delivery_notes": "Gate code 1234", "latitude": "28.500000"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "90.000001"}, "latitude", "between −90 and 90"),
        ({"latitude": "-91"}, "latitude", "between −90 and 90"),
        ({"longitude": "180.5"}, "longitude", "between −180 and 180"),
        ({"longitude": "-181"}, "longitude", "between −180 and 180"),
        ({"latitude": "abc"}, "latitude", "must be a number"),
        ({"latitude": "NaN"}, "latitude", "must be a number"),
        ({"latitude": "Infinity"}, "latitude", "must be a number"),
        ({"latitude": "28.1234567"}, "latitude", "at most 6 decimal places"),
        ({"longitude": None}, "longitude", "both latitude and longitude"),
        ({"state": "XX"}, "state", "U.S. state"),
        ({"postal_code": "ABCDE"}, "postal_code", "5-digit ZIP"),
        ({"name": ""}, "name", "Enter the name"),
        ({"address": "a" * 10_000}, "address", "at most 200 characters"),
        ({"delivery_notes": "n" * 10_000}, "delivery_notes", "at most 2000 characters"),
    ],
)
def test_facility_refusals_change_nothing(world, changes, field, message):
    _refused(
        services.facility_create,
        field,
        message,
        agency=world.agency,
        actor=world.agency_admin,
        data={**FACILITY, **changes},
    )
    assert not Facility.objects.exists()
    assert not AuditEvent.objects.exists()


def test_facility_duplicate_name_refused(world):
    FacilityFactory(agency=world.agency, name="Fire Station 3")
    _refused(
        services.facility_create,
        "name",
        "already a facility named",
        agency=world.agency,
        actor=world.agency_admin,
        data=FACILITY,
    )
    assert Facility.objects.count() == 1


def test_database_refuses_out_of_range_coordinates(world):
    facility = FacilityFactory(agency=world.agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        Facility.objects.filter(pk=facility.pk).update(latitude=Decimal("95"), longitude=Decimal("0"))


def test_deactivating_a_facility_clears_it_as_a_default(world):
    facility = FacilityFactory(agency=world.agency)
    MemberDefaults.objects.create(agency=world.agency, user=world.requester, facility=facility)
    services.facility_set_active(facility=facility, actor=world.agency_admin, active=False)
    assert MemberDefaults.objects.get(user=world.requester).facility is None
    event = AuditEvent.objects.get(action="agency.facility.deactivated")
    assert event.after == {"is_active": False, "defaults_cleared": 1}


# --- fund codes ---


def test_fund_code_with_department_of_same_agency(world):
    department = DepartmentFactory(agency=world.agency, name="Fire")
    code = services.fund_code_create(
        agency=world.agency,
        actor=world.agency_admin,
        data={"code": "001-2100-5230", "description": "Fire supplies", "department": department.pk},
    )
    assert code.department == department
    assert AuditEvent.objects.get(action="agency.fund_code.created").after["department"] == "Fire"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": ""}, "code", "Enter the code"),
        ({"code": "c" * 10_000}, "code", "at most 40 characters"),
        ({"code": "gf-100"}, "code", "already a fund code"),
        ({"code": "X", "department": "other"}, "department", "Choose a department of this agency"),
        ({"code": "X", "department": "inactive"}, "department", "is inactive"),
        ({"code": "X", "department": "abc"}, "department", "Choose a department of this agency"),
    ],
)
def test_fund_code_refusals_change_nothing(world, data, field, message):
    FundCodeFactory(agency=world.agency, code="GF-100")
    other = DepartmentFactory(agency=world.other_agency)
    inactive = DepartmentFactory(agency=world.agency, is_active=False)
    data = {**data}
    if data.get("department") == "other":
        data["department"] = other.pk
    elif data.get("department") == "inactive":
        data["department"] = inactive.pk
    before = list(FundCode.objects.values_list("pk", "code"))
    _refused(services.fund_code_create, field, message, agency=world.agency, actor=world.agency_admin, data=data)
    assert list(FundCode.objects.values_list("pk", "code")) == before


def test_fund_code_keeps_its_department_after_that_department_is_deactivated(world):
    department = DepartmentFactory(agency=world.agency)
    code = FundCodeFactory(agency=world.agency, department=department)
    department.is_active = False
    department.save()
    services.fund_code_update(fund_code=code, actor=world.agency_admin, data={"description": "Renamed"})
    code.refresh_from_db()
    assert code.department == department and code.description == "Renamed"


def test_deactivating_a_fund_code_clears_it_as_a_default(world):
    code = FundCodeFactory(agency=world.agency)
    MemberDefaults.objects.create(agency=world.agency, user=world.requester, fund_code=code)
    services.fund_code_set_active(fund_code=code, actor=world.agency_admin, active=False)
    assert MemberDefaults.objects.get(user=world.requester).fund_code is None


# --- approval rules ---


def _rule(world, **data):
    base = {"name": "Rule", "min_amount": "0", "approvals_required": 1, "approver_role": "approver"}
    return services.approval_rule_create(agency=world.agency, actor=world.agency_admin, data={**base, **data})


def test_rules_make_a_readable_ladder(world):
    _rule(world, name="Small", min_amount="0", approvals_required=0)
    _rule(world, name="Medium", min_amount="2500", approvals_required=1)
    _rule(world, name="Large", min_amount="25000.00", approvals_required=2, approver_role="agency_admin")
    _rule(world, name="Emergency", min_amount="0", approvals_required=1, is_emergency=True)
    category = Category.objects.get(slug="led-lamps")
    _rule(world, name="Lamps", min_amount="1000", approvals_required=1, category=category.pk)
    ladder = selectors.approval_ladder(agency=world.agency)
    assert ladder.text == (
        "From $0.00: approved at once; from $2,500.00: 1 approver; from $25,000.00: 2 approvers (agency admin)"
    )
    assert ladder.emergency == "Declared emergencies from $0.00: 1 approver"
    assert ladder.category == [f"{category.path} from $1,000.00: 1 approver"]


def test_ladder_without_a_zero_rule_says_smaller_orders_are_approved_at_once(world):
    _rule(world, min_amount="5000", approvals_required=1)
    assert selectors.approval_ladder(agency=world.agency).text == (
        "Under $5,000.00: approved at once; from $5,000.00: 1 approver"
    )
    assert selectors.approval_ladder(agency=world.other_agency).text == "Every amount: approved at once"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"min_amount": "-1"}, "min_amount", "between $0.00 and"),
        ({"min_amount": "abc"}, "min_amount", "must be a number"),
        ({"min_amount": "1.005"}, "min_amount", "at most 2 decimal places"),
        ({"min_amount": "1e20"}, "min_amount", "between $0.00 and"),
        ({"min_amount": ""}, "min_amount", "Enter the amount"),
        ({"approvals_required": 6}, "approvals_required", "from 0 to 5"),
        ({"approvals_required": -1}, "approvals_required", "from 0 to 5"),
        ({"approvals_required": "two"}, "approvals_required", "whole number"),
        ({"approver_role": "supplier_admin"}, "approver_role", "agency roles"),
        ({"approver_role": "coop_admin"}, "approver_role", "agency roles"),
        ({"category": 999999}, "category", "Choose a category"),
        ({"name": "n" * 10_000}, "name", "at most 150 characters"),
        ({"min_amount": "100.00"}, "min_amount", "already starts at $100.00"),
        ({"is_emergency": True, "min_amount": "5"}, "is_emergency", "already the active emergency rule"),
    ],
)
def test_rule_refusals_change_nothing(world, data, field, message):
    ApprovalRuleFactory(agency=world.agency, name="Existing", min_amount=Decimal("100.00"))
    ApprovalRuleFactory(agency=world.agency, name="Storm", min_amount=Decimal("0"), is_emergency=True)
    before = list(ApprovalRule.objects.values_list("pk", "min_amount", "is_active"))
    _refused(_rule, field, message, world=world, **data)
    assert list(ApprovalRule.objects.values_list("pk", "min_amount", "is_active")) == before
    assert not AuditEvent.objects.exists()


def test_an_inactive_rule_does_not_block_its_threshold_and_cannot_be_reactivated_over_a_clash(world):
    old = ApprovalRuleFactory(agency=world.agency, min_amount=Decimal("100.00"), is_active=False)
    _rule(world, name="New", min_amount="100.00")
    with pytest.raises(ApplicationError) as info:
        services.approval_rule_set_active(rule=old, actor=world.agency_admin, active=True)
    assert info.value.status_code == 409 and "already starts at $100.00" in info.value.message
    old.refresh_from_db()
    assert not old.is_active


def test_database_allows_one_active_emergency_rule_only(world):
    ApprovalRuleFactory(agency=world.agency, is_emergency=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRuleFactory(agency=world.agency, is_emergency=True, min_amount=Decimal("5"))


def test_rule_edit_and_deactivate_are_audited(world):
    rule = _rule(world, name="Medium", min_amount="2500")
    services.approval_rule_update(rule=rule, actor=world.agency_admin, data={"approvals_required": 2})
    services.approval_rule_set_active(rule=rule, actor=world.agency_admin, active=False)
    updated = AuditEvent.objects.get(action="agency.approval_rule.updated")
    assert updated.before == {"approvals_required": 1} and updated.after == {"approvals_required": 2}
    assert AuditEvent.objects.filter(action="agency.approval_rule.deactivated").count() == 1


# --- tax certificates (upload refusals: test_setup_pages.py and test_setup_api.py) ---


def _certificate(agency, *, state="FL", expires_on=None, removed=False, number="C-1"):
    from django.utils import timezone

    return TaxExemptionCertificate.objects.create(
        agency=agency,
        state=state,
        number=number,
        expires_on=expires_on,
        file="tax-certificates/x.pdf",
        sha256="0" * 64,
        removed_at=timezone.now() if removed else None,
    )


def test_valid_tax_certificate_picks_the_longest_lasting_unwithdrawn_one(world):
    today = date(2026, 12, 1)
    _certificate(world.agency, expires_on=today - timedelta(days=1), number="EXPIRED")
    _certificate(world.agency, expires_on=today + timedelta(days=400), number="WITHDRAWN", removed=True)
    _certificate(world.agency, expires_on=today, number="LAST-DAY")
    _certificate(world.agency, expires_on=today + timedelta(days=30), number="LATER")
    _certificate(world.agency, state="GA", number="GEORGIA")
    _certificate(world.other_agency, number="OTHER", expires_on=today + timedelta(days=900))
    assert selectors.valid_tax_certificate(agency=world.agency, state="FL", on_date=today).number == "LATER"
    assert selectors.valid_tax_certificate(agency=world.agency, state="fl", on_date=today + timedelta(days=31)) is None
    assert selectors.valid_tax_certificate(agency=world.agency, state="GA", on_date=today).number == "GEORGIA"
    assert selectors.valid_tax_certificate(agency=world.agency, state="AL", on_date=today) is None


def test_withdraw_twice_is_refused(world):
    certificate = _certificate(world.agency)
    services.tax_certificate_withdraw(certificate=certificate, actor=world.agency_admin)
    with pytest.raises(ApplicationError) as info:
        services.tax_certificate_withdraw(certificate=certificate, actor=world.agency_admin)
    assert info.value.code == "already_withdrawn" and info.value.status_code == 409
    assert AuditEvent.objects.filter(action="agency.tax_certificate.withdrawn").count() == 1
    assert TaxExemptionCertificate.objects.filter(pk=certificate.pk).exists()


# --- member defaults ---


def test_member_sets_own_defaults_and_admin_sets_anyones(world):
    facility = FacilityFactory(agency=world.agency)
    code = FundCodeFactory(agency=world.agency)
    services.member_defaults_set(agency=world.agency, actor=world.requester, user=world.requester, facility=facility.pk)
    services.member_defaults_set(
        agency=world.agency, actor=world.agency_admin, user=world.requester, facility=facility.pk, fund_code=code.pk
    )
    defaults = selectors.member_defaults_get(agency=world.agency, user=world.requester)
    assert (defaults.facility, defaults.fund_code) == (facility, code)
    events = list(AuditEvent.objects.filter(action="agency.member_defaults.updated").order_by("pk"))
    assert events[1].before == {"member": world.requester.email, "fund_code": None}
    assert events[1].after == {"member": world.requester.email, "fund_code": code.code}
    assert events[1].object_repr == f"Ordering defaults of {world.requester}"


def test_member_cannot_set_someone_elses_defaults(world):
    with pytest.raises(ApplicationError) as info:
        services.member_defaults_set(agency=world.agency, actor=world.requester, user=world.agency_admin)
    assert info.value.status_code == 403
    assert not MemberDefaults.objects.exists()


@pytest.mark.parametrize("which", ["other_facility", "inactive_facility", "other_fund_code", "inactive_fund_code"])
def test_defaults_refuse_other_agency_or_inactive_rows(world, which):
    rows = {
        "other_facility": ("facility", FacilityFactory(agency=world.other_agency).pk, "of this agency"),
        "inactive_facility": ("facility", FacilityFactory(agency=world.agency, is_active=False).pk, "inactive"),
        "other_fund_code": ("fund_code", FundCodeFactory(agency=world.other_agency).pk, "of this agency"),
        "inactive_fund_code": ("fund_code", FundCodeFactory(agency=world.agency, is_active=False).pk, "inactive"),
    }
    field, pk, message = rows[which]
    _refused(
        services.member_defaults_set,
        field,
        message,
        agency=world.agency,
        actor=world.requester,
        user=world.requester,
        **{field: pk},
    )
    assert not MemberDefaults.objects.exists()


def test_defaults_of_a_non_member_are_refused(world):
    with pytest.raises(ApplicationError) as info:
        services.member_defaults_set(agency=world.agency, actor=world.agency_admin, user=world.other_requester)
    assert info.value.status_code == 404


def test_member_defaults_get_ignores_an_inactive_default(world):
    facility = FacilityFactory(agency=world.agency)
    MemberDefaults.objects.create(agency=world.agency, user=world.requester, facility=facility)
    Facility.objects.filter(pk=facility.pk).update(is_active=False)
    assert selectors.member_defaults_get(agency=world.agency, user=world.requester).facility is None
    assert selectors.member_defaults_get(agency=world.agency, user=world.agency_admin).pk is None
