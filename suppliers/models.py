"""Supplier profiles and their locally owned store locations."""

from django.db import models

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


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
    insurance_expires_on = models.DateField(null=True, blank=True)
    small_business = models.BooleanField(default=False)
    certifications = models.JSONField(
        default=list, blank=True, help_text="Diversity / small / local business certifications."
    )

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return self.dba or self.legal_name


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
