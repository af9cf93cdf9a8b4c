"""Order-desk input types (one definition each, read by the API and the HTML forms alike)."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.api.errors import _flatten
from marketplace.core.errors import ApplicationError
from orders.purchase_orders.services.desk import REASON_MAX, TEXT_MAX, ShipmentInput


class DeskAcknowledgeInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX, default="")


class DeskRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX,
        default="",
        help_text="Required: why you cannot fill it.",
    )


class DeskShipmentLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="A line id of this order (`lines[].id`).")
    quantity = serializers.IntegerField(
        min_value=0, max_value=10**6, help_text="Shipped now (0: not in this shipment)."
    )


class DeskShipmentInputSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    tracking_number = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    ship_date = serializers.DateField(help_text="Not in the future (the supplier's own calendar day).")
    lines = DeskShipmentLineInputSerializer(many=True, allow_empty=False)

    def to_input(self) -> ShipmentInput:
        data = self.validated_data
        quantities: dict[int, int] = {}
        for row in data["lines"]:
            quantities[row["line"]] = quantities.get(row["line"], 0) + row["quantity"]
        return ShipmentInput(
            carrier=data["carrier"],
            tracking_number=data.get("tracking_number", ""),
            ship_date=data["ship_date"],
            lines=quantities,
        )


class DeskBackorderInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="A line id of this order.")
    expected_date = serializers.DateField(allow_null=True, help_text="When it is expected to ship; null clears it.")


class DeskCancellationRequestInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="A line id of this order.")
    quantity = serializers.IntegerField(min_value=1, max_value=10**6)
    reason = serializers.CharField(max_length=REASON_MAX, allow_blank=True, help_text="Required; the agency reads it.")


def parse(serializer_class, data):
    """Validated input, or the documented `invalid` error with `fields` (for the API and the HTML forms)."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ApplicationError(
            "invalid", "Nothing was changed: some fields are not valid.", _flatten(serializer.errors)
        )
    return serializer
