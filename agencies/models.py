"""Agency profiles, ship-to facilities, and what ordering needs: departments, fund codes, approval rules,
tax-exemption certificates and each member's defaults. (Co-op membership is in the kernel: tenancy depends on it.)"""

from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


class AgencyType(models.TextChoices):
    CITY = "city", "City"
    COUNTY = "county", "County"
    SCHOOL_DISTRICT = "school_district", "School district"
    SPECIAL_DISTRICT = "special_district", "Special district"
    STATE = "state", "State agency"
    OTHER = "other", "Other public entity"


class Agency(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="agency_profile")
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices)
    state = models.CharField(max_length=2)
    county = models.CharField(max_length=100, blank=True, help_text="Official county name (Census list).")
    county_fips = models.CharField(max_length=5, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    website = models.URLField(blank=True)
    email_domain = models.CharField(max_length=100, blank=True)
    # Finance always may pay invoices by purchasing card; requesters only where the agency allows it.
    requesters_may_pay_by_card = models.BooleanField(default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "agencies"
        # "same e-mail domain" checks compare case-insensitively (`email_domain__iexact` is UPPER(..) = UPPER(..))
        indexes = [models.Index(Upper("email_domain"), name="agency_email_domain_upper")]

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
    delivery_notes = models.TextField(blank=True, help_text="Dock hours, gate codes, who signs for deliveries.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="facility_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="facility_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"Facility {self.name}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.agency_id:
            return None
        return reverse("agency-setup-facility-edit", kwargs={"org": organization.slug, "facility_id": self.pk})


# --- What the ordering flow needs: departments, fund codes, approval rules, tax exemption, member defaults ---


class Department(models.Model):
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(max_length=150)
    code = models.CharField(max_length=20, blank=True)
    is_active = models.BooleanField(default=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"Department {self.name}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.agency_id:
            return None
        return reverse("agency-setup-department-edit", kwargs={"org": organization.slug, "department_id": self.pk})


class FundCode(models.Model):
    """A fund / general-ledger account an order line is charged to."""

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="fund_codes")
    code = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="fund_codes"
    )
    is_active = models.BooleanField(default=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="fund_code_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} — {self.description}" if self.description else self.code

    def audit_label(self) -> str:
        return f"Fund code {self}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.agency_id:
            return None
        return reverse("agency-setup-fund-code-edit", kwargs={"org": organization.slug, "fund_code_id": self.pk})


class ApprovalRule(models.Model):
    """From `min_amount` up (the requisition total), `approvals_required` members with `approver_role` must
    approve. A rule with a category applies when any line is in that category (or below it); the emergency
    rule applies instead of the amount rules to a declared emergency."""

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="approval_rules")
    name = models.CharField(max_length=150)
    min_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    approvals_required = models.PositiveSmallIntegerField(default=1)
    approver_role = models.CharField(max_length=20, default="approver")
    category = models.ForeignKey(
        "contracts.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="approval_rules"
    )
    is_emergency = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["is_emergency", "min_amount", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_amount__gte=0), name="approval_rule_min_amount_gte_0"),
            models.CheckConstraint(
                condition=models.Q(approvals_required__gte=0) & models.Q(approvals_required__lte=5),
                name="approval_rule_approvals_0_to_5",
            ),
            # The set-up services check these first (with a clear message); the database keeps them under races.
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(is_emergency=True, is_active=True),
                name="approval_rule_one_active_emergency",
            ),
            models.UniqueConstraint(
                fields=["agency", "min_amount"],
                condition=models.Q(is_active=True, is_emergency=False, category__isnull=True),
                name="approval_rule_unique_active_threshold",
            ),
            models.UniqueConstraint(
                fields=["agency", "category", "min_amount"],
                condition=models.Q(is_active=True, is_emergency=False, category__isnull=False),
                name="approval_rule_unique_active_category_threshold",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"Approval rule {self.name}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.agency_id:
            return None
        return reverse("agency-setup-approval-rule-edit", kwargs={"org": organization.slug, "rule_id": self.pk})


def tax_certificate_path(instance: "TaxExemptionCertificate", filename: str) -> str:
    return f"tax-certificates/{instance.agency_id}/{instance.state}-{instance.sha256[:16]}.pdf"


class TaxExemptionCertificate(models.Model):
    """An agency's sales-tax exemption certificate for one state (PDF checked by content)."""

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="tax_certificates")
    state = models.CharField(max_length=2)
    number = models.CharField(max_length=60)
    expires_on = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=tax_certificate_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["state", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.state} {self.number}"


class MemberDefaults(models.Model):
    """A member's ordering defaults in one agency: ship-to facility and fund code."""

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="member_defaults")
    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="agency_defaults")
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fund_code = models.ForeignKey(FundCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="member_defaults_unique")]

    def __str__(self) -> str:
        return f"Ordering defaults of {self.user}"


# The membership agreement lives in its own package; imported here so Django registers it with this app.
from agencies.agreements.models import AgreementAcceptance, AgreementPDFStatus, AgreementVersion  # noqa: E402
from agencies.onboarding.models import (  # noqa: E402  (models of this app kept in the onboarding package)
    ApplicationMessage,
    ApplicationStatus,
    JoinApplication,
    MessageAuthor,
)

__all__ = [
    "Agency",
    "AgencyType",
    "AgreementAcceptance",
    "AgreementPDFStatus",
    "AgreementVersion",
    "ApplicationMessage",
    "ApplicationStatus",
    "ApprovalRule",
    "Department",
    "Facility",
    "FundCode",
    "JoinApplication",
    "MemberDefaults",
    "MessageAuthor",
    "TaxExemptionCertificate",
]
