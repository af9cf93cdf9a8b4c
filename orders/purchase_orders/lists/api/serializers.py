"""Purchase-order output types every side shares (agency, supplier desk): the list row and the detail with lines,
shipments, cancellation requests and the timeline. Amounts are decimal strings; statuses come with their labels."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.purchase_orders.desk.models import CancellationStatus
from orders.purchase_orders.models import Fulfilment, POStatus
from orders.purchase_orders.services.desk import line_open_quantity

MONEY = {"max_digits": 14, "decimal_places": 2}


class PurchaseOrderRowSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", help_text="The order's opaque id (used in its URLs).")
    number = serializers.CharField(help_text="PO number (empty until the order is released).")
    status = serializers.ChoiceField(choices=POStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    order_date = serializers.DateField(allow_null=True)
    requested_date = serializers.DateField(allow_null=True)
    agency = serializers.CharField(source="agency.name")
    supplier = serializers.CharField(source="supplier.name")
    contract = serializers.CharField(source="contract.number")
    requester = serializers.CharField(source="requisition.requester.get_full_name")
    ship_to = serializers.CharField(source="facility.name")
    fulfilment = serializers.ChoiceField(choices=Fulfilment.choices)
    store = serializers.CharField(source="store.name", allow_null=True, default=None)
    is_emergency = serializers.BooleanField()
    subtotal = serializers.DecimalField(**MONEY)
    list_total = serializers.DecimalField(**MONEY)
    savings = serializers.DecimalField(**MONEY)


class PurchaseOrderLineDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text="The line's id within this order (for shipments, backorders, cancellations)."
    )
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.IntegerField()
    quantity_shipped = serializers.IntegerField()
    quantity_cancelled = serializers.IntegerField()
    quantity_open = serializers.SerializerMethodField(help_text="Still to ship: ordered − cancelled − shipped.")
    backordered_until = serializers.DateField(allow_null=True)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(**MONEY)
    list_amount = serializers.DecimalField(**MONEY)
    fund_code = serializers.CharField(source="fund_code.code")

    def get_quantity_open(self, line) -> int:
        return line_open_quantity(line)


class ShipmentLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="po_line_id")
    sku = serializers.CharField(source="po_line.sku")
    quantity = serializers.IntegerField()


class ShipmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    ship_date = serializers.DateField()
    lines = ShipmentLineSerializer(many=True, source="lines.all")


class LineCancellationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    line = serializers.IntegerField(source="line_id")
    sku = serializers.CharField(source="line.sku")
    quantity = serializers.IntegerField()
    reason = serializers.CharField()
    status = serializers.ChoiceField(choices=CancellationStatus.choices)
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    subject = serializers.CharField(help_text="“Requisition” (checkout, approvals) or “Purchase order”.")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    from_label = serializers.CharField()
    to_label = serializers.CharField()
    note = serializers.CharField()


class AddressSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()


class PurchaseOrderDetailSerializer(PurchaseOrderRowSerializer):
    cooperative = serializers.CharField(source="cooperative.name")
    ship_to_address = AddressSerializer(source="facility")
    delivery_notes = serializers.CharField(source="facility.delivery_notes")
    store_address = AddressSerializer(source="store", allow_null=True, default=None)
    emergency_reason = serializers.CharField(source="requisition.emergency_reason")
    notes = serializers.CharField(source="requisition.notes")
    tax_exempt = serializers.BooleanField()
    tax_certificate = serializers.CharField(source="tax_certificate.number", allow_null=True, default=None)
    tax = serializers.DecimalField(**MONEY)
    total = serializers.SerializerMethodField()
    lines = PurchaseOrderLineDetailSerializer(many=True, source="lines.all")
    shipments = ShipmentSerializer(many=True, source="shipments.all")
    cancellations = LineCancellationSerializer(many=True, source="line_cancellations.all")
    timeline = TimelineEntrySerializer(many=True, help_text="Oldest first: the requisition's and the order's moves.")

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_total(self, po):
        return serializers.DecimalField(**MONEY).to_representation(po.subtotal + po.tax)
