"""Supplier catalog pages (catalog managers and supplier admins): contracts, import history, upload, the import
page with live progress (htmx polls the status partial), errors, preview, confirm / cancel / retry; the supplier's
own items across its contracts and one item's page with its price history and a "Change price" form (decreases
apply at once, increases wait for the co-op). Another supplier's import or item is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views import View

from contracts.catalog import selectors
from contracts.catalog.filters import SupplierItemFilter
from contracts.catalog.forms import ImportUploadForm, PriceChangeForm
from contracts.catalog.imports.parsing import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_EXPANDED_BYTES,
    REQUIRED_COLUMNS,
)
from contracts.catalog.imports.template import template_csv, template_xlsx
from contracts.catalog.services.imports import (
    catalog_import_cancel,
    catalog_import_confirm,
    catalog_import_create,
    catalog_import_report,
    catalog_import_retry,
)
from contracts.catalog.services.pricing import catalog_item_price_request
from contracts.models import ImportStatus, PriceChangeStatus
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import money
from marketplace.core.roles import SUPPLIER_CATALOG_ROLES, OrgKind
from marketplace.core.tenancy import OrganizationViewMixin

RUNNING = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.APPLYING)
ERRORS_PER_PAGE = 50
IMPORTS_PER_PAGE = 25
ITEMS_PER_PAGE = 50


class SupplierCatalogMixin(OrganizationViewMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = SUPPLIER_CATALOG_ROLES

    def get_import(self):
        return selectors.catalog_import_get(supplier=self.organization, public_id=self.kwargs["public_id"])

    def to_import(self, imp):
        return redirect("supplier-catalog-import", org=self.organization.slug, public_id=imp.public_id)


def limits_context() -> dict:
    return {
        "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
        "max_xlsx_mb": MAX_XLSX_EXPANDED_BYTES // (1024 * 1024),
        "columns": COLUMNS,
        "required_columns": REQUIRED_COLUMNS,
    }


class CatalogHomeView(SupplierCatalogMixin, View):
    def get(self, request, org):
        page = Paginator(selectors.catalog_import_list(supplier=self.organization), IMPORTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = {
            "contracts": list(selectors.supplier_contract_list(supplier=self.organization)),
            "page_obj": page,
            "imports": page.object_list,
            **limits_context(),
        }
        return self.render_page("contracts/imports/catalog.html", context)


class CatalogTemplateView(SupplierCatalogMixin, View):
    fmt = "csv"

    def get(self, request, org):
        if self.fmt == "xlsx":
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = HttpResponse(template_xlsx(), content_type=content_type)
        else:
            response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="catalog-template.{self.fmt}"'
        return response


class ImportCreateView(SupplierCatalogMixin, View):
    def _form(self, data=None, files=None):
        contracts = list(selectors.supplier_importable_contracts(supplier=self.organization))
        initial = {"contract": self.request.GET.get("contract", "")}
        return ImportUploadForm(data, files, contracts=contracts, initial=initial), contracts

    def get(self, request, org):
        form, contracts = self._form()
        context = {"form": form, "contracts": contracts, **limits_context()}
        return self.render_page("contracts/imports/new.html", context)

    def post(self, request, org):
        form, contracts = self._form(request.POST, request.FILES)
        if form.is_valid():
            contract = selectors.supplier_contract_get(supplier=self.organization, number=form.cleaned_data["contract"])
            try:
                data = form.cleaned_data
                imp = catalog_import_create(contract=contract, actor=request.user, file=data["file"], mode=data["mode"])
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                return self.to_import(imp)  # the page's own banner says it is being checked, while it is
        context = {"form": form, "contracts": contracts, **limits_context()}
        return self.render_page("contracts/imports/new.html", context, status=400)


def _detail_context(imp, request) -> dict:
    errors_page = Paginator(imp.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    percent = int(imp.rows_done * 100 / imp.rows_total) if imp.rows_total else 0
    return {
        "imp": imp,
        "running": imp.status in RUNNING,
        "percent": min(percent, 100),
        "page_obj": errors_page,
        "errors_page": errors_page.object_list,
        "more_errors": max(imp.error_count - len(imp.errors), 0),
        "preview": imp.preview or {},
        "counts": imp.counts or {},
    }


class ImportDetailView(SupplierCatalogMixin, View):
    def get(self, request, org, public_id):
        return self.render_page("contracts/imports/detail.html", _detail_context(self.get_import(), request))


class ImportStatusView(SupplierCatalogMixin, View):
    """The live part of the import page (htmx polls it every second while the import runs)."""

    def get(self, request, org, public_id):
        return self.render_page("contracts/imports/detail.html#live", _detail_context(self.get_import(), request))


class ImportErrorReportView(SupplierCatalogMixin, View):
    def get(self, request, org, public_id):
        imp = self.get_import()
        response = HttpResponse(catalog_import_report(imp=imp), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-errors-{imp.public_id}.csv"'
        return response


class _ImportAction(SupplierCatalogMixin, View):
    def get(self, request, org, public_id):
        return redirect("supplier-catalog-import", org=org, public_id=public_id)

    def post(self, request, org, public_id):
        imp = self.get_import()
        try:
            result = self.act(imp)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.to_import(imp)
        return self.to_import(result)


class ImportConfirmView(_ImportAction):
    def act(self, imp):
        return catalog_import_confirm(imp=imp, actor=self.request.user)  # the page says it is being applied


class ImportCancelView(_ImportAction):
    def act(self, imp):
        return catalog_import_cancel(imp=imp, actor=self.request.user)  # the page says "Cancelled. Nothing was …"


class ImportRetryView(_ImportAction):
    def act(self, imp):
        return catalog_import_retry(imp=imp, actor=self.request.user)  # the new import's page says it is being checked


class ItemListView(SupplierCatalogMixin, View):
    def get(self, request, org):
        filters = SupplierItemFilter(request.GET, organization=self.organization)
        items = selectors.supplier_item_list(supplier=self.organization, filters=filters)
        page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "form": filters.form,
            "page_obj": page,
            "items": page.object_list,
            "filtered": filters.active,
        }
        return self.render_page("contracts/items/list.html", context, status=400 if filters.errors else 200)


class ItemDetailView(SupplierCatalogMixin, View):
    def _page(self, item, form, status=200):
        history = list(selectors.supplier_item_price_history(item=item))
        pending = next((c for c in history if c.status == PriceChangeStatus.PENDING), None)
        context = {"item": item, "form": form, "history": history, "pending": pending}
        return self.render_page("contracts/items/detail.html", context, status=status)

    def get(self, request, org, item_id):
        item = selectors.supplier_item_get(supplier=self.organization, item_id=item_id)
        return self._page(item, PriceChangeForm())

    def post(self, request, org, item_id):
        item = selectors.supplier_item_get(supplier=self.organization, item_id=item_id)
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
                        f"Price increase to {money(change.new_price)} sent to the co-op for approval. "
                        f"The item keeps its price of {money(change.old_price)} until they approve it.",
                    )
                else:
                    messages.success(request, f"Price changed to {money(change.new_price)}. It applies now.")
                return redirect("supplier-catalog-item", org=self.organization.slug, item_id=item.pk)
        return self._page(item, form, status=400)
