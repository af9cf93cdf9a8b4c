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


class SkippedLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.CharField(help_text="The quantity asked for, as given.")
    reason = serializers.CharField(help_text="Why it was not put into the cart.")


class CartFillLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The cart line.")
    item = CartItemSerializer()
    quantity = serializers.IntegerField(help_text="The line's quantity now (what was there plus what was added).")
    unit_price = serializers.DecimalField(
        source="unit_price_snapshot", max_digits=12, decimal_places=2, help_text="Today's contract price."
    )


class CartFillSerializer(serializers.Serializer):
    """What a reorder or a template load put into the cart, and what it skipped."""

    added = CartFillLineSerializer(many=True)
    skipped = SkippedLineSerializer(many=True)
    cart_count = serializers.IntegerField(help_text="Lines to order in the cart now.")


class OrderTemplateLineSerializer(serializers.Serializer):
    item = CartItemSerializer(source="line.item")
    quantity = serializers.IntegerField(source="line.quantity")
    orderable = serializers.SerializerMethodField()
    problem = serializers.CharField(help_text="Why the item would be skipped if loaded now (empty when orderable).")

    def get_orderable(self, row) -> bool:
        return not row.problem


class OrderTemplateSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    description = serializers.CharField()
    line_count = serializers.IntegerField()
    created_by = serializers.CharField(source="created_by.get_full_name", default="", allow_null=True)
    created_at = serializers.DateTimeField()


class OrderTemplateSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="template.public_id")
    name = serializers.CharField(source="template.name")
    description = serializers.CharField(source="template.description")
    created_by = serializers.CharField(source="template.created_by.get_full_name", default="", allow_null=True)
    created_at = serializers.DateTimeField(source="template.created_at")
    total = serializers.DecimalField(**MONEY, help_text="Today's contract total of the lines that can be ordered.")
    lines = OrderTemplateLineSerializer(source="rows", many=True)


class OrderTemplateLineInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="A catalog item id from your agency's catalog search.")
    quantity = serializers.IntegerField()


class OrderTemplateCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    lines = OrderTemplateLineInputSerializer(many=True, required=False, default=list)
    from_cart = serializers.BooleanField(
        required=False, default=False, help_text="Take the lines to order in your cart (instead of `lines`)."
    )


class OrderTemplateUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lines = OrderTemplateLineInputSerializer(
        many=True, required=False, help_text="The template's lines from now on (replaces them all)."
    )
