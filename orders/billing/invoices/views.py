"""Invoice pages.

Supplier (order desk and supplier admins): create an invoice for one order
(`/suppliers/<org>/orders/<po>/invoices/new/`), the list of its invoices with a status filter, one invoice with the
dispute-answer and void forms. Agency (finance and agency admins): the list (status incl. on hold, due), one
invoice showing its lines against the order and the receipts, the match problems in words, the accept-exception
and dispute forms, and the payments and credits so far. PDF downloads for the supplier, the agency and the co-op
(read-only), a 404 until the worker has made the PDF. A refused write re-renders its page with what was wrong
(nothing changed)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.billing.invoices import forms, selectors
from orders.billing.invoices.api import serializers as io
from orders.billing.invoices.filters import InvoiceFilter
from orders.billing.models import Invoice, InvoiceStatus
from orders.billing.services import invoices
from orders.billing.services.invoice_pdf import invoice_match_status, invoice_pdf_filename
from orders.purchase_orders.desk import selectors as desk_selectors
from orders.purchase_orders.models import PDFStatus

INVOICES_PER_PAGE = 50


def invoice_pdf_response(invoice: Invoice) -> FileResponse:
    if invoice.pdf_status != PDFStatus.READY or not invoice.pdf:
        raise Http404("The invoice PDF is not ready.")
    try:
        handle = invoice.pdf.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is not available.") from exc
    return FileResponse(
        handle, as_attachment=True, filename=invoice_pdf_filename(invoice), content_type="application/pdf"
    )


class _InvoicePages(OrganizationViewMixin):
    PDF_URL = ""

    def get_invoice(self) -> Invoice:
        invoice = selectors.invoice_get(organization=self.organization, public_id=self.kwargs["invoice_id"])
        if invoice is None:
            raise Http404("No such invoice.")
        return invoice

    def render_list(self, template: str):
        filters = InvoiceFilter(self.request.GET, request=self.request, organization=self.organization)
        rows = selectors.invoice_list(organization=self.organization, filters=filters)
        page = Paginator(rows, INVOICES_PER_PAGE).get_page(self.request.GET.get("page"))
        context = {"form": filters.form, "page_obj": page, "invoices": page.object_list, "filtered": filters.active}
        return self.render_page(template, context, status=400 if filters.errors else 200)

    def detail_context(self, invoice: Invoice) -> dict:
        return {
            "invoice": invoice,
            "po": invoice.purchase_order,
            "lines": list(invoice.lines.all()),
            "payments": list(invoice.payments.all()),
            "credits": list(invoice.credit_memos.all()),
            "match_status": invoice_match_status(invoice),
            "pdf_url": reverse(self.PDF_URL, args=[self.organization.slug, invoice.public_id]) if self.PDF_URL else "",
        }

    def post_action(self, actions: dict, template: str, redirect_name: str):
        invoice = self.get_invoice()
        action = self.request.POST.get("action", "")
        if action not in actions:
            return self.render_detail(invoice, template, form=action, message="Choose what to do.", status=400)
        serializer, service, field, done = actions[action]
        try:
            data = io.parse(serializer, {field: self.request.POST.get(field, "")}).validated_data
            service(invoice=invoice, actor=self.request.user, **{field: data[field]})
        except ApplicationError as exc:
            return self.render_detail(
                self.get_invoice(),
                template,
                form=action,
                values=self.request.POST,
                errors=exc.fields,
                message=exc.message,
                status=exc.status_code,
            )
        messages.success(self.request, done.format(number=invoice.number))
        return HttpResponseRedirect(reverse(redirect_name, args=[self.organization.slug, invoice.public_id]))

    def render_detail(self, invoice, template, *, form="", values=None, errors=None, message="", status=200):
        context = {
            **self.detail_context(invoice),
            "form_name": form,
            "values": values or {},
            "errors": errors or {},
            "message": message,
        }
        return self.render_page(template, context, status=status)


# --- Supplier --------------------------------------------------------------------------------------------------


class SupplierInvoiceMixin(_InvoicePages):
    organization_kind = OrgKind.SUPPLIER
    required_roles = invoices.SUPPLIER_INVOICE_ROLES
    PDF_URL = "supplier-invoice-pdf"


def _line_errors(body: dict, fields: dict) -> dict:
    """The input type's errors name lines by position (`lines.0.quantity`); the page names them by line id."""
    renamed = {}
    for key, value in fields.items():
        match = re.match(r"^lines\.(\d+)\.(\w+)$", key)
        if match and int(match.group(1)) < len(body["lines"]):
            key = f"lines.{body['lines'][int(match.group(1))]['line']}.{match.group(2)}"
        renamed[key] = value
    return renamed


class SupplierInvoiceCreateView(SupplierInvoiceMixin, View):
    def get_po(self):
        po = desk_selectors.desk_order_get(supplier=self.organization, po_id=self.kwargs["po_id"])
        if po is None:
            raise Http404("No such order.")
        return po

    def get(self, request, org, po_id):
        return self.render_form(self.get_po())

    def post(self, request, org, po_id):
        po = self.get_po()
        body = forms.invoice_create_body(po, request.POST)
        try:
            data = io.parse(io.InvoiceCreateInputSerializer, body)
            invoice = invoices.invoice_create(
                po=po,
                actor=request.user,
                number=data.validated_data["number"],
                invoice_date=data.validated_data["invoice_date"],
                lines=data.to_lines(),
                note=data.validated_data["note"],
            )
        except ApplicationError as exc:
            return self.render_form(
                self.get_po(),
                values=request.POST,
                errors=_line_errors(body, exc.fields),
                message=exc.message,
                status=exc.status_code,
            )
        if invoice.status == InvoiceStatus.READY:
            messages.success(request, f"Invoice {invoice.number} created. It matches the order: ready to pay.")
        else:
            messages.warning(
                request, f"Invoice {invoice.number} created and put on hold: it does not match. The agency decides."
            )
        return HttpResponseRedirect(reverse("supplier-invoice", args=[self.organization.slug, invoice.public_id]))

    def render_form(self, po, *, values=None, errors=None, message="", status=200):
        context = {
            "po": po,
            "rows": forms.invoice_create_rows(po, values, errors),
            "values": values or {},
            "errors": errors or {},
            "message": message,
            "today": organization_today(self.organization),
            "can_invoice": po.status in invoices.INVOICEABLE
            and any(invoices.line_invoiceable(line) for line in po.lines.all()),
        }
        return self.render_page("orders/billing/invoice_new.html", context, status=status)


class SupplierInvoiceListView(SupplierInvoiceMixin, View):
    def get(self, request, org):
        return self.render_list("orders/billing/supplier_list.html")


class SupplierInvoiceDetailView(SupplierInvoiceMixin, View):
    TEMPLATE = "orders/billing/supplier_detail.html"
    ACTIONS = {
        "answer": (
            io.InvoiceNoteInputSerializer,
            invoices.invoice_dispute_answer,
            "note",
            "Answer sent: invoice {number} is matched again.",
        ),
        "void": (
            io.InvoiceReasonInputSerializer,
            invoices.invoice_void,
            "reason",
            "Invoice {number} withdrawn (void).",
        ),
    }

    def get(self, request, org, invoice_id):
        return self.render_detail(self.get_invoice(), self.TEMPLATE)

    def post(self, request, org, invoice_id):
        return self.post_action(self.ACTIONS, self.TEMPLATE, "supplier-invoice")


# --- Agency ----------------------------------------------------------------------------------------------------


class AgencyInvoiceMixin(_InvoicePages):
    organization_kind = OrgKind.AGENCY
    required_roles = invoices.FINANCE_ROLES
    PDF_URL = "agency-invoice-pdf"


class AgencyInvoiceListView(AgencyInvoiceMixin, View):
    def get(self, request, org):
        return self.render_list("orders/billing/agency_list.html")


class AgencyInvoiceDetailView(AgencyInvoiceMixin, View):
    TEMPLATE = "orders/billing/agency_detail.html"
    ACTIONS = {
        "accept": (
            io.InvoiceNoteInputSerializer,
            invoices.invoice_hold_accept,
            "note",
            "Invoice {number} accepted as an exception: ready to pay.",
        ),
        "dispute": (
            io.InvoiceReasonInputSerializer,
            invoices.invoice_dispute,
            "reason",
            "Invoice {number} disputed. The supplier was told why.",
        ),
    }

    def get(self, request, org, invoice_id):
        return self.render_detail(self.get_invoice(), self.TEMPLATE)

    def post(self, request, org, invoice_id):
        return self.post_action(self.ACTIONS, self.TEMPLATE, "agency-invoice")


# --- PDF downloads ---------------------------------------------------------------------------------------------


class _InvoiceDownload(_InvoicePages, View):
    def get(self, request, org, invoice_id):
        return invoice_pdf_response(self.get_invoice())


class SupplierInvoicePdfView(SupplierInvoiceMixin, _InvoiceDownload):
    pass


class AgencyInvoicePdfView(AgencyInvoiceMixin, _InvoiceDownload):
    pass


class CoopInvoicePdfView(_InvoiceDownload):
    """Read-only for the co-op whose contract the order uses."""

    organization_kind = OrgKind.COOPERATIVE
