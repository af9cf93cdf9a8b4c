"""Approval requests (who is asked, with a signed single-use e-mail link) and approval decisions."""

import uuid

from django.db import models
from django.utils import timezone


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ApprovalRequest(models.Model):
    """One approver asked to decide one requisition; `token` backs the signed e-mail link (single use)."""

    requisition = models.ForeignKey("orders.Requisition", on_delete=models.PROTECT, related_name="approval_requests")
    approver = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="approval_requests")
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requisition", "approver"], name="approval_request_once_per_approver")
        ]


class Approval(models.Model):
    """A decision on a requisition. Nobody decides their own; each approver decides once."""

    requisition = models.ForeignKey("orders.Requisition", on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="approvals")
    decision = models.CharField(max_length=10, choices=ApprovalDecision.choices)
    reason = models.TextField(blank=True)
    via_emergency_rule = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["requisition", "approver"], name="approval_once_per_approver")]
