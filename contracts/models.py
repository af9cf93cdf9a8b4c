"""Cooperative contracts and their compliance documents. The catalog's models live in contracts/catalog/models.py
and are imported at the end of this module so that Django registers them with the contracts app."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from marketplace.core.models import CoopMembership, Organization
from marketplace.core.querysets import TenantQuerySet
from marketplace.core.roles import OrgKind
from suppliers.models import Supplier, VettingStatus


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


# A contract may be edited, given documents and loaded with catalog items while it is open (not yet ended).
OPEN_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE)


class PricingBasis(models.TextChoices):
    FIXED = "fixed", "Fixed price"
    MIN_DISCOUNT = "min_discount", "Minimum discount off list"


class ContractQuerySet(TenantQuerySet):
    tenant_field = "cooperative"

    def for_organization(self, organization):
        """Contracts an organization may read: its co-op's own, a supplier's own, and for an agency
        the active contracts made available to co-ops it is an active member of."""
        if organization.kind == OrgKind.COOPERATIVE:
            return self.filter(Q(cooperative=organization) | Q(available_to=organization)).distinct()
        if organization.kind == OrgKind.SUPPLIER:
            return self.filter(supplier=organization)
        return self.available_to_agency(organization)

    def available_to_agency(self, agency):
        """Active contracts of co-ops the agency is an active member of, leaving out suppliers whose catalog is
        suspended (lapsed insurance). The one choke point of agency search, item pages and checkout."""
        coops = CoopMembership.objects.active().filter(agency=agency).values("cooperative_id")
        suspended = Supplier.objects.unscoped().filter(vetting_status=VettingStatus.SUSPENDED).values("organization_id")
        return (
            self.filter(status=ContractStatus.ACTIVE, available_to__in=coops).exclude(supplier__in=suspended).distinct()
        )

    def public(self):
        return self.exclude(status=ContractStatus.DRAFT)


class Contract(models.Model):
    number = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="owned_contracts")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="supplier_contracts")
    lead_agency = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="led_contracts"
    )
    available_to = models.ManyToManyField(
        Organization,
        related_name="available_contracts",
        blank=True,
        help_text="Cooperatives whose members may buy on it.",
    )
    solicitation_number = models.CharField(max_length=60, blank=True)
    solicitation_method = models.CharField(max_length=60, blank=True, help_text="e.g. RFP")
    solicitation_issued_on = models.DateField(null=True, blank=True)
    solicitation_closed_on = models.DateField(null=True, blank=True)
    evaluation_summary = models.TextField(blank=True)
    award_date = models.DateField(null=True, blank=True)
    term_start = models.DateField()
    term_end = models.DateField()
    renewal_options = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    pricing_basis = models.CharField(max_length=20, choices=PricingBasis.choices, default=PricingBasis.MIN_DISCOUNT)
    min_discount_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    admin_fee_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0, help_text="e.g. 0.0200 for 2%")
    states = ArrayField(models.CharField(max_length=2), default=list, blank=True, help_text="Empty: usable nationwide.")
    featured = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Shown first on the public front page while it is in force (chosen by the owning co-op's staff).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-term_end", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")), name="contract_term_order")
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


# --- Compliance documents -------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    SOLICITATION = "solicitation", "Solicitation"
    AWARD_LETTER = "award_letter", "Award letter"
    SIGNED_CONTRACT = "signed_contract", "Signed contract"
    PRICING_EXHIBIT = "pricing_exhibit", "Pricing exhibit"
    INSURANCE = "insurance", "Insurance certificate"
    OTHER = "other", "Other"


def contract_document_path(instance: "ContractDocument", filename: str) -> str:
    return f"contracts/{instance.contract.slug}/documents/{instance.kind}-{uuid.uuid4().hex[:12]}.pdf"


class ContractDocumentQuerySet(TenantQuerySet):
    tenant_field = "contract__cooperative"


class ContractDocument(models.Model):
    """A PDF in the contract's compliance packet. Public unless marked otherwise."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=contract_document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    is_public = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Withdrawn documents are kept, never deleted.")

    objects = ContractDocumentQuerySet.as_manager()
    tenant_exempt = "reached through its contract, whose visibility rules apply"

    class Meta:
        ordering = ["kind", "-uploaded_at"]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class PacketStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a worker"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class CompliancePacket(models.Model):
    """One PDF bundling the contract summary and its public documents, built by a worker.

    `source_digest` identifies the set of documents it was built from, so an unchanged packet is reused.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="packets")
    source_digest = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=PacketStatus.choices, default=PacketStatus.PENDING)
    file = models.FileField(upload_to="contracts/packets/", max_length=300, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    tenant_exempt = "public artefact of a contract"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "source_digest"], name="packet_unique_source")]


# Registered with this app (same app label, same tables); defined beside the rest of the catalog.
from contracts.catalog.models import (  # noqa: E402
    CatalogImport,
    CatalogImportQuerySet,
    CatalogItem,
    CatalogItemQuerySet,
    Category,
    ImportMode,
    ImportStatus,
    ItemStatus,
    PriceChange,
    PriceChangeQuerySet,
    PriceChangeStatus,
    SearchWord,
    catalog_import_path,
)

__all__ = [
    "OPEN_STATUSES",
    "CatalogImport",
    "CatalogImportQuerySet",
    "CatalogItem",
    "CatalogItemQuerySet",
    "Category",
    "CompliancePacket",
    "Contract",
    "ContractDocument",
    "ContractStatus",
    "DocumentKind",
    "ImportMode",
    "ImportStatus",
    "ItemStatus",
    "PacketStatus",
    "PriceChange",
    "PriceChangeQuerySet",
    "PriceChangeStatus",
    "PricingBasis",
    "SearchWord",
    "catalog_import_path",
]
