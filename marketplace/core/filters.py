"""The base of every list's filters: one django-filter `FilterSet` per list serves its selector, its HTML page (the
FilterSet's form) and its API endpoint (`marketplace.core.api.filters.OrganizationFilterBackend`)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters import FilterSet

from .models import Notification


class NarrowingFilterSet(FilterSet):
    """A FilterSet that only narrows the queryset a selector gives it.

    It never reads a table on its own: given no queryset it filters `none()`, so the tenant scope stays in the
    selector and no query parameter can widen it. `organization` is the tenant whose own rows give tenant-specific
    choices (its contract numbers, say); subclasses read it in `__init__`. A FilterSet without data is one with no
    parameters (bound and empty), so defaults such as "pending" apply to it too.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, organization=None):
        self.organization = organization
        if queryset is None:
            queryset = self._meta.model._default_manager.none()
        super().__init__(QueryDict() if data is None else data, queryset, request=request, prefix=prefix)

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """`queryset` narrowed by the filters; no rows while any filter is not valid (the form says why)."""
        if not self.is_valid():
            return queryset.none()
        return self.filter_queryset(queryset)

    @property
    def active(self) -> bool:
        """Whether a valid filter narrows the list (for "N items match" / "No items match")."""
        return self.is_valid() and any(value not in (None, "") for value in self.form.cleaned_data.values())


class NotificationFilter(NarrowingFilterSet):
    """The notification centre (page and API): all, or only the unread (`?unread=1`) or read (`?unread=0`) ones."""

    CHOICES = [("1", "Unread"), ("0", "Read")]

    unread = django_filters.ChoiceFilter(label="Show", choices=CHOICES, empty_label="All", method="by_read")

    class Meta:
        model = Notification
        fields = ["unread"]

    def by_read(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("", None):
            return queryset
        return queryset.filter(read_at__isnull=value == "1")
