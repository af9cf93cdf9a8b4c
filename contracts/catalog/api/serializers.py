"""Catalog API types (request and response): catalog imports, a supplier's own items and its single-item price
change request, and price changes."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.catalog.images.derivatives import LARGE, THUMBNAIL
from contracts.catalog.images.pictures import item_picture
from contracts.catalog.services.pricing import MAX_REASON_LENGTH, discount_off_list, percent_change
from contracts.models import CatalogImport, CatalogItem, ImageStatus, ImportMode, PriceChange

PICTURE_STATUS_CHOICES = [("none", "No picture of its own"), *ImageStatus.choices]

API_ERRORS_PER_PAGE = 100


class ImportUploadInputSerializer(serializers.Serializer):
    contract = serializers.CharField(max_length=40, help_text="Contract number")
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.UPSERT)
    file = serializers.FileField(help_text="CSV (UTF-8 / Windows-1252; comma, semicolon or tab) or XLSX")
    images = serializers.FileField(
        required=False,
        help_text="Optional ZIP of JPEG / PNG / WebP pictures named in the file's image column",
    )


class ImportProgressSerializer(serializers.Serializer):
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    percent = serializers.IntegerField()


class ImportCountsSerializer(serializers.Serializer):
    added = serializers.IntegerField(required=False)
    changed = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    increases = serializers.IntegerField(required=False, help_text="price increases needing co-op approval")
    decreases = serializers.IntegerField(required=False)
    discontinued = serializers.IntegerField(required=False)
    pending_created = serializers.IntegerField(required=False, help_text="pending requests created (after apply)")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="spreadsheet row (header = 1; 0 = the whole file)")
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class PreviewSampleSerializer(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    old_price = serializers.CharField(required=False)
    new_price = serializers.CharField(required=False)
    contract_price = serializers.CharField(required=False)
    fields = serializers.ListField(child=serializers.CharField(), required=False)
    reason = serializers.CharField(required=False, help_text="the row's reason for a price increase")


class PreviewSamplesSerializer(serializers.Serializer):
    added = PreviewSampleSerializer(many=True, required=False)
    changed = PreviewSampleSerializer(many=True, required=False)
    increases = PreviewSampleSerializer(many=True, required=False)
    decreases = PreviewSampleSerializer(many=True, required=False)
    discontinued = PreviewSampleSerializer(many=True, required=False)


class PreviewSerializer(serializers.Serializer):
    counts = ImportCountsSerializer(required=False)
    samples = PreviewSamplesSerializer(required=False)


class CatalogImportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    contract = serializers.CharField(source="contract.number")
    file_name = serializers.CharField(source="original_name")
    progress = serializers.SerializerMethodField()
    counts = ImportCountsSerializer()
    created_by = serializers.EmailField(source="created_by.email")
    confirmed_by = serializers.EmailField(source="confirmed_by.email", allow_null=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = CatalogImport
        fields = [
            "id",
            "contract",
            "file_name",
            "mode",
            "status",
            "progress",
            "counts",
            "error_count",
            "failure",
            "created_by",
            "created_at",
            "confirmed_by",
            "started_at",
            "finished_at",
            "url",
        ]

    def get_progress(self, imp) -> ImportProgressSerializer:
        percent = int(imp.rows_done * 100 / imp.rows_total) if imp.rows_total else 0
        return {"rows_done": imp.rows_done, "rows_total": imp.rows_total, "percent": min(percent, 100)}

    def get_url(self, imp) -> str:
        return reverse("api-supplier-catalog-import", kwargs={"org": imp.supplier.slug, "public_id": imp.public_id})


class CatalogImportDetailSerializer(CatalogImportSerializer):
    """One import with its errors (100 per `errors_page`; all in the error report) and preview."""

    errors = serializers.SerializerMethodField()
    errors_page = serializers.SerializerMethodField()
    errors_pages = serializers.SerializerMethodField()
    error_report_url = serializers.SerializerMethodField()
    preview = PreviewSerializer()

    class Meta(CatalogImportSerializer.Meta):
        fields = [
            *CatalogImportSerializer.Meta.fields,
            "errors",
            "errors_page",
            "errors_pages",
            "error_report_url",
            "preview",
        ]

    def _page(self) -> int:
        try:
            return max(int(self.context.get("errors_page") or 1), 1)
        except (TypeError, ValueError):
            return 1

    def get_errors(self, imp) -> RowErrorSerializer(many=True):
        start = (self._page() - 1) * API_ERRORS_PER_PAGE
        return imp.errors[start : start + API_ERRORS_PER_PAGE]

    def get_errors_page(self, imp) -> int:
        return self._page()

    def get_errors_pages(self, imp) -> int:
        return max((len(imp.errors) + API_ERRORS_PER_PAGE - 1) // API_ERRORS_PER_PAGE, 1)

    def get_error_report_url(self, imp) -> str | None:
        if not imp.error_count:
            return None
        return reverse("supplier-catalog-import-errors", kwargs={"org": imp.supplier.slug, "public_id": imp.public_id})


class PriceChangeItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()


class PriceChangeSerializer(serializers.ModelSerializer):
    item = PriceChangeItemSerializer()
    contract = serializers.CharField(source="item.contract.number")
    supplier = serializers.CharField(source="item.contract.supplier.name")
    percent_change = serializers.SerializerMethodField()
    discount_off_list = serializers.SerializerMethodField()
    request_reason = serializers.CharField(
        help_text="The supplier's reason for the change (an import's reason column or the price form); may be empty"
    )
    requested_by = serializers.EmailField(source="requested_by.email", allow_null=True, default=None)
    decided_by = serializers.EmailField(source="decided_by.email", allow_null=True, default=None)

    class Meta:
        model = PriceChange
        fields = [
            "id",
            "item",
            "contract",
            "supplier",
            "old_price",
            "new_price",
            "old_list_price",
            "new_list_price",
            "percent_change",
            "discount_off_list",
            "status",
            "effective_date",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "request_reason",
            "reason",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True))
    def get_percent_change(self, change) -> str | None:
        value = percent_change(change.old_price, change.new_price)
        return None if value is None else str(value)

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=7,
            decimal_places=1,
            allow_null=True,
            help_text="The new contract price's discount off the new list price, in percent (null without one)",
        )
    )
    def get_discount_off_list(self, change) -> str | None:
        value = discount_off_list(change.new_list_price, change.new_price)
        return None if value is None else str(value)


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH, help_text="Why the increase is rejected (the supplier sees it)"
    )


class PictureSerializer(serializers.Serializer):
    """The picture to show for an item: its own once resized, else its category's (a drawing)."""

    status = serializers.ChoiceField(
        choices=PICTURE_STATUS_CHOICES,
        help_text="The item's own picture: none, processing (being resized), ready, or failed (unreadable).",
    )
    own = serializers.BooleanField(help_text="False: the URLs are the category's picture.")
    thumbnail_url = serializers.CharField(help_text=f"{THUMBNAIL} × {THUMBNAIL} px (the category's picture: SVG).")
    large_url = serializers.CharField(help_text=f"{LARGE} × {LARGE} px (the category's picture: SVG).")


def picture_data(item) -> dict:
    small, large = item_picture(item, THUMBNAIL), item_picture(item, LARGE)
    return {"status": small.status, "own": small.own, "thumbnail_url": small.url, "large_url": large.url}


class SupplierItemSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    picture = serializers.SerializerMethodField()
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
            "picture",
            "updated_at",
        ]

    def get_picture(self, item) -> PictureSerializer:
        return picture_data(item)


class ItemImageInputSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="A JPEG, PNG or WebP picture (checked by content), at most 10 MB")


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
