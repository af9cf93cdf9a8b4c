"""Approval API types: a requisition as the approver sees it, the reject input, the decision result."""

from rest_framework import serializers

from orders.approvals.selectors import split_flag_ids


class ApprovalLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Contract price.")
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    fund_code = serializers.CharField(source="fund_code.code")


class ApprovalPOSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    supplier = serializers.CharField(source="supplier.name")
    contract = serializers.CharField(source="contract.number")
    fulfilment = serializers.CharField()
    store = serializers.CharField(source="store.name", allow_null=True, default=None)
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    list_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = ApprovalLineSerializer(many=True, source="lines.all")


class DecisionSerializer(serializers.Serializer):
    approver = serializers.EmailField(source="approver.email")
    decision = serializers.CharField()
    reason = serializers.CharField()
    via_emergency_rule = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class SplitFlagSerializer(serializers.Serializer):
    related = serializers.ListField(child=serializers.CharField(), help_text="Related requisition ids.")
    sum = serializers.CharField(allow_null=True, help_text="The related orders' total with this one.")


class PendingRequisitionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    requester = serializers.CharField(source="requester.get_full_name")
    created_at = serializers.DateTimeField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    list_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    savings = serializers.SerializerMethodField()
    is_emergency = serializers.BooleanField()
    emergency_reason = serializers.CharField()
    ship_to = serializers.CharField(source="facility.name")
    approvals_required = serializers.IntegerField()
    approval_rule_name = serializers.CharField()
    split_flag = serializers.SerializerMethodField()
    purchase_orders = ApprovalPOSerializer(many=True, source="purchase_orders.all")
    approvals = DecisionSerializer(many=True, source="approvals.all")

    def get_savings(self, obj) -> str:
        return str(obj.list_total - obj.total)

    def get_split_flag(self, obj) -> SplitFlagSerializer(allow_null=True):  # type: ignore[valid-type]
        if not obj.split_flag:
            return None
        flag = obj.split_flag
        return {
            "related": [str(i) for i in split_flag_ids(flag)],
            "sum": str(flag.get("sum") or flag.get("total") or ""),
        }


class RequisitionRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Required: the requester sees it.")


class DecisionResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.CharField(help_text="pending_approval (more approvals needed), approved or rejected.")
    approvals = DecisionSerializer(many=True, source="approvals.all")
    purchase_orders = serializers.SerializerMethodField()

    def get_purchase_orders(self, obj) -> list[dict]:
        return [
            {"id": str(po.public_id), "number": po.number, "status": po.status, "pdf_status": po.pdf_status}
            for po in obj.purchase_orders.order_by("pk")
        ]
