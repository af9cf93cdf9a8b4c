"""The API side of `marketplace.core.filters`: list endpoints name their FilterSet in `filterset_class`."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


class OrganizationFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that also hands the FilterSet the view's organization (for that tenant's own choices).

    The queryset it narrows is the view's `get_queryset()`, the selector's tenant-scoped one. An invalid filter
    raises a DRF ValidationError, which the exception handler turns into the documented 400 `invalid`. drf-spectacular
    documents the FilterSet's parameters for every subclass of DjangoFilterBackend.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["organization"] = getattr(view, "organization", None)
        return kwargs
