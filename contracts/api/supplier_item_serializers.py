"""A supplier's own catalog items and its single-item price change request (API shapes)."""

from __future__ import annotations

from rest_framework import serializers

from ..models import CatalogItem, ItemStatus
from ..services.catalog import MAX_REASON_LENGTH


class SupplierItemSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    pending_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text="The contract price of an increase waiting for co-op approval, or null.",
    )

    class Meta:
        model = CatalogItem
        fields = [
            "id",
            "sku",
            "name",
            "mpn",
            "contract",
            "list_price",
            "contract_price",
            "status",
            "pending_price",
            "updated_at",
        ]


class SupplierItemFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Part of a SKU, name or MPN")
    contract = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="A contract number")
    status = serializers.ChoiceField(required=False, allow_blank=True, choices=ItemStatus.choices)


class PriceRequestInputSerializer(serializers.Serializer):
    contract_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="The new contract price")
    list_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="The new list price (omit to keep the current one)",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=MAX_REASON_LENGTH)
