"""Billing: the supplier's invoices against what it shipped (three-way matched with the PO and the receipts),
payments by card (Stripe PaymentIntents, settled by webhooks) or on account (ACH / check recorded by finance),
credit memos with their refunds, the co-op's admin fee accrued per payment, and the Stripe events received.

Nothing here is ever deleted: a correction is a new, reversing row (a voided invoice keeps its number, a payment
entered in error is reversed by a negative payment, a refund accrues a negative fee)."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from marketplace.core.models import Organization
from marketplace.core.roles import OrgKind
from orders.querysets import OrderPartiesQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class PaymentTermsQuerySet(OrderPartiesQuerySet):
    cooperative_field = None


class PaymentTerms(models.Model):
    """On-account terms between one agency and one supplier (no row: net 30)."""

    DEFAULT_NET_DAYS = 30

    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    net_days = models.PositiveSmallIntegerField(default=DEFAULT_NET_DAYS)
    updated_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PaymentTermsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "supplier"], name="payment_terms_unique"),
            models.CheckConstraint(condition=Q(net_days__lte=120), name="payment_terms_net_days_lte_120"),
        ]


class InvoiceStatus(models.TextChoices):
    READY = "ready", "Matched, ready to pay"
    ON_HOLD = "on_hold", "On hold"
    DISPUTED = "disputed", "Disputed"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


IS = InvoiceStatus
# The one transition table of an invoice (orders.billing.services.invoice_transition).
INVOICE_TRANSITIONS: dict[str, frozenset[str]] = {
    IS.READY: frozenset({IS.ON_HOLD, IS.PARTIALLY_PAID, IS.PAID}),  # → on hold when a later receipt changes the match
    IS.ON_HOLD: frozenset({IS.READY, IS.DISPUTED}),  # ready: matched after receiving, or an accepted exception
    IS.DISPUTED: frozenset({IS.VOID, IS.ON_HOLD}),  # void: withdrawn by the supplier; on hold: answered, re-check
    IS.PARTIALLY_PAID: frozenset({IS.PAID, IS.READY}),  # ready: its only payment reversed (entered in error)
    IS.PAID: frozenset({IS.PARTIALLY_PAID, IS.READY}),  # a payment entered in error reversed
    IS.VOID: frozenset(),
}
# Open for payment: an agency may pay these.
PAYABLE_INVOICE_STATUSES = frozenset({IS.READY, IS.PARTIALLY_PAID})


class InvoiceQuerySet(OrderPartiesQuerySet):
    pass


def invoice_pdf_path(instance: "Invoice", filename: str) -> str:
    return f"invoices/{instance.supplier_id}/{instance.public_id}.pdf"


class Invoice(models.Model):
    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    purchase_order = models.ForeignKey("orders.PurchaseOrder", on_delete=models.PROTECT, related_name="invoices")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=40, help_text="The supplier's own invoice number, unique per supplier.")
    invoice_date = models.DateField()
    net_days = models.PositiveSmallIntegerField(default=PaymentTerms.DEFAULT_NET_DAYS)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=InvoiceStatus.choices)
    subtotal = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY, default=0)
    total = models.DecimalField(**MONEY)
    # Running sums of the rows below, kept on the invoice (row-locked when they change):
    amount_paid = models.DecimalField(**MONEY, default=0)  # succeeded payments, reversals subtracted
    amount_credited = models.DecimalField(**MONEY, default=0)  # credit memos
    amount_refunded = models.DecimalField(**MONEY, default=0)  # the part of the credits refunded to a card
    # Three-way match: the problems found (list of {"line": po_line_id, "sku", "problem"}); empty when matched.
    match_problems = models.JSONField(default=list, blank=True)
    hold_decision_note = models.TextField(blank=True, help_text="The documented exception or the dispute reason.")
    hold_decided_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hold_decided_at = models.DateTimeField(null=True, blank=True)
    supplier_note = models.TextField(blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to=invoice_pdf_path, max_length=300, blank=True)
    pdf_status = models.CharField(max_length=10, blank=True, default="")  # PDFStatus values

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-invoice_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "number"], name="invoice_number_unique_per_supplier"),
            models.CheckConstraint(condition=Q(total__gte=0), name="invoice_total_gte_0"),
            models.CheckConstraint(
                condition=Q(amount_credited__lte=models.F("total")), name="invoice_not_over_credited"
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=models.F("amount_paid")), name="invoice_not_over_refunded"
            ),
            models.CheckConstraint(
                condition=Q(
                    amount_paid__lte=models.F("total") - models.F("amount_credited") + models.F("amount_refunded")
                ),
                name="invoice_not_over_paid",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_date"]),
            models.Index(fields=["supplier", "status", "invoice_date"]),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"Invoice {self.number}"

    def audit_url(self, organization) -> str | None:
        names = {self.agency_id: "agency-invoice", self.supplier_id: "supplier-invoice"}
        name = names.get(organization.pk)
        return reverse(name, kwargs={"org": organization.slug, "invoice_id": self.public_id}) if name else None

    @property
    def balance_due(self):
        """What the agency still owes: total less credits less what it paid and kept."""
        return self.total - self.amount_credited - (self.amount_paid - self.amount_refunded)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    po_line = models.ForeignKey("orders.PurchaseOrderLine", on_delete=models.PROTECT, related_name="invoice_lines")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="invoice_line_quantity_gte_1"),
            models.UniqueConstraint(fields=["invoice", "po_line"], name="invoice_line_once_per_invoice"),
        ]


class PaymentMethod(models.TextChoices):
    CARD = "card", "Purchasing card"
    ACH = "ach", "ACH transfer"
    CHECK = "check", "Check"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Processing"
    SUCCEEDED = "succeeded", "Paid"
    FAILED = "failed", "Declined"
    CANCELED = "canceled", "Canceled"


class PaymentQuerySet(OrderPartiesQuerySet):
    pass


class Payment(models.Model):
    """One payment of (part of) an invoice. Card payments start `pending` with their PaymentIntent and are
    settled by Stripe's webhook; on-account payments are recorded `succeeded` by finance. A payment entered in
    error is corrected by a reversing payment (`reverses`, negative amount), never edited or deleted."""

    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(max_length=10, choices=PaymentStatus.choices)
    amount = models.DecimalField(**MONEY)
    paid_on = models.DateField(null=True, blank=True, help_text="The day the money moved (agency's calendar).")
    reference = models.CharField(max_length=100, blank=True, help_text="ACH trace or check number.")
    stripe_payment_intent_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    failure_message = models.TextField(blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    created_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)

    objects = PaymentQuerySet.as_manager()
    audit_related = ("invoice",)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, reverses__isnull=True) | Q(amount__lt=0, reverses__isnull=False),
                name="payment_positive_unless_reversal",
            ),
            # at most one card payment in flight per invoice: two tabs or two finance users cannot both pay
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(status="pending"), name="payment_one_pending_per_invoice"
            ),
        ]

    def audit_label(self) -> str:
        from marketplace.core.formatting import money

        return f"Payment of {money(self.amount)} on invoice {self.invoice.number}"

    def audit_url(self, organization) -> str | None:
        return self.invoice.audit_url(organization)


class RefundStatus(models.TextChoices):
    NONE = "", "No refund (not paid by card)"
    PENDING = "pending", "Refund processing"
    SUCCEEDED = "succeeded", "Refunded"
    FAILED = "failed", "Refund failed"


class CreditMemoQuerySet(OrderPartiesQuerySet):
    pass


class CreditMemo(models.Model):
    """A credit for a returned or cancelled line (or part of one). On an invoice already paid by card the
    credited amount is refunded to the card through Stripe (`refund_*`)."""

    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_memos")
    po_line = models.ForeignKey("orders.PurchaseOrderLine", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=60, help_text="<invoice number>-CM<n>")
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    refund_status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.NONE, blank=True)
    stripe_refund_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    refund_failure_message = models.TextField(blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    refunded_at = models.DateTimeField(null=True, blank=True)

    objects = CreditMemoQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "number"], name="credit_memo_number_unique_per_supplier"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_memo_amount_gt_0"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="credit_memo_quantity_gte_1"),
        ]


class AdminFeeAccrualQuerySet(OrderPartiesQuerySet):
    """The supplier that owes the fee and the co-op it is owed to; agencies never see the fee."""

    def for_organization(self, organization):
        if organization.kind == OrgKind.AGENCY:
            return self.none()
        return super().for_organization(organization)


class AdminFeeAccrual(models.Model):
    """The co-op's admin fee on one payment (positive) or one refund / reversal (negative), at the contract's rate
    in force that day, stored here so a later rate change never rewrites history. fee = base × rate, rounded
    half-up to the cent, per row."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="admin_fee")
    credit_memo = models.OneToOneField(
        CreditMemo, null=True, blank=True, on_delete=models.PROTECT, related_name="admin_fee"
    )
    base_amount = models.DecimalField(**MONEY)
    rate = models.DecimalField(max_digits=5, decimal_places=4)
    fee = models.DecimalField(**MONEY)
    accrued_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = AdminFeeAccrualQuerySet.as_manager()

    class Meta:
        ordering = ["accrued_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(payment__isnull=False) & Q(credit_memo__isnull=True))
                | (Q(payment__isnull=True) & Q(credit_memo__isnull=False)),
                name="admin_fee_one_source",
            ),
        ]
        indexes = [models.Index(fields=["supplier", "accrued_on"]), models.Index(fields=["cooperative", "accrued_on"])]


class StripeEvent(models.Model):
    """A webhook event from Stripe, stored by its id before it is acted on: a redelivery finds the row and does
    nothing more."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    stripe_created = models.DateTimeField(null=True, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    tenant_exempt = "platform rows from Stripe; read only by the webhook handler and platform staff"

    class Meta:
        ordering = ["received_at", "id"]
