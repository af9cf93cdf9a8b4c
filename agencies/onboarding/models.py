"""Join applications: a public entity asks to join a cooperative; co-op staff review it (models of the `agencies`
app, imported by `agencies.models`).

Two secrets go out by e-mail and only their SHA-256 digests are stored (as API tokens are): the status page link
(`/join/status/<token>/`) and the e-mail confirmation code (`…/confirm/<code>/`)."""

from __future__ import annotations

import uuid

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from agencies.models import AgencyType  # defined above the line of agencies.models that imports this module
from marketplace.core.models import Organization
from marketplace.core.names import distinctive_name
from marketplace.core.querysets import TenantQuerySet


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted (e-mail not confirmed)"
    PENDING = "pending", "Waiting for review"
    INFO_REQUESTED = "info_requested", "Waiting for applicant"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# Statuses in which an application holds its e-mail domain: a second one for the same domain is refused.
OPEN_STATUSES = (ApplicationStatus.PENDING, ApplicationStatus.INFO_REQUESTED)


def evidence_path(instance: JoinApplication, filename: str) -> str:
    folder = f"join-applications/{instance.cooperative_id}/{instance.public_id}"
    return f"{folder}/evidence-{instance.evidence_sha256[:16]}.pdf"


def message_attachment_path(instance: ApplicationMessage, filename: str) -> str:
    application = instance.application
    return (
        f"join-applications/{application.cooperative_id}/{application.public_id}/"
        f"message-{instance.attachment_sha256[:16]}.pdf"
    )


class JoinApplicationQuerySet(TenantQuerySet):
    tenant_field = "cooperative"

    def open(self) -> JoinApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class JoinApplication(models.Model):
    """A public entity's application to join one cooperative."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="join_applications")
    legal_name = models.CharField(max_length=200)
    legal_name_key = models.GeneratedField(  # the distinctive part of the name (marketplace/core/names.py)
        expression=distinctive_name(F("legal_name")), output_field=models.CharField(max_length=200), db_persist=True
    )
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices)
    state = models.CharField(max_length=2)
    county = models.CharField(max_length=100, blank=True)
    county_fips = models.CharField(max_length=5, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    website = models.URLField(blank=True)
    email_domain = models.CharField(max_length=100)
    contact_name = models.CharField(max_length=150)
    contact_title = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=40)
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=150)
    signer_email = models.EmailField()
    evidence = models.FileField(upload_to=evidence_path, max_length=300)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_sha256 = models.CharField(max_length=64)
    evidence_pages = models.PositiveIntegerField(default=0)
    evidence_size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED)
    status_token_digest = models.CharField(max_length=64, unique=True)
    confirm_code_digest = models.CharField(max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rejection_reason = models.TextField(blank=True)
    agency = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="join_application"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = JoinApplicationQuerySet.as_manager()
    tenant_field = "cooperative"

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # One open application per e-mail domain per cooperative (a race between two confirmations ends here).
            models.UniqueConstraint(
                "cooperative",
                "email_domain",
                condition=Q(status__in=["pending", "info_requested"]),
                name="join_application_one_open_per_domain",
            ),
            models.CheckConstraint(
                condition=Q(email_domain=models.functions.Lower("email_domain")), name="join_application_domain_lower"
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "status", "-submitted_at"]),
            # similar-name duplicate detection on the distinctive part of the name (marketplace/core/names.py;
            # pg_trgm, created by core 0002)
            GinIndex(fields=["legal_name_key"], opclasses=["gin_trgm_ops"], name="join_application_name_key_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} → {self.cooperative}"

    def audit_label(self) -> str:
        return f"Application to join from {self.legal_name}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.cooperative_id:
            return None
        return reverse("coop-application", kwargs={"org": organization.slug, "application_id": self.public_id})


class MessageAuthor(models.TextChoices):
    STAFF = "staff", "Co-op staff"
    APPLICANT = "applicant", "Applicant"


class ApplicationMessage(models.Model):
    """One message of an application's thread: staff asking for more information, the applicant answering."""

    application = models.ForeignKey(JoinApplication, on_delete=models.PROTECT, related_name="messages")
    # the application's cooperative, repeated so the row carries its tenant key (row-level security later)
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    author_kind = models.CharField(max_length=10, choices=MessageAuthor.choices)
    author = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    attachment = models.FileField(upload_to=message_attachment_path, max_length=300, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    objects = TenantQuerySet.as_manager()
    tenant_field = "cooperative"

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_author_kind_display()} on {self.application}"
