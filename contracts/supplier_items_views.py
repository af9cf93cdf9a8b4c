"""A supplier's own catalog items (catalog managers and supplier admins): the list across its contracts and one
item's page with its price history and a "Change price" form (decreases apply at once, increases wait for the
co-op). The reads below take the supplier from the URL; another supplier's item is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views import View

from marketplace.core.errors import ApplicationError

from .models import ItemStatus, PriceChangeStatus
from .selectors import (
    SUPPLIER_ITEM_QUERY_MAX,
    supplier_contracts,
    supplier_item_get,
    supplier_item_list,
    supplier_item_price_history,
)
from .services.catalog import MAX_REASON_LENGTH, catalog_item_price_request
from .supplier_views import SupplierCatalogMixin

ITEMS_PER_PAGE = 50


# --- Forms ------------------------------------------------------------------------------------------------------


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="Search SKU, name or part number", required=False, max_length=SUPPLIER_ITEM_QUERY_MAX)
    contract = forms.ChoiceField(label="Contract", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *ItemStatus.choices])

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [("", "All contracts")] + [(c.number, c.number) for c in contracts]


class PriceChangeForm(forms.Form):
    contract_price = forms.DecimalField(
        label="New contract price",
        max_digits=12,
        decimal_places=2,
        help_text="In dollars, e.g. 12.50. A lower price applies at once; a higher one waits for the co-op.",
    )
    list_price = forms.DecimalField(
        label="New list price (optional)",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Leave empty to keep the current list price.",
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the co-op with an increase.",
    )

    def add_service_error(self, exc: ApplicationError) -> None:
        for name, errors in exc.fields.items():
            for error in errors:
                self.add_error(name if name in self.fields else None, error)
        if not exc.fields:
            self.add_error(None, exc.message)


# --- Views ------------------------------------------------------------------------------------------------------


class ItemListView(SupplierCatalogMixin, View):
    def get(self, request, org):
        contracts = list(supplier_contracts(supplier=self.organization))
        form = ItemFilterForm(request.GET or None, contracts=contracts)
        filters = form.cleaned_data if form.is_valid() else {}
        items = supplier_item_list(supplier=self.organization, filters=filters)
        page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "form": form,
            "page_obj": page,
            "items": page.object_list,
            "filtered": bool(filters and any(filters.values())),
        }
        return self.render_page("contracts/items/list.html", context)


class ItemDetailView(SupplierCatalogMixin, View):
    def _page(self, item, form, status=200):
        history = list(supplier_item_price_history(item=item))
        pending = next((c for c in history if c.status == PriceChangeStatus.PENDING), None)
        context = {"item": item, "form": form, "history": history, "pending": pending}
        return self.render_page("contracts/items/detail.html", context, status=status)

    def get(self, request, org, item_id):
        item = supplier_item_get(supplier=self.organization, item_id=item_id)
        return self._page(item, PriceChangeForm())

    def post(self, request, org, item_id):
        item = supplier_item_get(supplier=self.organization, item_id=item_id)
        form = PriceChangeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = catalog_item_price_request(
                    item=item,
                    actor=request.user,
                    contract_price=data["contract_price"],
                    list_price=data["list_price"],
                    reason=data["reason"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                if change.status == PriceChangeStatus.PENDING:
                    messages.info(
                        request,
                        f"Price increase to ${change.new_price} sent to the co-op for approval. "
                        f"The item keeps its price of ${change.old_price} until they approve it.",
                    )
                else:
                    messages.success(request, f"Price changed to ${change.new_price}. It applies now.")
                return redirect("supplier-catalog-item", org=self.organization.slug, item_id=item.pk)
        return self._page(item, form, status=400)
