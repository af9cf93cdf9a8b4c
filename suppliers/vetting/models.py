"""Vetting documents: a supplier's W-9, certificates of insurance and business certifications.

Imported by `suppliers.models` so Django registers them with the suppliers app. Files are PDFs checked by content
(`marketplace.core.services.uploads.pdf_inspect`); rows are never deleted (a rejected document stays on record)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from marketplace.core.models import Organization, User
from marketplace.core.querysets import TenantQuerySet


class DocumentKind(models.TextChoices):
    W9 = "w9", "W-9"
    COI = "coi", "Certificate of insurance"
    CERT = "cert", "Business certification"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class CertificationType(models.TextChoices):
    SMALL = "small", "Small business (SBA or state)"
    LOCAL = "local", "Local business"
    MBE = "mbe", "Minority-owned business (MBE)"
    WBE = "wbe", "Woman-owned business (WBE)"
    DBE = "dbe", "Disadvantaged business (DBE)"
    VOSB = "vosb", "Veteran-owned small business (VOSB)"
    SDVOSB = "sdvosb", "Service-disabled veteran-owned (SDVOSB)"
    HUBZONE = "hubzone", "HUBZone"
    OTHER = "other", "Other"


def supplier_document_path(instance: SupplierDocument, filename: str) -> str:
    # a random name: the supplier's original file name is kept in `original_name` only
    return f"supplier-documents/{instance.supplier_id}/{uuid.uuid4().hex}.pdf"


class SupplierDocument(models.Model):
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="vetting_documents")
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    status = models.CharField(max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    file = models.FileField(upload_to=supplier_document_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    effective_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    # certificate of insurance: coverage in dollars
    general_liability = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    auto_liability = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    workers_comp = models.DecimalField("workers' compensation", max_digits=12, decimal_places=2, null=True, blank=True)
    # business certification
    certification_type = models.CharField(max_length=20, choices=CertificationType.choices, blank=True)
    issuer = models.CharField(max_length=200, blank=True)
    number = models.CharField(max_length=80, blank=True)
    review_comment = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # expiry warnings already sent, as [days before expiry, ...] (the sweep sends each once)
    expiry_notices = models.JSONField(default=list, blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "supplier"

    class Meta:
        ordering = ["kind", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["supplier", "kind", "status"])]

    def __str__(self) -> str:
        if self.kind == DocumentKind.CERT:
            return f"{self.get_certification_type_display() or 'Certification'} {self.number}".strip()
        return f"{self.get_kind_display()} {self.original_name}".strip()

    def is_current(self, on: object) -> bool:
        return self.expires_on is None or self.expires_on >= on
