"""The catalog of a contract: categories, items, price changes (history and pending increases), catalog
imports and the search vocabulary. Tables keep the `contracts_` prefix: these are models of the contracts app."""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


class Category(models.Model):
    """The platform's product taxonomy (shared by every contract)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=300, help_text="Full name, e.g. 'Batteries > Alkaline cells'.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.path


class ItemStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISCONTINUED = "discontinued", "Discontinued"


class ImageStatus(models.TextChoices):
    PROCESSING = "processing", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be read"


class CatalogImage(models.Model):
    """A picture, named by the SHA-256 of its bytes: the same file uploaded twice (or by two items) is stored
    and resized once. The checked original is kept under `catalog-images/originals/`; a worker writes the
    derivatives (`catalog-images/<aa>/<digest>-<size>.webp`). Served only as public as the items using it
    (contracts/catalog/views/images.py)."""

    digest = models.CharField("SHA-256", max_length=64, primary_key=True)
    format = models.CharField(max_length=10, help_text="JPEG, PNG or WEBP (from the content, not the name).")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=ImageStatus.choices, default=ImageStatus.PROCESSING)
    failure = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="catalogimage_status")]

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.format} {self.width}×{self.height})"

    @property
    def is_ready(self) -> bool:
        return self.status == ImageStatus.READY


class CatalogItemQuerySet(TenantQuerySet):
    tenant_field = "contract__supplier"


class CatalogItem(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="items")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    category_path = models.CharField(max_length=300, help_text="Denormalised for search.")
    manufacturer = models.CharField(max_length=120, blank=True)
    mpn = models.CharField("manufacturer part number", max_length=80, blank=True)
    unspsc = models.CharField("UNSPSC code", max_length=8, blank=True)
    unit = models.CharField("unit of measure", max_length=20, default="EA")
    pack_size = models.PositiveIntegerField(default=1)
    list_price = models.DecimalField(max_digits=12, decimal_places=2)
    contract_price = models.DecimalField(max_digits=12, decimal_places=2)
    lead_time_days = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.ACTIVE)
    image_url = models.URLField(max_length=500, blank=True, help_text="The supplier's reference; never fetched.")
    image = models.ForeignKey(
        CatalogImage, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_column="image_digest"
    )
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name", weight="A", config="english")
            + SearchVector("manufacturer", "mpn", "sku", weight="B", config="simple")
            + SearchVector("category_path", weight="C", config="english")
            + SearchVector("description", weight="D", config="english")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CatalogItemQuerySet.as_manager()
    tenant_exempt = "reached through its contract (supplier / co-op / member agencies)"

    class Meta:
        ordering = ["name", "sku"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sku"], name="catalogitem_unique_sku"),
            models.CheckConstraint(
                condition=Q(contract_price__gte=0) & Q(list_price__gte=0), name="catalogitem_prices"
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="catalogitem_search"),
            GinIndex(OpClass(Upper("sku"), name="gin_trgm_ops"), name="catalogitem_sku_trgm"),
            GinIndex(OpClass(Upper("mpn"), name="gin_trgm_ops"), name="catalogitem_mpn_trgm"),
            models.Index(Upper("sku"), name="catalogitem_sku_upper"),
            models.Index(Upper("mpn"), name="catalogitem_mpn_upper"),
            models.Index(fields=["contract", "status", "category"], name="catalogitem_browse"),
            models.Index(fields=["contract", "status", "contract_price"], name="catalogitem_price"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} — {self.name}"


class SearchWord(models.Model):
    """Unique words of the catalog (the pg_trgm "unique words" approach): typo tolerance looks here, then
    searches the item table by full text with the corrected words, never by a trigram scan of every name."""

    word = models.CharField(max_length=100, unique=True)
    ndoc = models.PositiveIntegerField(default=0, help_text="Items whose text uses the word (at refresh).")

    class Meta:
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="searchword_trgm")]

    def __str__(self) -> str:
        return self.word


class PriceChangeStatus(models.TextChoices):
    APPLIED = "applied", "Applied"  # decreases (and initial prices) take effect at once
    PENDING = "pending", "Waiting for co-op approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class PriceChangeQuerySet(TenantQuerySet):
    tenant_field = "item__contract__supplier"


class PriceChange(models.Model):
    """Price history of an item. Increases wait for co-op approval and take effect on the approval date."""

    item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="price_changes")
    old_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    new_price = models.DecimalField(max_digits=12, decimal_places=2)
    old_list_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    new_list_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=PriceChangeStatus.choices)
    effective_date = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    source_import = models.ForeignKey(
        "CatalogImport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="The co-op's reason for its decision (or why it was superseded).")
    request_reason = models.TextField(blank=True, db_default="", help_text="Why the supplier asked for the change.")

    objects = PriceChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="pending"), name="pricechange_one_pending_per_item"
            )
        ]

    audit_related = ("item", "item__contract")

    def audit_label(self) -> str:
        from marketplace.core.formatting import money

        return f"Price change {self.item.sku} {money(self.old_price) or 'new'} → {money(self.new_price)}"

    @classmethod
    def audit_visible(cls, organization):
        """The supplier's own price changes, and for a co-op those on its contracts (which it decides)."""
        if organization.kind == "cooperative":
            return cls.objects.filter(item__contract__cooperative=organization)
        return cls.objects.for_organization(organization)

    def audit_url(self, organization) -> str | None:
        if organization.pk == self.item.contract.supplier_id:
            return reverse("supplier-catalog-item", kwargs={"org": organization.slug, "item_id": self.item_id})
        if organization.pk == self.item.contract.cooperative_id:
            return reverse("coop-price-changes", kwargs={"org": organization.slug})
        return None


# --- Catalog imports ----------------------------------------------------------------------------


class ImportMode(models.TextChoices):
    UPSERT = "upsert", "Add and update the rows in the file"
    REPLACE = "replace", "Replace: also discontinue items missing from the file"


# The one short name of each mode, where the long label does not fit (import history, the import page).
IMPORT_MODE_NAMES = {ImportMode.UPSERT: "Add and update", ImportMode.REPLACE: "Replace"}


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Validating"
    REJECTED = "rejected", "Rejected"
    PREVIEW = "preview", "Ready to review"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


def catalog_import_path(instance: "CatalogImport", filename: str) -> str:
    ext = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    return f"catalog-imports/{instance.public_id}.{ext}"


def catalog_import_images_path(instance: "CatalogImport", filename: str) -> str:
    return f"catalog-imports/{instance.public_id}.images.zip"


class CatalogImportQuerySet(TenantQuerySet):
    tenant_field = "supplier"


class CatalogImport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    supplier = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="catalog_imports")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(upload_to=catalog_import_path, max_length=300)
    original_name = models.CharField(max_length=255)
    images = models.FileField(
        upload_to=catalog_import_images_path, max_length=300, blank=True, help_text="The ZIP of pictures, if any."
    )
    images_name = models.CharField(max_length=255, blank=True)
    mode = models.CharField(max_length=10, choices=ImportMode.choices, default=ImportMode.UPSERT)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(
        default=dict, blank=True, help_text="added / changed / increases / discontinued / unchanged"
    )
    errors = models.JSONField(default=list, blank=True, help_text="[{row, column, value, reason}] (first 1,000)")
    error_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CatalogImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # at most one import per contract may be applying at a time (the second is refused)
            models.UniqueConstraint(
                fields=["contract"], condition=Q(status="applying"), name="catalogimport_one_applying"
            )
        ]

    @property
    def mode_name(self) -> str:
        return IMPORT_MODE_NAMES.get(self.mode, self.get_mode_display())

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def audit_label(self) -> str:
        return f"Catalog import {self.original_name}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.supplier_id:
            return None
        return reverse("supplier-catalog-import", kwargs={"org": organization.slug, "public_id": self.public_id})


# --- A file kept from a refused upload form ---------------------------------------------------------------


def kept_upload_path(instance: "KeptUpload", filename: str) -> str:
    ext = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    return f"catalog-imports/kept/{instance.public_id}.{ext}"


class KeptUploadQuerySet(TenantQuerySet):
    tenant_field = "supplier"


class KeptUpload(models.Model):
    """A catalog file sent with an upload form that was refused (no contract chosen, say), kept so the supplier
    need not choose it again. The form carries a signed token naming it (never a path); the next good submission
    turns it into a `CatalogImport`, and `kept_upload_sweep` removes those left behind
    (contracts/catalog/services/kept_uploads.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    supplier = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=kept_upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = KeptUploadQuerySet.as_manager()

    def __str__(self) -> str:
        return self.original_name
