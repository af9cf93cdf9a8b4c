"""Purchase orders (one per contract of a requisition), their lines, the per-agency number sequence, the
order timeline (one `OrderEvent` per status move) and shipments."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet
from orders.querysets import OrderPartiesQuerySet


class POStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PENDING_APPROVAL = "pending_approval", "Waiting for approval"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent to supplier"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    SHIPPED = "shipped", "Shipped"
    RECEIVED = "received", "Received"
    INVOICED = "invoiced", "Invoiced"
    PAID = "paid", "Paid"
    CLOSED = "closed", "Closed"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


S = POStatus
# The one transition table of a purchase order (orders.purchase_orders.services.po_transition). From shipped on,
# moves are made by `po_progress` (orders.billing.services.progress) from the facts: receipts, invoices, payments.
PO_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.PENDING_APPROVAL, S.APPROVED, S.CANCELLED}),
    S.PENDING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.CANCELLED}),
    S.APPROVED: frozenset({S.SENT, S.CANCELLED}),
    S.SENT: frozenset({S.ACKNOWLEDGED, S.REJECTED, S.CANCELLED}),
    S.ACKNOWLEDGED: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    S.PARTIALLY_SHIPPED: frozenset({S.SHIPPED, S.RECEIVED}),
    S.SHIPPED: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.INVOICED}),
    S.INVOICED: frozenset({S.PAID}),
    S.PAID: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}


class Fulfilment(models.TextChoices):
    DELIVERY = "delivery", "Delivery by the supplier"
    STORE_PICKUP = "store_pickup", "Pickup at the local store"
    STORE_DELIVERY = "store_delivery", "Local delivery from the store"


class PDFStatus(models.TextChoices):
    NONE = "", "Not yet"
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class PurchaseOrderQuerySet(OrderPartiesQuerySet):
    """The buying agency, the supplier it is addressed to, and the co-op whose contract it uses (read-only)."""


def po_pdf_path(instance: "PurchaseOrder", filename: str) -> str:
    return f"purchase-orders/{instance.agency_id}/{instance.public_id}.pdf"


class PurchaseOrder(models.Model):
    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    requisition = models.ForeignKey("orders.Requisition", on_delete=models.PROTECT, related_name="purchase_orders")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="agency_purchase_orders")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="supplier_purchase_orders")
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="coop_purchase_orders")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="purchase_orders")
    number = models.CharField(
        max_length=40, blank=True, help_text="<agency code>-<fiscal year>-<sequence>, at release."
    )
    status = models.CharField(max_length=20, choices=POStatus.choices, default=POStatus.PENDING_APPROVAL)
    facility = models.ForeignKey("agencies.Facility", on_delete=models.PROTECT, related_name="+")
    fulfilment = models.CharField(max_length=20, choices=Fulfilment.choices, default=Fulfilment.DELIVERY)
    store = models.ForeignKey(
        "suppliers.StoreLocation", null=True, blank=True, on_delete=models.PROTECT, related_name="purchase_orders"
    )
    requested_date = models.DateField(null=True, blank=True)
    is_emergency = models.BooleanField(default=False)
    tax_exempt = models.BooleanField(default=False)
    tax_certificate = models.ForeignKey(
        "agencies.TaxExemptionCertificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subtotal = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    list_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    tax = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    order_date = models.DateField(null=True, blank=True, help_text="The agency's calendar day of checkout.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to=po_pdf_path, max_length=300, blank=True)
    pdf_status = models.CharField(max_length=10, choices=PDFStatus.choices, default=PDFStatus.NONE, blank=True)

    objects = PurchaseOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], condition=~Q(number=""), name="po_number_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "created_at"]),
            models.Index(fields=["supplier", "status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.number or f"PO {self.public_id}"

    def audit_label(self) -> str:
        return f"Purchase order {self.number}" if self.number else f"Purchase order (not released) {self.public_id}"

    def audit_url(self, organization) -> str | None:
        """The order's page for the agency, supplier or co-op on it (the audit log links here)."""
        names = {self.agency_id: "agency-order", self.supplier_id: "supplier-order", self.cooperative_id: "coop-order"}
        name = names.get(organization.pk)
        return reverse(name, kwargs={"org": organization.slug, "po_id": self.public_id}) if name else None

    @property
    def savings(self):
        return self.list_total - self.subtotal


class PurchaseOrderLine(models.Model):
    """A line at the contract price in effect at checkout (`price_change`: that price's history row; the
    database refuses any other unit price)."""

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey("contracts.CatalogItem", on_delete=models.PROTECT, related_name="+")
    price_change = models.ForeignKey("contracts.PriceChange", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=20)
    pack_size = models.PositiveIntegerField(default=1)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    list_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    list_amount = models.DecimalField(max_digits=14, decimal_places=2)
    fund_code = models.ForeignKey("agencies.FundCode", on_delete=models.PROTECT, related_name="+")
    quantity_shipped = models.PositiveIntegerField(default=0)
    quantity_cancelled = models.PositiveIntegerField(default=0)
    # Sums of the agency's receipts (orders.receiving): good units accepted, and units that arrived damaged.
    quantity_received = models.PositiveIntegerField(default=0)
    quantity_damaged = models.PositiveIntegerField(default=0)
    # Sum of this line over the supplier's invoices that are not void (orders.billing); never above shipped.
    quantity_invoiced = models.PositiveIntegerField(default=0)
    backordered_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="po_line_quantity_gte_1"),
            models.CheckConstraint(
                condition=Q(quantity_shipped__lte=models.F("quantity") - models.F("quantity_cancelled")),
                name="po_line_not_over_shipped",
            ),
            models.CheckConstraint(
                condition=Q(quantity_invoiced__lte=models.F("quantity_shipped")), name="po_line_not_over_invoiced"
            ),
        ]


class PONumberSequence(models.Model):
    """The last PO number used by an agency in a fiscal year (row-locked at release; never reused)."""

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year"], name="po_sequence_unique")]


class OrderEvent(models.Model):
    """One status move of a purchase order (or of its requisition): who, when, from, to, note."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    requisition = models.ForeignKey("orders.Requisition", on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Shipment(models.Model):
    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="shipments")
    carrier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    ship_date = models.DateField()
    created_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ship_date", "id"]


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="lines")
    po_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="shipment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_line_quantity_gte_1")]
