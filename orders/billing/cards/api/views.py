"""Card payment and credit API: `POST /api/v1/agencies/{agency}/invoices/{id}/card-payments/` (finance, agency
admins, requesters where the agency allows) → 201 with the PaymentIntent's client secret (200 with the same one
when a payment is already in progress), `GET …/invoices/{id}/payments/{payment}/` (its state in our books), and
`POST /api/v1/suppliers/{supplier}/invoices/{id}/credit-memos/` (order desk, supplier admins). Another tenant's
invoice or payment is a 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.views import ERROR_RESPONSES, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind
from orders.billing.cards import selectors
from orders.billing.cards.api.serializers import (
    CardPaymentSerializer,
    CardPaymentStartedSerializer,
    CreditMemoInputSerializer,
    CreditMemoSerializer,
)
from orders.billing.services import cards
from orders.purchase_orders.desk.api.serializers import parse

PAYMENT_REFUSED = {
    409: OpenApiResponse(
        ErrorSerializer, description="`not_payable` / `nothing_due` / `payment_in_progress`: nothing changed"
    ),
    402: OpenApiResponse(ErrorSerializer, description="`card_declined`"),
    502: OpenApiResponse(ErrorSerializer, description="`payment_provider_error`: Stripe refused; nothing changed"),
    503: OpenApiResponse(ErrorSerializer, description="`payment_provider_unavailable`: try again; nothing changed"),
}
CREDIT_REFUSED = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="`refund_above_paid` / `credit_above_balance` / `not_paid_by_card` / `invoice_void` / "
        "`payment_in_progress`: nothing changed",
    ),
    502: PAYMENT_REFUSED[502],
    503: PAYMENT_REFUSED[503],
}


class _InvoiceMixin(OrganizationAPIMixin):
    def get_invoice(self):
        invoice = selectors.invoice_for_organization(
            organization=self.organization, invoice_id=self.kwargs["invoice_id"]
        )
        if invoice is None:
            raise Http404("No such invoice.")
        if self.organization_kind == OrgKind.AGENCY:
            refusal = cards.card_payer_refusal(invoice=invoice, actor=self.request.user)
            if refusal:
                raise ApplicationError("permission_denied", refusal, status=403)
        return invoice


class CardPaymentCreateView(_InvoiceMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(
        operation_id="agency_invoice_card_payment_create",
        summary="Start paying an invoice's balance by card (a Stripe PaymentIntent; settled by Stripe's webhook)",
        request=None,
        responses={
            201: CardPaymentStartedSerializer,
            200: CardPaymentStartedSerializer,
            **WRITE_ERRORS,
            **PAYMENT_REFUSED,
        },
    )
    def post(self, request, org, invoice_id):
        started = cards.card_payment_start(invoice=self.get_invoice(), actor=request.user)
        code = status.HTTP_201_CREATED if started.created else status.HTTP_200_OK
        return Response(CardPaymentStartedSerializer(started).data, status=code)


class PaymentDetailView(_InvoiceMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(
        operation_id="agency_invoice_payment_detail",
        summary="One payment of an invoice, as our books have it (pending until Stripe's webhook settles it)",
        responses={200: CardPaymentSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, org, invoice_id, payment_id):
        payment = selectors.payment_for_organization(
            organization=self.organization, invoice=self.get_invoice(), payment_id=payment_id
        )
        if payment is None:
            raise Http404("No such payment.")
        return Response(CardPaymentSerializer(payment).data)


class CreditMemoCreateView(_InvoiceMixin, APIView):
    organization_kind = OrgKind.SUPPLIER
    required_roles = cards.CREDIT_ROLES

    @extend_schema(
        operation_id="supplier_invoice_credit_memo_create",
        summary="Credit a returned or cancelled line (refunded to the card when the invoice was paid by card)",
        request=CreditMemoInputSerializer,
        responses={201: CreditMemoSerializer, **WRITE_ERRORS, **CREDIT_REFUSED},
    )
    def post(self, request, org, invoice_id):
        invoice = self.get_invoice()
        data = parse(CreditMemoInputSerializer, request.data).validated_data
        memo = cards.credit_memo_create(
            invoice=invoice,
            actor=request.user,
            po_line_id=data["po_line"],
            quantity=data["quantity"],
            reason=data["reason"],
        )
        return Response(CreditMemoSerializer(memo).data, status=status.HTTP_201_CREATED)
