"""The co-op's membership (intergovernmental) agreement: published versions (immutable: a new text is a new
version) and each member agency's signed acceptance of a version, with the signed PDF a worker renders."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


def agreement_source_path(instance: AgreementVersion, filename: str) -> str:
    return f"agreements/{instance.cooperative_id}/source-{instance.source_sha256[:16]}.pdf"


def acceptance_pdf_path(instance: AgreementAcceptance, filename: str) -> str:
    return f"agreements/{instance.cooperative_id}/signed/{instance.public_id}.pdf"


class AgreementVersion(models.Model):
    """One published version of a co-op's membership agreement. Never edited after publication (a database
    trigger refuses UPDATE and DELETE): what an agency signed stays exactly what it read."""

    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="agreement_versions")
    label = models.CharField(max_length=40, help_text="e.g. 2027-1 or v2")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The agreement text: paragraphs separated by a blank line.")
    effective_on = models.DateField()
    reaccept_by = models.DateField(
        null=True, blank=True, help_text="Members who signed an earlier version must accept this one by this date."
    )
    source_file = models.FileField(upload_to=agreement_source_path, max_length=300, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    source_pages = models.PositiveIntegerField(default=0)
    source_size = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()
    tenant_field = "cooperative"

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "label"], name="agreement_version_unique_label"),
            models.CheckConstraint(
                condition=models.Q(reaccept_by__isnull=True) | models.Q(reaccept_by__gte=models.F("effective_on")),
                name="agreement_version_reaccept_after_effective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.label})"


class AgreementPDFStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class AgreementAcceptance(models.Model):
    """An agency's acceptance of one agreement version, signed by its authorized signer (once per version)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="acceptances")
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="agreement_acceptances_held")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="agreement_acceptances")
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=150)
    signed_on = models.DateField(help_text="The agency's calendar day when it signed (its own time zone).")
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    signed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField(upload_to=acceptance_pdf_path, max_length=300, blank=True)
    pdf_status = models.CharField(max_length=10, choices=AgreementPDFStatus.choices, default=AgreementPDFStatus.PENDING)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "agency"], name="agreement_acceptance_once_per_version"),
        ]
        indexes = [models.Index(fields=["agency", "cooperative"], name="agreement_acc_agency_coop")]

    def __str__(self) -> str:
        return f"{self.agency} accepted {self.version}"
