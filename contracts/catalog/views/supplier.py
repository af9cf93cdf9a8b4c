"""Supplier catalog pages (catalog managers and supplier admins): contracts, import history, upload, the import
page with live progress (htmx polls the status partial), errors, preview, confirm / cancel / retry; the supplier's
own items across its contracts and one item's page with its price history and a "Change price" form (decreases
apply at once, increases wait for the co-op). Another supplier's import or item is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from contracts.catalog import selectors
from contracts.catalog.filters import SupplierItemFilter
from contracts.catalog.forms import ImportUploadForm, ItemImageForm, PriceChangeForm
from contracts.catalog.imports.export import catalog_export_csv, catalog_export_xlsx
from contracts.catalog.imports.parsing import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_EXPANDED_BYTES,
    REQUIRED_COLUMNS,
)
from contracts.catalog.imports.template import COLUMN_GUIDE, template_csv, template_xlsx
from contracts.catalog.services.images import catalog_item_image_remove, catalog_item_image_set
from contracts.catalog.services.imports import (
    catalog_import_cancel,
    catalog_import_confirm,
    catalog_import_create,
    catalog_import_report,
    catalog_import_retry,
)
from contracts.catalog.services.kept_uploads import (
    keepable,
    kept_upload_create,
    kept_upload_discard,
    kept_upload_open,
    kept_upload_resolve,
    kept_upload_token,
)
from contracts.catalog.services.pricing import catalog_item_price_request
from contracts.models import ImportStatus, PriceChangeStatus
from marketplace.core.dates import organization_today
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
        "column_guide": COLUMN_GUIDE,
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
    """The upload form. The contract is preselected from `?contract=` (a contract's "Upload" link) or when the
    supplier has only one; a file sent with a form refused for another reason is kept (services/kept_uploads.py)."""

    def _form(self, data=None, files=None, kept=None):
        contracts = list(selectors.supplier_importable_contracts(supplier=self.organization))
        chosen = self.request.GET.get("contract", "")
        if not chosen and len(contracts) == 1:
            chosen = contracts[0].number
        form = ImportUploadForm(data, files, contracts=contracts, kept=kept, initial={"contract": chosen})
        return form, contracts

    def _page(self, form, contracts, *, kept=None, status=200):
        context = {
            "form": form,
            "contracts": contracts,
            "kept": kept,
            "kept_token": kept_upload_token(kept) if kept else "",
            **limits_context(),
        }
        return self.render_page("contracts/imports/new.html", context, status=status)

    def get(self, request, org):
        form, contracts = self._form()
        return self._page(form, contracts)

    def post(self, request, org):
        token = request.POST.get("kept_file", "")
        kept = kept_upload_resolve(supplier=self.organization, actor=request.user, token=token)
        form, contracts = self._form(request.POST, request.FILES, kept=kept)
        if form.is_valid():
            contract = selectors.supplier_contract_get(supplier=self.organization, number=form.cleaned_data["contract"])
            data = form.cleaned_data
            file = data["file"] or kept_upload_open(kept)
            try:
                imp = catalog_import_create(
                    contract=contract,
                    actor=request.user,
                    file=file,
                    mode=data["mode"],
                    images=data.get("images"),
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                if kept is not None:  # used, or replaced by the file chosen now
                    kept_upload_discard(kept=kept)
                return self.to_import(imp)  # the page's own banner says it is being checked, while it is
            finally:
                if not data["file"]:
                    file.close()
        # Refused. Keep the file chosen now unless it is what was wrong (then drop the one kept before, too).
        chosen = request.FILES.get("file")
        if "file" in form.errors:
            kept = None
        elif chosen is not None and keepable(chosen):
            if kept is not None:
                kept_upload_discard(kept=kept)
            kept = kept_upload_create(supplier=self.organization, actor=request.user, file=chosen)
        form.fields["file"].required = kept is None  # a kept file stands in for one: the field is no longer required
        return self._page(form, contracts, kept=kept, status=400)


class CatalogExportView(SupplierCatalogMixin, View):
    """Download current catalog: a contract's items in the import format, streamed (imports/export.py)."""

    fmt = "csv"

    def get(self, request, org, contract):
        contract = selectors.supplier_contract_by_slug(supplier=self.organization, slug=contract)
        name = f"{contract.slug}-catalog-{organization_today(self.organization).isoformat()}.{self.fmt}"
        if self.fmt == "xlsx":
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = FileResponse(catalog_export_xlsx(contract=contract), content_type=content_type)
        else:
            rows = catalog_export_csv(contract=contract)
            response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


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
    def _page(self, item, form, status=200, image_form=None):
        history = list(selectors.supplier_item_price_history(item=item))
        pending = next((c for c in history if c.status == PriceChangeStatus.PENDING), None)
        context = {
            "item": item,
            "form": form,
            "image_form": image_form or ItemImageForm(),
            "history": history,
            "pending": pending,
        }
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


class ItemImageView(ItemDetailView):
    """POST a picture for one item (multipart `image`), or `remove` to show the category's picture again."""

    def get(self, request, org, item_id):
        return redirect("supplier-catalog-item", org=org, item_id=item_id)

    def post(self, request, org, item_id):
        item = selectors.supplier_item_get(supplier=self.organization, item_id=item_id)
        back = redirect(f"{reverse('supplier-catalog-item', args=[org, item.pk])}#picture")
        if "remove" in request.POST:
            try:
                catalog_item_image_remove(item=item, actor=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Picture removed. The item shows its category's picture.")
            return back
        form = ItemImageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                catalog_item_image_set(item=item, actor=request.user, file=form.cleaned_data["image"])
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Picture uploaded. It is being resized; buyers see it in a moment.")
                return back
        return self._page(item, PriceChangeForm(), status=400, image_form=form)
