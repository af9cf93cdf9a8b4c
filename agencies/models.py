"""Agency profiles and ship-to facilities. (Co-op membership is in the kernel: tenancy rules depend on it.)"""

from django.db import models

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


class AgencyType(models.TextChoices):
    CITY = "city", "City"
    COUNTY = "county", "County"
    SCHOOL_DISTRICT = "school_district", "School district"
    SPECIAL_DISTRICT = "special_district", "Special district"
    STATE = "state", "State agency"


class Agency(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="agency_profile")
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices)
    state = models.CharField(max_length=2)
    population = models.PositiveIntegerField(null=True, blank=True)
    website = models.URLField(blank=True)
    email_domain = models.CharField(max_length=100, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return str(self.organization)


class Facility(models.Model):
    """A ship-to address of an agency (warehouse, fire station, school …)."""

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="facilities")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name
