"""Cart API types: a line (with what changed since it was added), the cart with its totals, and the inputs."""

from rest_framework import serializers

MONEY = {"max_digits": 14, "decimal_places": 2}


class CartItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    pack_size = serializers.IntegerField()
    status = serializers.CharField()
    contract_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="The price today.")
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    contract = serializers.CharField(source="contract.number")
    supplier = serializers.CharField(source="contract.supplier.name")


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.id")
    item = CartItemSerializer(source="line.item")
    quantity = serializers.IntegerField(source="line.quantity")
    saved_for_later = serializers.BooleanField(source="line.saved_for_later")
    unit_price = serializers.DecimalField(
        source="line.unit_price_snapshot", max_digits=12, decimal_places=2, help_text="The price when added."
    )
    list_price = serializers.DecimalField(source="line.list_price_snapshot", max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(**MONEY)
    list_amount = serializers.DecimalField(**MONEY)
    savings = serializers.DecimalField(**MONEY)
    price_changed = serializers.BooleanField()
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="What changed since the line was added (price, item, contract)."
    )
    added_at = serializers.DateTimeField(source="line.added_at")


class CartContractSerializer(serializers.Serializer):
    contract_id = serializers.IntegerField(source="contract.id", help_text="Name it in checkout's `fulfilment`.")
    contract = serializers.CharField(source="contract.number")
    supplier = serializers.CharField(source="contract.supplier.name")
    total = serializers.DecimalField(**MONEY)
    list_total = serializers.DecimalField(**MONEY)
    savings = serializers.DecimalField(**MONEY)


class CartSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Lines to order (saved-for-later lines are not counted).")
    total = serializers.DecimalField(**MONEY, help_text="Contract total at the prices seen when added.")
    list_total = serializers.DecimalField(**MONEY)
    savings = serializers.DecimalField(**MONEY)
    savings_percent = serializers.DecimalField(max_digits=5, decimal_places=1)
    contracts = CartContractSerializer(source="groups", many=True)
    results = CartLineSerializer(source="rows", many=True)
    saved_for_later = CartLineSerializer(source="saved", many=True)


class CartLineCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="A catalog item id from your agency's catalog search.")
    quantity = serializers.IntegerField(default=1)


class CartLineUpdateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(required=False)
    saved_for_later = serializers.BooleanField(required=False)
    accept_current_price = serializers.BooleanField(
        required=False, default=False, help_text="Take the item's current price as the line's new price."
    )
