"""Checkout API types: the input (one definition, also used by the HTML form) and the requisition it creates."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.core.api.errors import _flatten
from marketplace.core.errors import ApplicationError
from orders.purchase_orders.models import Fulfilment
from orders.requisitions.services.checkout import CheckoutInput

MONEY = {"max_digits": 14, "decimal_places": 2}


class CheckoutLineInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="A cart line id.")
    fund_code = serializers.IntegerField(help_text="The fund code this line is charged to.")


class CheckoutFulfilmentInputSerializer(serializers.Serializer):
    contract = serializers.IntegerField(help_text="A contract id of the cart (`contracts[].contract_id`).")
    method = serializers.ChoiceField(choices=Fulfilment.choices)


class CheckoutInputSerializer(serializers.Serializer):
    facility = serializers.IntegerField(
        required=False, allow_null=True, help_text="Ship-to facility id (default: your default facility)."
    )
    requested_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    is_emergency = serializers.BooleanField(required=False, default=False)
    emergency_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    fund_code = serializers.IntegerField(
        required=False, allow_null=True, help_text="Fund code for every line (default: your default fund code)."
    )
    lines = CheckoutLineInputSerializer(many=True, required=False, help_text="Per-line fund codes.")
    fulfilment = CheckoutFulfilmentInputSerializer(
        many=True, required=False, help_text="Per contract; delivery by the supplier when not given."
    )

    def to_input(self) -> CheckoutInput:
        data = self.validated_data
        return CheckoutInput(
            facility_id=data.get("facility"),
            requested_date=data.get("requested_date"),
            notes=data.get("notes", ""),
            is_emergency=data.get("is_emergency", False),
            emergency_reason=data.get("emergency_reason", ""),
            fund_code_id=data.get("fund_code"),
            line_fund_codes={line["id"]: line["fund_code"] for line in data.get("lines", [])},
            fulfilment={f["contract"]: f["method"] for f in data.get("fulfilment", [])},
        )


def checkout_input_parse(data) -> CheckoutInput:
    """Read checkout input; type errors are reported like every other checkout problem (`checkout_invalid`)."""
    serializer = CheckoutInputSerializer(data=data)
    if not serializer.is_valid():
        fields = _flatten(serializer.errors)
        raise ApplicationError("checkout_invalid", "Nothing was ordered: some fields are not valid.", fields)
    return serializer.to_input()


class PurchaseOrderLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    pack_size = serializers.IntegerField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(**MONEY)
    list_amount = serializers.DecimalField(**MONEY)
    fund_code = serializers.CharField(source="fund_code.code")


class PurchaseOrderSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    status = serializers.CharField()
    contract = serializers.CharField(source="contract.number")
    supplier = serializers.CharField(source="supplier.name")
    cooperative = serializers.CharField(source="cooperative.name")
    order_date = serializers.DateField()
    requested_date = serializers.DateField(allow_null=True)
    fulfilment = serializers.CharField()
    store = serializers.CharField(source="store.name", allow_null=True, default=None)
    facility = serializers.CharField(source="facility.name")
    is_emergency = serializers.BooleanField()
    tax_exempt = serializers.BooleanField()
    tax_certificate = serializers.CharField(source="tax_certificate.number", allow_null=True, default=None)
    tax = serializers.DecimalField(**MONEY)
    subtotal = serializers.DecimalField(**MONEY)
    list_total = serializers.DecimalField(**MONEY)
    savings = serializers.DecimalField(**MONEY)
    lines = PurchaseOrderLineSerializer(many=True, source="lines.all")


class RequisitionSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    status = serializers.CharField()
    total = serializers.DecimalField(**MONEY)
    list_total = serializers.DecimalField(**MONEY)
    is_emergency = serializers.BooleanField()
    emergency_reason = serializers.CharField()
    approvals_required = serializers.IntegerField()
    approver_role = serializers.CharField()
    approval_rule_name = serializers.CharField()
    routing_note = serializers.CharField()
    split_flag = serializers.DictField(help_text="Split-purchase guard: window_days, threshold, sum, related (ids).")
    requested_date = serializers.DateField(allow_null=True)
    notes = serializers.CharField()
    purchase_orders = PurchaseOrderSerializer(many=True, source="purchase_orders.all")
