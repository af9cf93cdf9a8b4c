"""On-account payments API: `POST /api/v1/agencies/{agency}/invoices/{id}/payments/` (finance records an ACH or
check payment), `GET …/agencies/{agency}/payments/` (filters: method, status, date range),
`POST …/payments/{id}/reverse/` (a payment entered in error), `GET …/agencies/{agency}/invoices/overdue/`; admin
fees per quarter: `GET /api/v1/suppliers/{supplier}/admin-fees/` and `GET /api/v1/coops/{coop}/admin-fees/`.
Ids are public ids; another agency's invoice or payment is a 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role
from orders.billing.accounts import selectors
from orders.billing.accounts.api import serializers as s
from orders.billing.accounts.filters import PaymentFilter
from orders.billing.models import Payment
from orders.billing.services import accounts

REFUSED = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid` / `over_balance`: nothing changed; `fields` says which field and why",
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description="`not_payable` / `already_reversed` / `order_closed` / `not_reversible`: not allowed now",
    ),
}


class AgencyFinanceAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.AGENCY
    required_roles = accounts.FINANCE_PAGE_ROLES


class PaymentRecordView(AgencyFinanceAPIMixin, APIView):
    required_roles = accounts.PAYMENT_ROLES

    @extend_schema(
        operation_id="agency_invoice_payment_record",
        summary="Record an ACH or check payment of an invoice (finance; partial payments allowed)",
        request=s.PaymentRecordInputSerializer,
        responses={201: s.PaymentSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, invoice_id):
        invoice = selectors.payable_invoice_get(agency=self.organization, invoice_id=invoice_id)
        if invoice is None:
            raise Http404("No such invoice.")
        data = s.parse(s.PaymentRecordInputSerializer, request.data).validated_data
        payment = accounts.payment_record(invoice=invoice, actor=request.user, **data)
        payment = selectors.payment_get(agency=self.organization, payment_id=payment.public_id)
        return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class PaymentListView(AgencyFinanceAPIMixin, generics.ListAPIView):
    queryset = Payment.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = s.PaymentSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = PaymentFilter

    def get_queryset(self):
        return selectors.payment_list(agency=self.organization)

    @extend_schema(
        operation_id="agency_payments_list",
        summary="The agency's payments (card and on account, reversals included), newest first",
        responses={200: s.PaymentSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PaymentReverseView(AgencyFinanceAPIMixin, APIView):
    required_roles = accounts.PAYMENT_ROLES

    @extend_schema(
        operation_id="agency_payment_reverse",
        summary="Reverse an ACH or check payment entered in error (a negative payment; refused once the order "
        "is closed)",
        request=s.PaymentReverseInputSerializer,
        responses={201: s.PaymentSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, payment_id):
        payment = selectors.payment_get(agency=self.organization, payment_id=payment_id)
        if payment is None:
            raise Http404("No such payment.")
        data = s.parse(s.PaymentReverseInputSerializer, request.data).validated_data
        reversal = accounts.payment_reverse(payment=payment, actor=request.user, reason=data["reason"])
        reversal = selectors.payment_get(agency=self.organization, payment_id=reversal.public_id)
        return Response(s.PaymentSerializer(reversal).data, status=status.HTTP_201_CREATED)


class AgencyOverdueListView(AgencyFinanceAPIMixin, generics.ListAPIView):
    serializer_class = s.OverdueInvoiceSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.overdue_invoice_list(organization=self.organization)

    @extend_schema(
        operation_id="agency_invoices_overdue_list",
        summary="The agency's overdue invoices (past due on its calendar, balance due), longest overdue first",
        responses={200: s.OverdueInvoiceSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _AdminFeeListView(generics.ListAPIView):
    serializer_class = s.AdminFeeQuarterSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.admin_fee_quarters(organization=self.organization)


class SupplierAdminFeeListView(OrganizationAPIMixin, _AdminFeeListView):
    organization_kind = OrgKind.SUPPLIER
    required_roles = frozenset({Role.SUPPLIER_ADMIN})

    @extend_schema(
        operation_id="supplier_admin_fees_list",
        summary="Admin fees the supplier accrued, per calendar quarter and contract, newest first",
        responses={200: s.AdminFeeQuarterSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CoopAdminFeeListView(OrganizationAPIMixin, _AdminFeeListView):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES

    @extend_schema(
        operation_id="coop_admin_fees_list",
        summary="Admin fees accrued on the co-op's contracts, per calendar quarter and contract, newest first",
        responses={200: s.AdminFeeQuarterSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
