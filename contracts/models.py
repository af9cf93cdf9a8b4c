"""Cooperative contracts. (Catalog items, price changes and imports come with the catalog issue.)"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from marketplace.core.models import CoopMembership, Organization
from marketplace.core.querysets import TenantQuerySet
from marketplace.core.roles import OrgKind


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


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
        coops = CoopMembership.objects.active().filter(agency=agency).values("cooperative_id")
        return self.filter(status=ContractStatus.ACTIVE, available_to__in=coops).distinct()

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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-term_end", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")), name="contract_term_order")
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"
