"""Requisitions: what a requester checked out, before it is split into purchase orders (one per contract),
and the idempotency records that make a retried checkout replay its first answer."""

import uuid

from django.db import models
from django.utils import timezone

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


class RequisitionStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


# The one transition table of a requisition (orders.requisitions.services.requisition_transition).
REQUISITION_TRANSITIONS: dict[str, frozenset[str]] = {
    RequisitionStatus.PENDING_APPROVAL: frozenset(
        {RequisitionStatus.APPROVED, RequisitionStatus.REJECTED, RequisitionStatus.CANCELLED}
    ),
    RequisitionStatus.APPROVED: frozenset(),
    RequisitionStatus.REJECTED: frozenset(),
    RequisitionStatus.CANCELLED: frozenset(),
}


class Requisition(models.Model):
    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="requisitions")
    requester = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="requisitions")
    department = models.ForeignKey(
        "agencies.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey("agencies.Facility", on_delete=models.PROTECT, related_name="+")
    requested_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    is_emergency = models.BooleanField(default=False)
    emergency_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=RequisitionStatus.choices, default=RequisitionStatus.PENDING_APPROVAL
    )
    approvals_required = models.PositiveSmallIntegerField(default=0)
    approver_role = models.CharField(max_length=20, blank=True)
    approval_rule_name = models.CharField(max_length=150, blank=True)
    split_flag = models.JSONField(
        default=dict, blank=True, help_text="Split-purchase guard: related requisitions and their sum, if flagged."
    )
    routing_note = models.TextField(
        blank=True, help_text="Why the routing needs attention (e.g. fewer eligible approvers than required)."
    )
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    list_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Requisition {self.public_id}"


class IdempotencyRecord(models.Model):
    """The first answer to a checkout with an `Idempotency-Key`: replayed for the same key and body."""

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    requisition = models.ForeignKey(Requisition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "user", "key"], name="idempotency_key_unique")]
