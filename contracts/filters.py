"""Contract list filters, one FilterSet per list: the co-op's contracts and the public list. Each serves the
selector, the HTML page (its `.form`) and the API endpoint (`filterset_class`), and only narrows the queryset its
selector builds (the co-op's contracts; published contracts)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from contracts.models import Contract, ContractStatus
from contracts.services.contracts import US_STATES
from marketplace.core.filters import NarrowingFilterSet

QUERY_MAX = 100  # longest search text; a longer one is refused rather than cut


class CoopContractFilter(NarrowingFilterSet):
    """Contracts a co-op owns or that are made available to it."""

    q = django_filters.CharFilter(label="Number or title", max_length=QUERY_MAX, method="search")
    status = django_filters.ChoiceFilter(label="Status", choices=ContractStatus.choices, empty_label="Any status")

    class Meta:
        model = Contract
        fields = ["q", "status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class _StateCodeField(django_filters.fields.ChoiceField):
    """A state code in any case ("fl" is FL)."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class _StateCodeFilter(django_filters.ChoiceFilter):
    field_class = _StateCodeField


class PublicContractFilter(NarrowingFilterSet):
    """Published contracts (no organization: anyone may read them)."""

    q = django_filters.CharFilter(label="Number, title or supplier", max_length=QUERY_MAX, method="search")
    state = _StateCodeFilter(
        label="Usable in", choices=sorted(US_STATES.items()), empty_label="Any state", method="usable_in"
    )

    class Meta:
        model = Contract
        fields = ["q", "state"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(supplier__name__icontains=value)
        )

    def usable_in(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Contracts usable in that state: those listing it and those with no state limit."""
        return queryset.filter(Q(states=[]) | Q(states__contains=[value]))
