"""The kinds of notification a user can receive. Each user may turn e-mail off per kind (the in-app notification
is always kept); `GENERAL` covers messages that belong to no listed kind."""

from django.db import models

from .roles import OrgKind


class NotificationKind(models.TextChoices):
    GENERAL = "general", "Other messages"
    APPROVAL_NEEDED = "approval_needed", "An order needs my approval"
    APPROVED = "approved", "My order was approved"
    REJECTED = "rejected", "My order was rejected"
    PO_SENT = "po_sent", "A purchase order was sent"
    ACKNOWLEDGED = "acknowledged", "The supplier acknowledged an order"
    SHIPPED = "shipped", "An order shipped"
    BACKORDERED = "backordered", "A line was backordered"
    RECEIVED = "received", "The agency received an order"
    DISCREPANCY = "discrepancy", "A receiving discrepancy was reported or answered"
    INVOICED = "invoiced", "An invoice arrived"
    INVOICE_ON_HOLD = "invoice_on_hold", "An invoice is on hold or disputed"
    PAID = "paid", "An invoice was paid"
    REFUND = "refund", "A refund or credit was issued"
    OVERDUE = "overdue", "An invoice is overdue"
    CATALOG = "catalog", "Catalog imports and price changes"
    CONTRACT = "contract", "Contract changes and expiry notices"
    ONBOARDING = "onboarding", "Membership applications, agreements, invitations and supplier vetting"
    DOCUMENT_EXPIRY = "document_expiry", "Insurance and certifications expiring or lapsed"


K = NotificationKind

# The settings page's groups, in order: (key, heading, kinds).
KIND_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "ordering",
        "Ordering",
        (K.APPROVAL_NEEDED, K.APPROVED, K.REJECTED, K.PO_SENT, K.ACKNOWLEDGED, K.SHIPPED, K.BACKORDERED),
    ),
    ("receiving", "Receiving", (K.RECEIVED, K.DISCREPANCY)),
    ("billing", "Invoices and payments", (K.INVOICED, K.INVOICE_ON_HOLD, K.PAID, K.REFUND, K.OVERDUE)),
    ("catalog", "Catalogs and contracts", (K.CATALOG, K.CONTRACT)),
    ("onboarding", "Membership and vetting", (K.ONBOARDING, K.DOCUMENT_EXPIRY)),
    ("general", "Other", (K.GENERAL,)),
)
KIND_GROUP = {kind: key for key, _heading, kinds in KIND_GROUPS for kind in kinds}

# E-mail that cannot be turned off. `GENERAL` carries the messages that have no kind of their own, several of which
# ask the user to act and reach nobody else (an order that cannot get its approvals, a supplier asking the agency's
# consent to cancel part of a line); turning them off would leave the work undone without anyone knowing.
ALWAYS_EMAILED = frozenset({K.GENERAL})

# Which groups the settings page shows to a member of each kind of organization (a user with no organization sees
# every group). Hiding a group only shortens the page: its kinds keep their setting.
GROUPS_FOR_ORGANIZATION_KIND = {
    OrgKind.AGENCY: frozenset({"ordering", "receiving", "billing", "catalog", "onboarding", "general"}),
    OrgKind.SUPPLIER: frozenset({"ordering", "receiving", "billing", "catalog", "onboarding", "general"}),
    OrgKind.COOPERATIVE: frozenset({"billing", "catalog", "onboarding", "general"}),
}
