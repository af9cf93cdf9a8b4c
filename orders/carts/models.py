"""Carts (one per member per agency) and agency-shared order templates."""

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone

from marketplace.core.models import Organization
from marketplace.core.querysets import TenantQuerySet


class Cart(models.Model):
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="carts")
    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="carts")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="cart_one_per_member")]

    def __str__(self) -> str:
        return f"Cart of {self.user} in {self.agency}"


class CartLine(models.Model):
    """An item in a cart with the prices seen when it was added (to warn when they change)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("contracts.CatalogItem", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    saved_for_later = models.BooleanField(default=False)
    unit_price_snapshot = models.DecimalField(max_digits=12, decimal_places=2)
    list_price_snapshot = models.DecimalField(max_digits=12, decimal_places=2)
    added_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    tenant_exempt = "reached through its cart"

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "item"], name="cart_line_one_per_item"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_line_quantity_gte_1"),
        ]


class OrderTemplate(models.Model):
    """A named list of items any requester of the agency can load into their cart (e.g. an emergency kit)."""

    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="order_templates")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()
    tenant_field = "agency"

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="order_template_unique_name")]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"Order template {self.name}"

    def audit_url(self, organization) -> str | None:
        if organization.pk != self.agency_id:
            return None
        return reverse("agency-order-template", kwargs={"org": organization.slug, "template": self.public_id})


class OrderTemplateLine(models.Model):
    template = models.ForeignKey(OrderTemplate, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("contracts.CatalogItem", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "item"], name="order_template_line_one_per_item"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_template_line_quantity_gte_1"),
        ]
