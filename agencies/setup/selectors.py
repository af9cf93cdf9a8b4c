"""Agency set-up reads, always scoped to the agency from the URL (`.for_organization(agency)`): lists for the
set-up pages and API, single rows (404 when missing or another agency's), the approval ladder in words, the
valid tax certificate for a state (checkout) and a member's ordering defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from agencies.models import ApprovalRule, Department, Facility, FundCode, MemberDefaults, TaxExemptionCertificate
from contracts.models import Category
from marketplace.core.models import Membership, Organization, User
from marketplace.core.roles import ROLES_BY_KIND, OrgKind, Role
from marketplace.core.selectors import organization_users

# --- departments, facilities, fund codes -----------------------------------------------------------------


def department_list(*, agency: Organization) -> QuerySet[Department]:
    """Every department (active first), with how many active fund codes it has."""
    return (
        Department.objects.for_organization(agency)
        .annotate(fund_code_count=Count("fund_codes", filter=Q(fund_codes__is_active=True)))
        .order_by("-is_active", "name", "pk")
    )


def department_get(*, agency: Organization, department_id: int) -> Department:
    return get_object_or_404(Department.objects.for_organization(agency).select_related("agency"), pk=department_id)


def department_choices(*, agency: Organization, keep_id: int | None = None) -> QuerySet[Department]:
    """Active departments (and `keep_id`, the one already chosen, even if inactive since)."""
    return Department.objects.for_organization(agency).filter(Q(is_active=True) | Q(pk=keep_id)).order_by("name")


def facility_list(*, agency: Organization) -> QuerySet[Facility]:
    """Every facility (active first), for the set-up pages; ordering pages use the active ones only."""
    return Facility.objects.for_organization(agency).order_by("-is_active", "name", "pk")


def facility_get(*, agency: Organization, facility_id: int) -> Facility:
    return get_object_or_404(Facility.objects.for_organization(agency).select_related("agency"), pk=facility_id)


def fund_code_list(*, agency: Organization) -> QuerySet[FundCode]:
    return FundCode.objects.for_organization(agency).select_related("department").order_by("-is_active", "code", "pk")


def fund_code_get(*, agency: Organization, fund_code_id: int) -> FundCode:
    return get_object_or_404(
        FundCode.objects.for_organization(agency).select_related("agency", "department"), pk=fund_code_id
    )


# --- approval rules --------------------------------------------------------------------------------------


def approval_rule_list(*, agency: Organization) -> QuerySet[ApprovalRule]:
    return (
        ApprovalRule.objects.for_organization(agency)
        .select_related("category")
        .order_by("-is_active", "is_emergency", F("category__path").asc(nulls_first=True), "min_amount", "name", "pk")
    )


def approval_rule_get(*, agency: Organization, rule_id: int) -> ApprovalRule:
    return get_object_or_404(
        ApprovalRule.objects.for_organization(agency).select_related("agency", "category"), pk=rule_id
    )


def category_choices() -> QuerySet[Category]:
    return Category.objects.order_by("path")


def approvers_text(rule: ApprovalRule) -> str:
    """ "approved at once", "1 approver", "2 approvers (agency admin)"."""
    if rule.approvals_required == 0:
        return "approved at once"
    count = f"{rule.approvals_required} approver{'s' if rule.approvals_required != 1 else ''}"
    if rule.approver_role != Role.APPROVER:
        label = Role(rule.approver_role).label.lower() if rule.approver_role in Role.values else rule.approver_role
        count += f" ({label})"
    return count


def _amount(value) -> str:
    return f"${value:,.2f}"


@dataclass(frozen=True)
class ApprovalLadder:
    """The active rules in words: `amount` steps (no category), `category` steps, and the emergency rule."""

    amount: list[str]
    category: list[str]
    emergency: str | None

    @property
    def text(self) -> str:
        return "; ".join(self.amount)


def approval_ladder(*, agency: Organization, rules: list[ApprovalRule] | None = None) -> ApprovalLadder:
    """E.g. amount = ["From $0.00: approved at once", "from $2,500.00: 1 approver", …]. Below the lowest
    threshold a requisition is approved at once, so a ladder that does not start at $0 says so first."""
    if rules is None:
        rules = list(approval_rule_list(agency=agency).filter(is_active=True))
    active = [rule for rule in rules if rule.is_active]
    amount_rules = sorted((r for r in active if not r.is_emergency and not r.category_id), key=lambda r: r.min_amount)
    steps = []
    if not amount_rules or amount_rules[0].min_amount > 0:
        first = amount_rules[0].min_amount if amount_rules else None
        steps.append(f"under {_amount(first)}: approved at once" if first else "every amount: approved at once")
    steps += [f"from {_amount(rule.min_amount)}: {approvers_text(rule)}" for rule in amount_rules]
    steps[0] = steps[0][0].upper() + steps[0][1:]
    category_steps = [
        f"{rule.category.path} from {_amount(rule.min_amount)}: {approvers_text(rule)}"
        for rule in sorted(
            (r for r in active if not r.is_emergency and r.category_id), key=lambda r: (r.category.path, r.min_amount)
        )
    ]
    emergency = next((r for r in active if r.is_emergency), None)
    emergency_text = None
    if emergency is not None:
        emergency_text = f"Declared emergencies from {_amount(emergency.min_amount)}: {approvers_text(emergency)}"
    return ApprovalLadder(amount=steps, category=category_steps, emergency=emergency_text)


# --- tax-exemption certificates --------------------------------------------------------------------------


def tax_certificate_list(*, agency: Organization) -> QuerySet[TaxExemptionCertificate]:
    """Every certificate, withdrawn ones last, with who uploaded it."""
    return (
        TaxExemptionCertificate.objects.for_organization(agency)
        .select_related("uploaded_by")
        .order_by(F("removed_at").desc(nulls_first=True), "state", "-uploaded_at", "-pk")
    )


def tax_certificate_get(*, agency: Organization, certificate_id: int) -> TaxExemptionCertificate:
    return get_object_or_404(
        TaxExemptionCertificate.objects.for_organization(agency).select_related("agency"), pk=certificate_id
    )


def valid_tax_certificate(*, agency: Organization, state: str, on_date: date) -> TaxExemptionCertificate | None:
    """The certificate checkout attaches for a ship-to `state` on `on_date`: not withdrawn, not expired on that
    date (no expiry date: valid until withdrawn); of several, the one that lasts longest, then the newest."""
    return (
        TaxExemptionCertificate.objects.for_organization(agency)
        .filter(state=state.upper(), removed_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on_date))
        .order_by(F("expires_on").desc(nulls_first=True), "-uploaded_at", "-pk")
        .first()
    )


def certificate_is_valid(certificate: TaxExemptionCertificate, *, on_date: date) -> bool:
    return certificate.removed_at is None and (certificate.expires_on is None or certificate.expires_on >= on_date)


# --- member defaults -------------------------------------------------------------------------------------


def member_defaults_get(*, agency: Organization, user: User) -> MemberDefaults:
    """A member's defaults in the agency (an unsaved empty row if none). An inactive facility or fund code is
    never a default: it reads as unset."""
    defaults = (
        MemberDefaults.objects.for_organization(agency)
        .select_related("facility", "fund_code")
        .filter(user=user)
        .first()
    ) or MemberDefaults(agency=agency, user=user)
    if defaults.facility_id and not defaults.facility.is_active:
        defaults.facility = None
    if defaults.fund_code_id and not defaults.fund_code.is_active:
        defaults.fund_code = None
    return defaults


@dataclass(frozen=True)
class MemberRow:
    user: User
    roles: list[str]
    defaults: MemberDefaults


def member_defaults_list(*, agency: Organization) -> list[MemberRow]:
    """Every active member with their roles and defaults (three queries, whatever the number of members)."""
    users = list(
        organization_users(organization=agency, roles=ROLES_BY_KIND[OrgKind.AGENCY]).order_by("full_name", "email")
    )
    roles: dict[int, list[str]] = {}
    for user_id, role in (
        Membership.objects.for_organization(agency)
        .filter(is_active=True, user__in=[u.pk for u in users])
        .order_by("role")
        .values_list("user_id", "role")
    ):
        roles.setdefault(user_id, []).append(role)
    defaults = {
        d.user_id: d
        for d in MemberDefaults.objects.for_organization(agency)
        .filter(user__in=[u.pk for u in users])
        .select_related("facility", "fund_code")
    }
    rows = []
    for user in users:
        row_defaults = defaults.get(user.pk) or MemberDefaults(agency=agency, user=user)
        if row_defaults.facility_id and not row_defaults.facility.is_active:
            row_defaults.facility = None
        if row_defaults.fund_code_id and not row_defaults.fund_code.is_active:
            row_defaults.fund_code = None
        rows.append(MemberRow(user=user, roles=roles.get(user.pk, []), defaults=row_defaults))
    return rows


def agency_member_get(*, agency: Organization, user_id: int) -> User:
    """An active member of the agency (404 otherwise: another agency's user is "not found")."""
    return get_object_or_404(organization_users(organization=agency, roles=ROLES_BY_KIND[OrgKind.AGENCY]), pk=user_id)


def active_facility_list(*, agency: Organization) -> QuerySet[Facility]:
    """The agency's active ship-to facilities (a member's default, checkout's ship-to choices)."""
    return Facility.objects.for_organization(agency).filter(is_active=True).order_by("name", "pk")


def active_fund_code_list(*, agency: Organization) -> QuerySet[FundCode]:
    """The agency's active fund codes (a member's default, checkout's per-line choices)."""
    return FundCode.objects.for_organization(agency).filter(is_active=True).order_by("code", "pk")


@dataclass(frozen=True)
class SetupSummary:
    departments: int
    facilities: int
    fund_codes: int
    rules: int
    certificates: int
    members: int


def setup_summary(*, agency: Organization) -> SetupSummary:
    """Counts of active rows for the set-up overview (one query each)."""
    return SetupSummary(
        departments=Department.objects.for_organization(agency).filter(is_active=True).count(),
        facilities=Facility.objects.for_organization(agency).filter(is_active=True).count(),
        fund_codes=FundCode.objects.for_organization(agency).filter(is_active=True).count(),
        rules=ApprovalRule.objects.for_organization(agency).filter(is_active=True).count(),
        certificates=TaxExemptionCertificate.objects.for_organization(agency).filter(removed_at__isnull=True).count(),
        members=organization_users(organization=agency, roles=ROLES_BY_KIND[OrgKind.AGENCY]).count(),
    )
