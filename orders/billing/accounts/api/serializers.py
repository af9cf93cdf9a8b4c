"""On-account payment, overdue and admin-fee types (one definition each, read by the API and the HTML forms)."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.api.errors import _flatten
from marketplace.core.errors import ApplicationError
from orders.billing.models import Payment, PaymentMethod
from orders.billing.services.accounts import AMOUNT_MAX, NET_DAYS_MAX, REASON_MAX, REFERENCE_MAX

ON_ACCOUNT_CHOICES = [(PaymentMethod.ACH.value, PaymentMethod.ACH.label), (PaymentMethod.CHECK.value, "Check")]


def parse(serializer_class, data):
    """Validated input, or the documented `invalid` error with `fields` (for the API and the HTML forms)."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ApplicationError(
            "invalid", "Nothing was changed: some fields are not valid.", _flatten(serializer.errors)
        )
    return serializer


class PaymentRecordInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ON_ACCOUNT_CHOICES, help_text="`ach` or `check`.")
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        max_value=AMOUNT_MAX,
        help_text="Dollars as a decimal string, more than 0 and at most the balance due (partial payments allowed).",
    )
    paid_on = serializers.DateField(help_text="The day the money moved: not in the future, not before the invoice.")
    reference = serializers.CharField(
        max_length=REFERENCE_MAX, allow_blank=True, help_text="Required: the ACH trace or check number (1–100)."
    )


class PaymentReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX, allow_blank=True, help_text="Required: why the payment was entered in error."
    )


class PaymentTermsInputSerializer(serializers.Serializer):
    supplier = serializers.SlugField(max_length=60, help_text="The supplier's slug.")
    net_days = serializers.IntegerField(min_value=0, max_value=NET_DAYS_MAX, help_text="Days to pay (0–120).")


class PaymentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    invoice = serializers.UUIDField(source="invoice.public_id", read_only=True)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    purchase_order = serializers.CharField(source="invoice.purchase_order.number", read_only=True)
    supplier = serializers.CharField(source="supplier.name", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    reverses = serializers.SerializerMethodField()
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "invoice_number",
            "purchase_order",
            "supplier",
            "method",
            "status",
            "amount",
            "paid_on",
            "reference",
            "reverses",
            "reversed_by",
            "created_at",
        ]

    def get_reverses(self, payment) -> str | None:
        return str(payment.reverses.public_id) if payment.reverses_id else None

    def get_reversed_by(self, payment) -> str | None:
        reversal = getattr(payment, "reversed_by", None)
        return str(reversal.public_id) if reversal is not None else None


class OverdueInvoiceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    purchase_order = serializers.CharField(source="purchase_order.number")
    agency = serializers.CharField(source="agency.name")
    supplier = serializers.CharField(source="supplier.name")
    status = serializers.CharField()
    invoice_date = serializers.DateField()
    due_date = serializers.DateField()
    days_overdue = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance_due = serializers.DecimalField(max_digits=14, decimal_places=2)


class AdminFeeQuarterSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(help_text="Calendar quarter, 1–4.")
    label = serializers.CharField(help_text="e.g. `2026 Q4`")
    contract = serializers.CharField(source="contract_number")
    contract_title = serializers.CharField()
    supplier = serializers.CharField(source="supplier_name")
    cooperative = serializers.CharField(source="cooperative_name")
    payments = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Payments base: payments less refunds and reversals."
    )
    fees = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Admin fees accrued.")
    count = serializers.IntegerField(help_text="Accruals (payments, refunds and reversals).")
