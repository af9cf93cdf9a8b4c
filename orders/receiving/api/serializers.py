"""Receiving API types: the input of a receipt, an answer and a resolution (read by the API and the HTML forms
alike), and the receipts and discrepancies as the agency and the supplier see them."""

from __future__ import annotations

from rest_framework import serializers

from orders.receiving.models import Discrepancy, DiscrepancyKind, DiscrepancyStatus, Receipt, ReceiptLine
from orders.receiving.services import LINE_NOTE_MAX, NOTE_MAX, QUANTITY_MAX, LineInput


class ReceiptLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="A line id of this order (`lines[].id` of the order).")
    quantity_received = serializers.IntegerField(
        min_value=0, max_value=QUANTITY_MAX, default=0, help_text="Good units accepted in this delivery."
    )
    quantity_damaged = serializers.IntegerField(
        min_value=0, max_value=QUANTITY_MAX, default=0, help_text="Damaged units in this delivery (flagged)."
    )
    note = serializers.CharField(max_length=LINE_NOTE_MAX, required=False, allow_blank=True, default="")


class ReceiptInputSerializer(serializers.Serializer):
    received_on = serializers.DateField(help_text="The day the goods arrived: not in the future, not before the order.")
    complete = serializers.BooleanField(
        default=False,
        help_text="This delivery is complete: what is still below the shipped quantity is flagged short.",
    )
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    lines = ReceiptLineInputSerializer(many=True, allow_empty=False)

    def to_lines(self) -> dict[int, LineInput]:
        lines: dict[int, LineInput] = {}
        for row in self.validated_data["lines"]:
            good, damaged, note = lines.get(row["line"], (0, 0, ""))
            lines[row["line"]] = (
                good + row["quantity_received"],
                damaged + row["quantity_damaged"],
                " ".join(n for n in (note, row["note"]) if n),
            )
        return lines


class DiscrepancyAnswerInputSerializer(serializers.Serializer):
    response = serializers.CharField(
        max_length=NOTE_MAX, allow_blank=True, help_text="Required: what you will do (replace, credit, explain)."
    )


class DiscrepancyResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField(
        max_length=NOTE_MAX, allow_blank=True, help_text="Required: how it was settled (accepted, replaced, credited)."
    )


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


class ReceiptLineSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(source="po_line_id")
    sku = serializers.CharField(source="po_line.sku")

    class Meta:
        model = ReceiptLine
        fields = ["line", "sku", "quantity_received", "quantity_damaged", "note"]


class DiscrepancySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    purchase_order = serializers.UUIDField(source="purchase_order.public_id")
    line = serializers.IntegerField(source="po_line_id")
    sku = serializers.CharField(source="po_line.sku")
    kind = serializers.ChoiceField(choices=DiscrepancyKind.choices)
    status = serializers.ChoiceField(choices=DiscrepancyStatus.choices)
    reported_by = serializers.SerializerMethodField()
    responded_by = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()

    class Meta:
        model = Discrepancy
        fields = [
            "id",
            "purchase_order",
            "line",
            "sku",
            "kind",
            "quantity",
            "note",
            "status",
            "created_at",
            "reported_by",
            "supplier_response",
            "responded_by",
            "responded_at",
            "resolution",
            "resolved_by",
            "resolved_at",
        ]

    def get_reported_by(self, obj) -> str:
        return _name(obj.created_by)

    def get_responded_by(self, obj) -> str:
        return _name(obj.responded_by)

    def get_resolved_by(self, obj) -> str:
        return _name(obj.resolved_by)


class ReceiptSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    received_by = serializers.SerializerMethodField()
    lines = ReceiptLineSerializer(many=True)

    class Meta:
        model = Receipt
        fields = ["id", "received_on", "received_by", "note", "created_at", "lines"]

    def get_received_by(self, obj) -> str:
        return _name(obj.received_by)


class ReceiptRecordedSerializer(ReceiptSerializer):
    """A new receipt, the discrepancies it flagged and the order's status after it."""

    discrepancies = DiscrepancySerializer(many=True, source="flagged")
    order_status = serializers.CharField(source="purchase_order.status")

    class Meta(ReceiptSerializer.Meta):
        fields = [*ReceiptSerializer.Meta.fields, "discrepancies", "order_status"]
