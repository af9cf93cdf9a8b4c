"""Organization kinds and the roles a membership can hold in each."""

from django.db import models


class OrgKind(models.TextChoices):
    COOPERATIVE = "cooperative", "Cooperative"
    AGENCY = "agency", "Agency"
    SUPPLIER = "supplier", "Supplier"


class Role(models.TextChoices):
    REQUESTER = "requester", "Requester"
    APPROVER = "approver", "Approver"
    AGENCY_ADMIN = "agency_admin", "Agency admin"
    FINANCE = "finance", "Finance"
    CATALOG_MANAGER = "catalog_manager", "Catalog manager"
    ORDER_DESK = "order_desk", "Order desk"
    SUPPLIER_ADMIN = "supplier_admin", "Supplier admin"
    COOP_STAFF = "coop_staff", "Co-op staff"
    COOP_ADMIN = "coop_admin", "Co-op admin"


ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrgKind.AGENCY: frozenset({Role.REQUESTER, Role.APPROVER, Role.AGENCY_ADMIN, Role.FINANCE}),
    OrgKind.SUPPLIER: frozenset({Role.CATALOG_MANAGER, Role.ORDER_DESK, Role.SUPPLIER_ADMIN}),
    OrgKind.COOPERATIVE: frozenset({Role.COOP_STAFF, Role.COOP_ADMIN}),
}

ADMIN_ROLES = frozenset({Role.AGENCY_ADMIN, Role.SUPPLIER_ADMIN, Role.COOP_ADMIN})
# Co-op staff and admins manage contracts and decide price increases.
COOP_STAFF_ROLES = frozenset({Role.COOP_STAFF, Role.COOP_ADMIN})
# Who keeps a supplier's catalog: imports, items, price changes.
SUPPLIER_CATALOG_ROLES = frozenset({Role.CATALOG_MANAGER, Role.SUPPLIER_ADMIN})

# URL segment for each kind: /agencies/<slug>/, /suppliers/<slug>/, /coops/<slug>/
URL_PREFIX = {OrgKind.AGENCY: "agencies", OrgKind.SUPPLIER: "suppliers", OrgKind.COOPERATIVE: "coops"}

# Roles that must use two-factor sign-in unless an organization's admin chooses otherwise (Organization.
# mfa_required_roles): everyone who approves, pays or administers; not requesters, catalog managers or the desk.
DEFAULT_MFA_REQUIRED_ROLES = [
    Role.APPROVER.value,
    Role.FINANCE.value,
    Role.AGENCY_ADMIN.value,
    Role.SUPPLIER_ADMIN.value,
    Role.COOP_STAFF.value,
    Role.COOP_ADMIN.value,
]


def default_mfa_required_roles() -> list[str]:
    return list(DEFAULT_MFA_REQUIRED_ROLES)
