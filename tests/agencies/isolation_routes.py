"""Agency set-up routes in the isolation matrix (tests/core/test_isolation.py).

Set-up pages and API are for agency admins (the requester is refused with 403); a member's own defaults and the
certificate download are for any member. Objects named in `extra` belong to world.agency; each `_other_<thing>`
builder returns the URL kwargs of the same kind of object owned by world.other_agency (for the object-level
probe: another agency's object through your own agency's URL must answer 404). The forbidden and 404 answers
for every object route are also tested directly in tests/agencies/test_setup_tenancy.py.
"""

from __future__ import annotations

from agencies.models import ApprovalRule, Department, Facility, FundCode, MemberDefaults, TaxExemptionCertificate
from marketplace.core.roles import OrgKind
from tests.isolation import Probe

AGENCY = OrgKind.AGENCY
ADMIN = frozenset({"agency_admin"})

DEPARTMENT, FACILITY, FUND_CODE, RULE, CERTIFICATE = (
    "Probe Public Works",
    "Probe Depot 7",
    "PROBE-FC-1",
    "Probe rule from 777",
    "PROBE-CERT-9",
)
MEMBER_NAME = "Probe Requester Person"


def _cached(world, key, make):
    if not hasattr(world, key):
        setattr(world, key, make())
    return getattr(world, key)


def _certificate_row(agency, number):
    return TaxExemptionCertificate.objects.create(
        agency=agency,
        state="FL",
        number=number,
        file=f"tax-certificates/{agency.pk}/probe.pdf",
        original_name="probe-certificate.pdf",
        sha256="0" * 64,
        page_count=1,
        size_bytes=1,
    )


# --- objects of world.agency ---


def _department(world):
    row = _cached(world, "probe_department", lambda: Department.objects.create(agency=world.agency, name=DEPARTMENT))
    return {"department_id": row.pk}


def _facility(world):
    row = _cached(
        world,
        "probe_facility",
        lambda: Facility.objects.create(
            agency=world.agency, name=FACILITY, address="7 Depot Rd", city="Alpha", state="FL", postal_code="32801"
        ),
    )
    return {"facility_id": row.pk}


def _fund_code(world):
    row = _cached(world, "probe_fund_code", lambda: FundCode.objects.create(agency=world.agency, code=FUND_CODE))
    return {"fund_code_id": row.pk}


def _rule(world):
    row = _cached(
        world,
        "probe_rule",
        lambda: ApprovalRule.objects.create(agency=world.agency, name=RULE, min_amount="777.00", approvals_required=1),
    )
    return {"rule_id": row.pk}


def _certificate(world):
    row = _cached(world, "probe_certificate", lambda: _certificate_row(world.agency, CERTIFICATE))
    return {"certificate_id": row.pk}


def _member(world):
    """The requester, with a name the page shows and a default facility the API shows."""
    if not hasattr(world, "probe_member"):
        world.requester.full_name = MEMBER_NAME
        world.requester.save(update_fields=["full_name"])
        _facility(world)
        MemberDefaults.objects.create(agency=world.agency, user=world.requester, facility=world.probe_facility)
        world.probe_member = world.requester
    return {"user_id": world.probe_member.pk}


def _my_defaults(world):
    """The allowed member's (the agency admin's) own defaults, naming the probe facility."""
    _facility(world)
    _cached(
        world,
        "probe_my_defaults",
        lambda: MemberDefaults.objects.create(
            agency=world.agency, user=world.agency_admin, facility=world.probe_facility
        ),
    )
    return {}


# --- the same kinds of object, owned by world.other_agency ---


def _other_department(world):
    row = _cached(
        world, "other_department", lambda: Department.objects.create(agency=world.other_agency, name="Other Works")
    )
    return {"department_id": row.pk}


def _other_facility(world):
    row = _cached(
        world,
        "other_facility",
        lambda: Facility.objects.create(
            agency=world.other_agency,
            name="Other Depot",
            address="1 Beta Rd",
            city="Beta",
            state="GA",
            postal_code="30301",
        ),
    )
    return {"facility_id": row.pk}


def _other_fund_code(world):
    row = _cached(world, "other_fund_code", lambda: FundCode.objects.create(agency=world.other_agency, code="OTHER-FC"))
    return {"fund_code_id": row.pk}


def _other_rule(world):
    row = _cached(
        world,
        "other_rule",
        lambda: ApprovalRule.objects.create(agency=world.other_agency, name="Other rule", min_amount="10.00"),
    )
    return {"rule_id": row.pk}


def _other_certificate(world):
    row = _cached(world, "other_certificate", lambda: _certificate_row(world.other_agency, "OTHER-CERT"))
    return {"certificate_id": row.pk}


def _other_member(world):
    return {"user_id": world.other_requester.pk}


# --- what refused requests must not change ---


def _state(world):
    return (
        tuple(Department.objects.values_list("pk", "name", "is_active").order_by("pk")),
        tuple(Facility.objects.values_list("pk", "name", "is_active").order_by("pk")),
        tuple(FundCode.objects.values_list("pk", "code", "is_active").order_by("pk")),
        tuple(ApprovalRule.objects.values_list("pk", "min_amount", "is_active").order_by("pk")),
        tuple(TaxExemptionCertificate.objects.values_list("pk", "removed_at").order_by("pk")),
        tuple(MemberDefaults.objects.values_list("pk", "facility_id", "fund_code_id").order_by("pk")),
    )


# each object builder of world.agency -> the builder of the same kind of object of world.other_agency
OTHER = {
    _department: _other_department,
    _facility: _other_facility,
    _fund_code: _other_fund_code,
    _rule: _other_rule,
    _certificate: _other_certificate,
    _member: _other_member,
}


def _page(extra, shows, **kwargs):
    return Probe(AGENCY, ADMIN, extra=extra, other_extra=OTHER[extra], shows=lambda w: shows, **kwargs)


def _list(build, shows, **kwargs):
    return Probe(AGENCY, ADMIN, extra=lambda w: (build(w), {})[1], shows=lambda w: shows, **kwargs)


def _toggle(build):
    return Probe(
        AGENCY,
        ADMIN,
        method="post",
        data={"active": "0"},
        extra=build,
        other_extra=OTHER[build],
        ok=(302,),
        snapshot=_state,
        shows=None,
    )


MATRIX: dict[str, Probe] = {
    "agency-setup": Probe(AGENCY, ADMIN, shows=lambda w: "Ordering set-up"),
    "agency-setup-departments": _list(_department, DEPARTMENT),
    "agency-setup-department-new": Probe(AGENCY, ADMIN, shows=lambda w: "e.g. Public Works, Fire Rescue."),
    "agency-setup-department-edit": _page(_department, DEPARTMENT),
    "agency-setup-department-active": _toggle(_department),
    "agency-setup-facilities": _list(_facility, FACILITY),
    "agency-setup-facility-new": Probe(AGENCY, ADMIN, shows=lambda w: "e.g. Fire Station 3, Central Warehouse."),
    "agency-setup-facility-edit": _page(_facility, FACILITY),
    "agency-setup-facility-active": _toggle(_facility),
    "agency-setup-fund-codes": _list(_fund_code, FUND_CODE),
    "agency-setup-fund-code-new": Probe(AGENCY, ADMIN, shows=lambda w: "The fund / GL account string"),
    "agency-setup-fund-code-edit": _page(_fund_code, FUND_CODE),
    "agency-setup-fund-code-active": _toggle(_fund_code),
    "agency-setup-approval-rules": _list(_rule, RULE),
    "agency-setup-approval-rule-new": Probe(AGENCY, ADMIN, shows=lambda w: "e.g. Department head over $2,500."),
    "agency-setup-approval-rule-edit": _page(_rule, RULE),
    "agency-setup-approval-rule-active": _toggle(_rule),
    "agency-setup-tax-certificates": _list(_certificate, CERTIFICATE),
    "agency-setup-tax-certificate-withdraw": Probe(
        AGENCY,
        ADMIN,
        method="post",
        extra=_certificate,
        other_extra=_other_certificate,
        ok=(302,),
        snapshot=_state,
        shows=None,
    ),
    # a binary download for any member: the tenancy gate is probed with OPTIONS (test_setup_pages.py downloads it)
    "agency-setup-tax-certificate-download": Probe(
        AGENCY, method="options", extra=_certificate, other_extra=_other_certificate, shows=None
    ),
    "agency-setup-members": _list(_member, MEMBER_NAME),
    "agency-setup-member-defaults": _page(_member, MEMBER_NAME),
    "agency-my-defaults": Probe(AGENCY, shows=lambda w: "Where your orders usually ship"),
    "api-agency-departments": _list(_department, DEPARTMENT, api=True),
    "api-agency-department": _page(_department, DEPARTMENT, api=True),
    "api-agency-facilities": _list(_facility, FACILITY, api=True),
    "api-agency-facility": _page(_facility, FACILITY, api=True),
    "api-agency-fund-codes": _list(_fund_code, FUND_CODE, api=True),
    "api-agency-fund-code": _page(_fund_code, FUND_CODE, api=True),
    "api-agency-approval-rules": _list(_rule, RULE, api=True),
    "api-agency-approval-rule": _page(_rule, RULE, api=True),
    "api-agency-tax-certificates": _list(_certificate, CERTIFICATE, api=True),
    "api-agency-tax-certificate-withdraw": Probe(
        AGENCY,
        ADMIN,
        api=True,
        method="post",
        extra=_certificate,
        other_extra=_other_certificate,
        snapshot=_state,
        shows=None,
    ),
    "api-agency-member-defaults": _page(_member, FACILITY, api=True),
    "api-agency-my-defaults": Probe(
        AGENCY, api=True, extra=lambda w: (_my_defaults(w), {})[1], shows=lambda w: FACILITY
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {}
