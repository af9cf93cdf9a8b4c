"""A supplier's request to cancel part of a purchase-order line, which takes effect only when the buying agency
consents (a cancelled quantity changes what the agency receives and pays for, so the supplier cannot decide it
alone)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet
from marketplace.core.roles import OrgKind


class CancellationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the agency"
    APPROVED = "approved", "Agreed by the agency"
    DECLINED = "declined", "Declined by the agency"


class LineCancellationQuerySet(TenantQuerySet):
    tenant_field = "agency"

    def for_organization(self, organization):
        """The buying agency and the supplier the order is addressed to."""
        if organization.kind == OrgKind.SUPPLIER:
            return self.filter(supplier=organization)
        if organization.kind == OrgKind.AGENCY:
            return self.filter(agency=organization)
        return self.none()


class LineCancellation(models.Model):
    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    purchase_order = models.ForeignKey(
        "orders.PurchaseOrder", on_delete=models.PROTECT, related_name="line_cancellations"
    )
    line = models.ForeignKey("orders.PurchaseOrderLine", on_delete=models.PROTECT, related_name="cancellations")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=CancellationStatus.choices, default=CancellationStatus.PENDING)
    requested_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = LineCancellationQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_cancellation_quantity_gte_1"),
            # one open request per line at a time: the agency decides one question, not a pile of them
            models.UniqueConstraint(
                fields=["line"], condition=Q(status="pending"), name="line_cancellation_one_pending"
            ),
        ]
