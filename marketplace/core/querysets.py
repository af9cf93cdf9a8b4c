"""Base queryset for tenant-owned rows (imported by models, so it imports nothing of Django auth)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models

if TYPE_CHECKING:
    from .models import Organization


class TenantQuerySet(models.QuerySet):
    """QuerySet for tenant-owned rows. Subclasses (or the model) name the organization key."""

    tenant_field: ClassVar[str] = "organization"

    def _tenant_field(self) -> str:
        return getattr(self.model, "tenant_field", None) or self.tenant_field

    def for_organization(self, organization: Organization) -> TenantQuerySet:
        return self.filter(**{self._tenant_field(): organization})

    def unscoped(self) -> TenantQuerySet:
        """Every tenant's rows. Only for platform code; reviewers grep for this name."""
        return self.all()
