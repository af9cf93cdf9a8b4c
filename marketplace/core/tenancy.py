"""Tenancy: the organization comes from the URL and is checked against the user's memberships here, once.

- `TenantQuerySet.for_organization(org)` (in `querysets.py`) is how tenant-owned rows are read;
  `.unscoped()` is the loud,
  greppable escape hatch for platform code (admin, sweeps, seeding).
- `OrganizationAccess` resolves `<kind>/<org>/` from the URL for HTML views (`OrganizationViewMixin`)
  and the API (`marketplace.core.api.views.OrganizationAPIMixin`). Not a member: 404, the same as a
  missing organization. A member without the role the view needs: 403.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Organization

ORG_URL_KWARG = "org"


@dataclass(frozen=True)
class OrganizationAccess:
    organization: Organization
    roles: frozenset[str]


def resolve_organization(*, user: Any, kind: str, slug: str, roles: frozenset[str] | None = None) -> OrganizationAccess:
    """The organization of `kind` named by `slug`, if `user` is an active member (404 otherwise).

    `roles`: if given, the member must hold one of them (403 otherwise).
    """
    from .models import Membership

    if not getattr(user, "is_authenticated", False):
        raise Http404
    memberships = list(
        Membership.objects.active()
        .filter(user=user, organization__kind=kind, organization__slug=slug)
        .select_related("organization")
    )
    if not memberships:
        raise Http404("No such organization.")
    member_roles = frozenset(m.role for m in memberships)
    if roles is not None and not (member_roles & roles):
        raise PermissionDenied("Your role in this organization does not allow this.")
    return OrganizationAccess(organization=memberships[0].organization, roles=member_roles)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # the default time zone


class OrganizationViewMixin(LoginRequiredMixin):
    """HTML views under `/agencies/<org>/`, `/suppliers/<org>/`, `/coops/<org>/`.

    Subclasses set `organization_kind` and, if the page is role-gated, `required_roles`.
    `self.organization` and `self.access` are set before the handler runs. Handlers answer with
    `self.render_page(template, context, status=…)`, which adds `organization` and `access` to the context (the
    one page-render path; `TemplateView` pages get the same through `get_context_data`).
    """

    organization_kind: ClassVar[str]
    required_roles: ClassVar[frozenset[str] | None] = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = resolve_organization(
            user=request.user, kind=self.organization_kind, slug=kwargs[ORG_URL_KWARG], roles=self.required_roles
        )
        self.organization = self.access.organization
        request.organization = self.organization
        # times on a tenant page are shown in that organization's own time zone (stored in UTC)
        with timezone.override(_zone(self.organization.time_zone)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a TemplateResponse renders lazily: render it in the zone
            return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(organization=self.organization, access=self.access)
        return context

    def render_page(self, template: str, context: dict | None = None, *, status: int = 200) -> HttpResponse:
        context = {**(context or {}), "organization": self.organization, "access": self.access}
        return render(self.request, template, context, status=status)
