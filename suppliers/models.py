"""Supplier profiles and their locally owned store locations."""

import re

from django.db import models
from django.urls import reverse

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


def ein_mask(ein: str | None) -> str:
    """`12-3456789` -> `**-***6789` (empty stays empty). The EIN is shown this way everywhere but the supplier
    admin's own edit field."""
    digits = re.sub(r"\D", "", ein or "")
    return "**-***" + digits[-4:] if digits else ""


class VettingStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    SUBMITTED = "submitted", "Submitted"
    VERIFIED = "verified", "Verified"
    SUSPENDED = "suspended", "Suspended"


class Supplier(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="supplier_profile")
    legal_name = models.CharField(max_length=200)
    dba = models.CharField("doing business as", max_length=200, blank=True)
    ein = models.CharField("EIN", max_length=10, blank=True)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    remit_to = models.TextField(blank=True)
    description = models.TextField(blank=True)
    vetting_status = models.CharField(max_length=20, choices=VettingStatus.choices, default=VettingStatus.INVITED)
    cooperative = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vetted_suppliers",
        help_text="The co-op that invited and vets this supplier.",
    )
    order_desk_email = models.EmailField(blank=True, help_text="Where purchase orders are sent.")
    vetting_comments = models.TextField(
        blank=True, help_text="Changes the co-op asked for when it sent the profile back."
    )
    suspension_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    insurance_expires_on = models.DateField(null=True, blank=True)
    small_business = models.BooleanField(default=False)
    certifications = models.JSONField(
        default=list, blank=True, help_text="Diversity / small / local business certifications."
    )

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return self.dba or self.legal_name

    @property
    def ein_masked(self) -> str:
        return ein_mask(self.ein)

    @property
    def changes_requested(self) -> bool:
        return self.vetting_status == VettingStatus.INVITED and bool(self.vetting_comments)


class StoreLocation(models.Model):
    """A (usually locally owned franchise) store that can fulfil orders near it."""

    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="store_locations")
    name = models.CharField(max_length=200)
    owner_name = models.CharField(max_length=200, blank=True, help_text="Local franchise owner.")
    locally_owned = models.BooleanField(default=True)
    address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True, help_text="Where the store receives the purchase orders it fulfils.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    service_radius_miles = models.PositiveIntegerField(default=50)
    is_active = models.BooleanField(default=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "supplier"

    class Meta:
        ordering = ["state", "city", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.city}, {self.state})"

    def audit_label(self) -> str:
        return f"Store {self}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.supplier_id:
            return None
        return reverse("supplier-store-edit", kwargs={"org": organization.slug, "store_id": self.pk})


from suppliers.vetting.models import (  # noqa: E402  (registered with the suppliers app)
    CertificationType,
    DocumentKind,
    DocumentStatus,
    SupplierDocument,
)

__all__ = [
    "CertificationType",
    "DocumentKind",
    "DocumentStatus",
    "StoreLocation",
    "Supplier",
    "SupplierDocument",
    "VettingStatus",
]
