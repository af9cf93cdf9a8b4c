"""The review queue's filter: one FilterSet for the selector, the HTML queue and the API list."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from agencies.models import ApplicationStatus, JoinApplication
from marketplace.core.filters import NarrowingFilterSet

# "open" (the default of the queue): waiting for review or for the applicant.
STATUS_CHOICES = [("open", "Open (waiting for review or applicant)"), *ApplicationStatus.choices, ("all", "All")]


class ApplicationFilter(NarrowingFilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=STATUS_CHOICES, empty_label=None, method="by_status")

    class Meta:
        model = JoinApplication
        fields = ["status"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            return self.by_status(queryset, "status", "open")
        return queryset

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "all":
            return queryset
        if value in ("", None, "open"):
            return queryset.open()
        return queryset.filter(status=value)
