"""The base of every list's filters: one django-filter `FilterSet` per list serves its selector, its HTML page (the
FilterSet's form) and its API endpoint (`marketplace.core.api.filters.OrganizationFilterBackend`)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django_filters import FilterSet

from .audit_log import action_label, object_type_label
from .models import AuditEvent, Notification


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


AUDIT_TEXT_MAX = 100  # longest search text on the audit log; a longer one is refused rather than cut


class _AuditFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class AuditEventFilter(NarrowingFilterSet):
    """The audit log (an organization's, or the operators' log of every organization): date range in the viewer's
    time zone, person, action, object type and object name. The action and type choices are those the log holds."""

    date_from = django_filters.DateFilter(
        label="From", field_name="created_at", lookup_expr="date__gte", widget=_DateInput()
    )
    date_to = django_filters.DateFilter(
        label="To", field_name="created_at", lookup_expr="date__lte", widget=_DateInput()
    )
    actor = django_filters.CharFilter(
        label="Person’s e-mail", field_name="actor_label", lookup_expr="icontains", max_length=AUDIT_TEXT_MAX
    )
    action = django_filters.ChoiceFilter(label="Action", choices=[], empty_label="Any action")
    object_type = django_filters.ChoiceFilter(label="Object type", choices=[], empty_label="Any type")
    q = django_filters.CharFilter(
        label="Object name contains", field_name="object_repr", lookup_expr="icontains", max_length=AUDIT_TEXT_MAX
    )
    object_id = django_filters.CharFilter(label="Object ID", max_length=64)
    organization = django_filters.CharFilter(
        label="Organization (name or slug)", max_length=AUDIT_TEXT_MAX, method="by_organization"
    )

    class Meta:
        model = AuditEvent
        fields = ["date_from", "date_to", "actor", "action", "object_type", "q", "object_id", "organization"]
        form = _AuditFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.organization is not None:
            del self.filters["organization"]  # an organization's own log has one organization
            rows = AuditEvent.objects.for_organization(self.organization)
        else:
            rows = AuditEvent.objects.unscoped()
        rows = rows.order_by()
        actions = rows.values_list("action", flat=True).distinct()
        types = rows.exclude(object_type="").values_list("object_type", flat=True).distinct()
        self.filters["action"].extra["choices"] = sorted(
            ((a, action_label(a)) for a in actions), key=lambda choice: choice[1].lower()
        )
        self.filters["object_type"].extra["choices"] = sorted(
            ((t, object_type_label(t)) for t in types), key=lambda choice: choice[1].lower()
        )

    def by_organization(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(organization__slug=value) | Q(organization__name__icontains=value))
