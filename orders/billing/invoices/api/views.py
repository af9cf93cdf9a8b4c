"""Invoice API.

Supplier (order desk and supplier admins): `GET/POST /api/v1/suppliers/{supplier}/purchase-orders/{id}/invoices/`,
`GET …/suppliers/{supplier}/invoices/`, `GET …/invoices/{id}/`, `POST …/invoices/{id}/answer/`, `…/void/`,
`GET …/invoices/{id}/pdf/`.
Agency (finance and agency admins): `GET /api/v1/agencies/{agency}/invoices/`, `GET …/invoices/{id}/`,
`POST …/invoices/{id}/accept-exception/`, `…/dispute/`, `GET …/invoices/{id}/pdf/`.
`{id}` is the public id; another organization's order or invoice is a 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import ERROR_RESPONSES, LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind
from orders.billing.invoices import selectors
from orders.billing.invoices.api import serializers as io
from orders.billing.invoices.filters import InvoiceFilter
from orders.billing.invoices.views import invoice_pdf_response
from orders.billing.models import Invoice
from orders.billing.services import invoices
from orders.purchase_orders.desk import selectors as desk_selectors
from orders.purchase_orders.models import PDFStatus

REFUSED = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid` / `over_invoiced` / `price_above_contract`: nothing changed; `fields` says why",
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description="`number_taken`: the number is already used; `invalid_transition`: not allowed in the current "
        "status (e.g. another finance user decided first)",
    ),
}
PDF_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The invoice document"),
    409: OpenApiResponse(ErrorSerializer, description="`pdf_not_ready`: being prepared (retry later) or failed"),
    **ERROR_RESPONSES,
}


class _InvoiceAPIMixin(OrganizationAPIMixin):
    def get_invoice(self) -> Invoice:
        invoice = selectors.invoice_get(organization=self.organization, public_id=self.kwargs["invoice_id"])
        if invoice is None:
            raise Http404("No such invoice.")
        return invoice

    def detail(self, status_code=status.HTTP_200_OK) -> Response:
        return Response(io.InvoiceDetailSerializer(self.get_invoice()).data, status=status_code)


class SupplierAPIMixin(_InvoiceAPIMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = invoices.SUPPLIER_INVOICE_ROLES


class AgencyAPIMixin(_InvoiceAPIMixin):
    organization_kind = OrgKind.AGENCY
    required_roles = invoices.FINANCE_ROLES


class _ListView(generics.ListAPIView):
    queryset = Invoice.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = io.InvoiceRowSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = InvoiceFilter

    def get_queryset(self):
        return selectors.invoice_list(organization=self.organization)


class SupplierPOInvoicesView(SupplierAPIMixin, generics.ListAPIView):
    queryset = Invoice.objects.none()
    serializer_class = io.InvoiceRowSerializer

    def get_po(self):
        po = desk_selectors.desk_order_get(supplier=self.organization, po_id=self.kwargs["po_id"])
        if po is None:
            raise Http404("No such order.")
        return po

    def get_queryset(self):
        return selectors.po_invoice_list(organization=self.organization, po=self.get_po())

    @extend_schema(
        operation_id="supplier_purchase_order_invoices_list",
        summary="The invoices of one purchase order, newest first",
        responses={200: io.InvoiceRowSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="supplier_purchase_order_invoice_create",
        summary="Invoice shipped quantities of an order; matched at once (ready) or put on hold",
        request=io.InvoiceCreateInputSerializer,
        responses={201: io.InvoiceDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, po_id):
        po = self.get_po()  # another supplier's order is a 404 before its input is read
        data = io.parse(io.InvoiceCreateInputSerializer, request.data)
        invoice = invoices.invoice_create(
            po=po,
            actor=request.user,
            number=data.validated_data["number"],
            invoice_date=data.validated_data["invoice_date"],
            lines=data.to_lines(),
            note=data.validated_data["note"],
        )
        self.kwargs["invoice_id"] = invoice.public_id
        return self.detail(status.HTTP_201_CREATED)


class SupplierInvoiceListView(SupplierAPIMixin, _ListView):
    @extend_schema(
        operation_id="supplier_invoices_list",
        summary="The supplier's invoices, newest first (filters: number, status, due)",
        responses={200: io.InvoiceRowSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SupplierInvoiceDetailView(SupplierAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_invoice_detail",
        summary="One invoice: lines against the order, match problems, payments and credits",
        responses={200: io.InvoiceDetailSerializer, **LIST_ERRORS},
    )
    def get(self, request, org, invoice_id):
        return self.detail()


class SupplierInvoiceAnswerView(SupplierAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_invoice_answer",
        summary="Answer a dispute (disputed → on hold, matched again)",
        request=io.InvoiceNoteInputSerializer,
        responses={200: io.InvoiceDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        data = io.parse(io.InvoiceNoteInputSerializer, request.data).validated_data
        invoices.invoice_dispute_answer(invoice=invoice, actor=request.user, note=data["note"])
        return self.detail()


class SupplierInvoiceVoidView(SupplierAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_invoice_void",
        summary="Withdraw a disputed invoice (disputed → void; its quantities may be invoiced again)",
        request=io.InvoiceReasonInputSerializer,
        responses={200: io.InvoiceDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        data = io.parse(io.InvoiceReasonInputSerializer, request.data).validated_data
        invoices.invoice_void(invoice=invoice, actor=request.user, reason=data["reason"])
        return self.detail()


class AgencyInvoiceListView(AgencyAPIMixin, _ListView):
    @extend_schema(
        operation_id="agency_invoices_list",
        summary="The agency's invoices, newest first (filters: number, status incl. on hold, due)",
        responses={200: io.InvoiceRowSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AgencyInvoiceDetailView(AgencyAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_invoice_detail",
        summary="One invoice: lines against the order and the receipts, match problems, payments and credits",
        responses={200: io.InvoiceDetailSerializer, **LIST_ERRORS},
    )
    def get(self, request, org, invoice_id):
        return self.detail()


class AgencyInvoiceAcceptView(AgencyAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_invoice_accept_exception",
        summary="Accept an invoice on hold as a documented exception (on hold → ready)",
        request=io.InvoiceNoteInputSerializer,
        responses={200: io.InvoiceDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        data = io.parse(io.InvoiceNoteInputSerializer, request.data).validated_data
        invoices.invoice_hold_accept(invoice=invoice, actor=request.user, note=data["note"])
        return self.detail()


class AgencyInvoiceDisputeView(AgencyAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_invoice_dispute",
        summary="Dispute an invoice on hold back to the supplier (on hold → disputed)",
        request=io.InvoiceReasonInputSerializer,
        responses={200: io.InvoiceDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        data = io.parse(io.InvoiceReasonInputSerializer, request.data).validated_data
        invoices.invoice_dispute(invoice=invoice, actor=request.user, reason=data["reason"])
        return self.detail()


class _PdfView:
    def get(self, request, org, invoice_id):
        invoice = self.get_invoice()
        if invoice.pdf_status != PDFStatus.READY:
            state = "failed; it will be retried" if invoice.pdf_status == PDFStatus.FAILED else "being prepared"
            raise ApplicationError("pdf_not_ready", f"The invoice PDF is {state}.", status=409)
        return invoice_pdf_response(invoice)


class AgencyInvoicePdfView(AgencyAPIMixin, _PdfView, APIView):
    @extend_schema(operation_id="agency_invoice_pdf", responses=PDF_RESPONSES, summary="Download an invoice (PDF)")
    def get(self, request, org, invoice_id):
        return super().get(request, org, invoice_id)


class SupplierInvoicePdfView(SupplierAPIMixin, _PdfView, APIView):
    @extend_schema(operation_id="supplier_invoice_pdf", responses=PDF_RESPONSES, summary="Download an invoice (PDF)")
    def get(self, request, org, invoice_id):
        return super().get(request, org, invoice_id)
