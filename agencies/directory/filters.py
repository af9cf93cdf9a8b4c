"""The member directory's filters (page, CSV export and API): kind, status (a member agency's membership status or
a supplier's vetting status), state, agreement standing and a name search. They only narrow the directory
selector's queryset."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from agencies.agreements.selectors import current_agreement
from contracts.services.contracts import US_STATES
from marketplace.core.filters import NarrowingFilterSet
from marketplace.core.models import CoopMembershipStatus, Organization
from marketplace.core.roles import OrgKind
from suppliers.models import VettingStatus

KIND_CHOICES = [(OrgKind.AGENCY, "Member agencies"), (OrgKind.SUPPLIER, "Suppliers")]
STATUS_CHOICES = [
    ("Membership (agencies)", [(v, label) for v, label in CoopMembershipStatus.choices]),
    ("Vetting (suppliers)", [(v, label) for v, label in VettingStatus.choices]),
]
AGREEMENT_CHOICES = [
    ("current", "Signed the current version"),
    ("outdated", "Signed an earlier version only"),
    ("unsigned", "Not signed"),
]
STATE_CHOICES = sorted(US_STATES.items(), key=lambda kv: kv[1])


class MemberDirectoryFilter(NarrowingFilterSet):
    """`organization`: the co-op whose directory this is."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains", max_length=100)
    kind = django_filters.ChoiceFilter(label="Show", choices=KIND_CHOICES, empty_label="Agencies and suppliers")
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, empty_label="Any status", method="by_status"
    )
    state = django_filters.ChoiceFilter(
        field_name="agency_profile__state", label="Agency state", choices=STATE_CHOICES, empty_label="Any state"
    )
    agreement = django_filters.ChoiceFilter(
        label="Agreement", choices=AGREEMENT_CHOICES, empty_label="Any", method="by_agreement"
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "status", "state", "agreement"]

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value in CoopMembershipStatus.values:
            return queryset.filter(kind=OrgKind.AGENCY, membership_status=value)
        return queryset.filter(kind=OrgKind.SUPPLIER, supplier_profile__vetting_status=value)

    def by_agreement(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        agencies = queryset.filter(kind=OrgKind.AGENCY)
        current = current_agreement(cooperative=self.organization) if self.organization is not None else None
        if value == "unsigned":
            return agencies.filter(accepted_version_id__isnull=True)
        if current is None:  # nothing published: no agency signed the current (or an earlier) version
            return agencies.none() if value == "current" else agencies.filter(accepted_version_id__isnull=False)
        if value == "current":
            return agencies.filter(accepted_version_id=current.pk)
        return agencies.filter(accepted_version_id__isnull=False).exclude(accepted_version_id=current.pk)
