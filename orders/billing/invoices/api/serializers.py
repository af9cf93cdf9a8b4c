"""Invoice input and output types (one definition each, read by the API and the HTML forms alike). Money is a
decimal string with two places."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.api.errors import _flatten
from marketplace.core.errors import ApplicationError
from orders.billing.models import InvoiceStatus, PaymentMethod, PaymentStatus, RefundStatus
from orders.billing.services.invoices import NOTE_MAX, NUMBER_MAX
from orders.purchase_orders.models import PDFStatus

MONEY = {"max_digits": 14, "decimal_places": 2}
INT_MAX = 2**31 - 1


# --- Input -----------------------------------------------------------------------------------------------------


class InvoiceLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=INT_MAX, help_text="A line id of the order (`lines[].id`).")
    quantity = serializers.IntegerField(
        min_value=-(10**6), max_value=10**6, help_text="Units invoiced: at least 1, at most shipped − invoiced."
    )
    unit_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="At most the order line's contract price (lower: the invoice goes on hold). Omitted: the PO price.",
    )


class InvoiceCreateInputSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=NUMBER_MAX, allow_blank=True, help_text="Your own invoice number, unique across your invoices."
    )
    invoice_date = serializers.DateField(
        allow_null=True, help_text="Not in the future, not before the order date (your calendar day)."
    )
    lines = InvoiceLineInputSerializer(many=True, allow_empty=False)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")

    def to_lines(self) -> dict[int, tuple[int, object]]:
        lines: dict[int, tuple[int, object]] = {}
        for row in self.validated_data["lines"]:
            if row["line"] in lines:
                raise ApplicationError(
                    "invalid",
                    "Nothing was created: a line is listed twice.",
                    {f"lines.{row['line']}.line": ["List each order line once."]},
                )
            lines[row["line"]] = (row["quantity"], row.get("unit_price"))
        return lines


class InvoiceNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, help_text="Required.")


class InvoiceReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, help_text="Required.")


def parse(serializer_class, data):
    """Validated input, or the documented `invalid` error with `fields` (for the API and the HTML forms)."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ApplicationError(
            "invalid", "Nothing was changed: some fields are not valid.", _flatten(serializer.errors)
        )
    return serializer


# --- Output ----------------------------------------------------------------------------------------------------


class MatchProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The order line id.")
    sku = serializers.CharField()
    problem = serializers.CharField()


class InvoiceRowSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", help_text="The invoice's opaque id (used in its URLs).")
    number = serializers.CharField()
    purchase_order = serializers.CharField(source="purchase_order.number")
    purchase_order_id = serializers.UUIDField(source="purchase_order.public_id")
    agency = serializers.CharField(source="agency.name")
    supplier = serializers.CharField(source="supplier.name")
    status = serializers.ChoiceField(choices=InvoiceStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    invoice_date = serializers.DateField()
    net_days = serializers.IntegerField()
    due_date = serializers.DateField()
    subtotal = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    amount_paid = serializers.DecimalField(**MONEY)
    amount_credited = serializers.DecimalField(**MONEY)
    balance_due = serializers.DecimalField(**MONEY)
    match_problems = MatchProblemSerializer(many=True)
    pdf_status = serializers.ChoiceField(choices=PDFStatus.choices)


class InvoiceLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="po_line_id")
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(**MONEY)
    ordered = serializers.IntegerField(source="po_line.quantity")
    shipped = serializers.IntegerField(source="po_line.quantity_shipped")
    received = serializers.IntegerField(source="po_line.quantity_received")
    order_unit_price = serializers.DecimalField(source="po_line.unit_price", max_digits=12, decimal_places=2)


class InvoicePaymentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    amount = serializers.DecimalField(**MONEY)
    paid_on = serializers.DateField(allow_null=True)
    reference = serializers.CharField()


class InvoiceCreditSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    quantity = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField()
    refund_status = serializers.ChoiceField(choices=RefundStatus.choices)


class InvoiceDetailSerializer(InvoiceRowSerializer):
    hold_decision_note = serializers.CharField(help_text="The documented exception or the dispute reason.")
    hold_decided_at = serializers.DateTimeField(allow_null=True)
    supplier_note = serializers.CharField()
    lines = InvoiceLineSerializer(many=True)
    payments = InvoicePaymentSerializer(many=True)
    credit_memos = InvoiceCreditSerializer(many=True)
