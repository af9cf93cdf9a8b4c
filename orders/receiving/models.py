"""Receiving: what the agency found in each delivery (`Receipt` with one `ReceiptLine` per PO line counted), and
the discrepancies — over, short or damaged — that the supplier sees and answers and the agency resolves."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from marketplace.core.models import Organization
from orders.querysets import OrderPartiesQuerySet


class ReceiptQuerySet(OrderPartiesQuerySet):
    cooperative_field = None


class Receipt(models.Model):
    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    purchase_order = models.ForeignKey("orders.PurchaseOrder", on_delete=models.PROTECT, related_name="receipts")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(help_text="The agency's calendar day the goods arrived.")
    received_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "id"]


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="lines")
    po_line = models.ForeignKey("orders.PurchaseOrderLine", on_delete=models.PROTECT, related_name="receipt_lines")
    quantity_received = models.PositiveIntegerField(help_text="Good units accepted.")
    quantity_damaged = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_received__gt=0) | Q(quantity_damaged__gt=0), name="receipt_line_counts_something"
            ),
            models.UniqueConstraint(fields=["receipt", "po_line"], name="receipt_line_once_per_receipt"),
        ]


class DiscrepancyKind(models.TextChoices):
    OVER = "over", "More than shipped"
    SHORT = "short", "Less than shipped"
    DAMAGED = "damaged", "Damaged"


class DiscrepancyStatus(models.TextChoices):
    OPEN = "open", "Waiting for the supplier"
    ANSWERED = "answered", "Answered by the supplier"
    RESOLVED = "resolved", "Resolved"


class DiscrepancyQuerySet(OrderPartiesQuerySet):
    cooperative_field = None


class Discrepancy(models.Model):
    """A difference between what was shipped and what arrived, on one PO line. Open until the agency resolves it
    (after the supplier's answer, or at once if the agency accepts it)."""

    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    purchase_order = models.ForeignKey("orders.PurchaseOrder", on_delete=models.PROTECT, related_name="discrepancies")
    po_line = models.ForeignKey("orders.PurchaseOrderLine", on_delete=models.PROTECT, related_name="discrepancies")
    receipt_line = models.ForeignKey(ReceiptLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=DiscrepancyKind.choices)
    quantity = models.PositiveIntegerField()
    note = models.TextField(blank=True, help_text="What the agency saw.")
    status = models.CharField(max_length=10, choices=DiscrepancyStatus.choices, default=DiscrepancyStatus.OPEN)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    supplier_response = models.TextField(blank=True)
    responded_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = DiscrepancyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="discrepancy_quantity_gte_1")]
