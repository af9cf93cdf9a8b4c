"""Tenant scoping shared by the order documents that three organizations see: the buying agency, the supplier
the order is addressed to, and the co-op whose contract it uses (read-only)."""

from __future__ import annotations

from marketplace.core.querysets import TenantQuerySet
from marketplace.core.roles import OrgKind


class OrderPartiesQuerySet(TenantQuerySet):
    """Rows carrying `agency`, `supplier` and `cooperative` keys (purchase orders, receipts, invoices, payments).
    A model without a `cooperative` key sets `cooperative_field = None`: co-ops then see none of its rows."""

    tenant_field = "agency"
    cooperative_field: str | None = "cooperative"

    def for_organization(self, organization):
        if organization.kind == OrgKind.SUPPLIER:
            return self.filter(supplier=organization)
        if organization.kind == OrgKind.COOPERATIVE:
            field = getattr(self.model, "cooperative_field", self.cooperative_field)
            return self.filter(**{field: organization}) if field else self.none()
        return self.filter(agency=organization)
