"""The co-op staff's member directory: the agencies that are members of the co-op (any status) and the suppliers
holding a contract of the co-op or vetted by it (with insurance and earliest certification expiry), in one list of
organizations, each row annotated in the same query with what the page, the API and the CSV export show. "Last
activity" is the latest sign-in of the organization's active members (`Membership.organization` is indexed; one row
per member): cheaper than scanning orders, and it covers members who only look. The page costs the same number of
queries for 1 row and for 50."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from agencies.agreements.selectors import current_agreement, long_date
from contracts.models import Contract
from marketplace.core.dates import organization_today
from marketplace.core.models import CoopMembership, CoopMembershipStatus, Membership, Organization
from marketplace.core.roles import OrgKind
from suppliers.models import SupplierDocument, VettingStatus
from suppliers.vetting.models import DocumentKind, DocumentStatus

MEMBERSHIP_LABELS = dict(CoopMembershipStatus.choices)
VETTING_LABELS = dict(VettingStatus.choices)


def member_directory(*, cooperative: Organization, filters=None) -> QuerySet[Organization]:
    """Member agencies and contract suppliers of `cooperative`, agencies first, by name."""
    membership = CoopMembership.objects.filter(cooperative=cooperative, agency=OuterRef("pk"))
    contracts = Contract.objects.filter(cooperative=cooperative, supplier=OuterRef("pk"))
    acceptances = AgreementAcceptance.objects.filter(cooperative=cooperative, agency=OuterRef("pk")).order_by(
        "-signed_at", "-id"
    )
    members = Membership.objects.filter(organization=OuterRef("pk"), is_active=True, user__is_active=True)
    queryset = (
        Organization.objects.filter(
            Q(kind=OrgKind.AGENCY, pk__in=CoopMembership.objects.filter(cooperative=cooperative).values("agency_id"))
            | Q(kind=OrgKind.SUPPLIER, pk__in=Contract.objects.filter(cooperative=cooperative).values("supplier_id"))
            # a supplier this co-op invited and vets, before it holds any contract
            | Q(kind=OrgKind.SUPPLIER, supplier_profile__cooperative=cooperative)
        )
        .select_related("agency_profile", "supplier_profile")
        .annotate(
            membership_status=Subquery(membership.values("status")[:1]),
            membership_expires_on=Subquery(membership.values("expires_on")[:1]),
            accepted_version_id=Subquery(acceptances.values("version_id")[:1]),
            accepted_version_label=Subquery(acceptances.values("version__label")[:1]),
            accepted_on=Subquery(acceptances.values("signed_on")[:1]),
            active_users=Coalesce(
                Subquery(
                    members.order_by().values("organization").annotate(n=Count("user", distinct=True)).values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            last_sign_in=Subquery(
                members.filter(user__last_login__isnull=False)
                .order_by(F("user__last_login").desc())
                .values("user__last_login")[:1]
            ),
            contract_count=Coalesce(
                Subquery(
                    contracts.order_by().values("supplier").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            has_contract=Exists(contracts),
            certification_expires_on=Subquery(
                SupplierDocument.objects.filter(
                    supplier=OuterRef("pk"),
                    kind=DocumentKind.CERT,
                    status=DocumentStatus.VERIFIED,
                    expires_on__isnull=False,
                )
                .order_by("expires_on")
                .values("expires_on")[:1]
            ),
        )
        .order_by("kind", "name", "pk")
    )
    return filters.narrow(queryset) if filters is not None else queryset


@dataclass
class AgreementCell:
    """What the directory says about an agency's agreement with the co-op."""

    text: str
    tone: str  # "ok", "warn", "bad", "none"

    @property
    def tag(self) -> str | None:
        """A short label the page shows before the text when something needs doing."""
        if self.tone == "warn":
            return "Re-acceptance due"
        if self.tone == "bad":
            return "Not signed" if self.text == "Not signed" else "Overdue"
        return None


def agreement_cell(row: Organization, *, current: AgreementVersion | None, today: dt.date) -> AgreementCell | None:
    """For an agency row: "Version X (signed <date>)", "Not signed", "Re-acceptance due <date>" …; None for a
    supplier."""
    if row.kind != OrgKind.AGENCY:
        return None
    if current is None:
        if row.accepted_version_label:
            return AgreementCell(f"Version {row.accepted_version_label}", "ok")
        return AgreementCell("No agreement published", "none")
    if row.accepted_version_id is None:
        return AgreementCell("Not signed", "bad")
    signed = f"Version {row.accepted_version_label} (signed {long_date(row.accepted_on)})"
    if row.accepted_version_id == current.pk:
        return AgreementCell(signed, "ok")
    if current.reaccept_by is None:
        return AgreementCell(f"{signed}; version {current.label} not yet accepted", "ok")
    if today <= current.reaccept_by:
        return AgreementCell(f"{signed}; re-acceptance due {long_date(current.reaccept_by)}", "warn")
    return AgreementCell(f"{signed}; re-acceptance overdue since {long_date(current.reaccept_by)}", "bad")


def status_label(row: Organization) -> str:
    """A member agency's membership status, or a supplier's vetting status."""
    if row.kind == OrgKind.AGENCY:
        return MEMBERSHIP_LABELS.get(row.membership_status, "")
    profile = getattr(row, "supplier_profile", None)
    return VETTING_LABELS.get(profile.vetting_status, "") if profile else ""


def directory_rows(rows, *, cooperative: Organization) -> list[Organization]:
    """The rows with `agreement` (an AgreementCell or None) and `status_label` set: one query for the co-op's
    current agreement."""
    current = current_agreement(cooperative=cooperative)
    today = organization_today(cooperative)
    rows = list(rows)
    for row in rows:
        row.agreement = agreement_cell(row, current=current, today=today)
        row.status_label = status_label(row)
    return rows
