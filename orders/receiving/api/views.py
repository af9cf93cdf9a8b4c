"""Receiving API. Agency (any member; a requester: the orders they placed):
`GET/POST /api/v1/agencies/{agency}/purchase-orders/{id}/receipts/` (the receipts; record a delivery) and
`POST /api/v1/agencies/{agency}/discrepancies/{id}/resolve/`. Supplier (order desk and supplier admins):
`GET /api/v1/suppliers/{supplier}/purchase-orders/{id}/discrepancies/` and
`POST /api/v1/suppliers/{supplier}/discrepancies/{id}/answer/`. `{id}` is the order's or the discrepancy's public
id; another tenant's is a 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.views import LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from orders.purchase_orders.desk.api.serializers import parse
from orders.purchase_orders.desk.roles import ORDER_DESK_ROLES
from orders.purchase_orders.models import PurchaseOrder
from orders.receiving import selectors, services
from orders.receiving.api import serializers as io
from orders.receiving.models import Discrepancy, Receipt

REFUSED = {
    400: OpenApiResponse(ErrorSerializer, description="`invalid`: nothing changed; `fields` says why"),
    409: OpenApiResponse(
        ErrorSerializer, description="`not_shipped` / `not_open`: not allowed in the order's or discrepancy's state"
    ),
}


class AgencyReceivingAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.AGENCY

    def get_po(self) -> PurchaseOrder:
        po = selectors.agency_receiving_po(
            agency=self.organization, user=self.request.user, roles=self.access.roles, po_id=self.kwargs["po_id"]
        )
        if po is None:
            raise Http404("No such order.")
        return po


class SupplierReceivingAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = ORDER_DESK_ROLES


class ReceiptListView(AgencyReceivingAPIMixin, generics.ListAPIView):
    queryset = Receipt.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = io.ReceiptSerializer

    def get_queryset(self):
        return selectors.receipt_list(po=self.get_po())

    @extend_schema(
        operation_id="agency_purchase_order_receipts_list",
        summary="The deliveries recorded on an order, oldest first, with what each line received",
        responses={200: io.ReceiptSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="agency_purchase_order_receipt_create",
        summary="Record a delivery (per line: good and damaged units, partial allowed); flags discrepancies",
        request=io.ReceiptInputSerializer,
        responses={201: io.ReceiptRecordedSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, po_id):
        po = self.get_po()  # another agency's order is a 404 before its input is read
        data = parse(io.ReceiptInputSerializer, request.data)
        receipt = services.receipt_record(
            po=po,
            actor=request.user,
            received_on=data.validated_data["received_on"],
            lines=data.to_lines(),
            complete=data.validated_data["complete"],
            note=data.validated_data["note"],
        )
        receipt.purchase_order.refresh_from_db(fields=["status"])
        return Response(io.ReceiptRecordedSerializer(receipt).data, status=status.HTTP_201_CREATED)


class AgencyDiscrepancyResolveView(AgencyReceivingAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_discrepancy_resolve",
        summary="Resolve a discrepancy (open or answered → resolved); the order moves on when nothing is open",
        request=io.DiscrepancyResolveInputSerializer,
        responses={200: io.DiscrepancySerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, discrepancy_id):
        discrepancy = selectors.agency_discrepancy_get(
            agency=self.organization, user=request.user, roles=self.access.roles, discrepancy_id=discrepancy_id
        )
        if discrepancy is None:
            raise Http404("No such discrepancy.")
        data = parse(io.DiscrepancyResolveInputSerializer, request.data).validated_data
        services.discrepancy_resolve(discrepancy=discrepancy, actor=request.user, resolution=data["resolution"])
        return Response(io.DiscrepancySerializer(_fresh(discrepancy)).data)


class SupplierDiscrepancyListView(SupplierReceivingAPIMixin, generics.ListAPIView):
    queryset = Discrepancy.objects.none()
    serializer_class = io.DiscrepancySerializer

    def get_queryset(self):
        po = selectors.supplier_receiving_po(supplier=self.organization, po_id=self.kwargs["po_id"])
        if po is None:
            raise Http404("No such order.")
        return selectors.discrepancy_list(po=po)

    @extend_schema(
        operation_id="supplier_purchase_order_discrepancies_list",
        summary="The discrepancies the agency reported on an order (over, short, damaged), oldest first",
        responses={200: io.DiscrepancySerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SupplierDiscrepancyAnswerView(SupplierReceivingAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_discrepancy_answer",
        summary="Answer an open discrepancy (open → answered); the agency is told",
        request=io.DiscrepancyAnswerInputSerializer,
        responses={200: io.DiscrepancySerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, discrepancy_id):
        discrepancy = selectors.supplier_discrepancy_get(supplier=self.organization, discrepancy_id=discrepancy_id)
        if discrepancy is None:
            raise Http404("No such discrepancy.")
        data = parse(io.DiscrepancyAnswerInputSerializer, request.data).validated_data
        services.discrepancy_answer(discrepancy=discrepancy, actor=request.user, response=data["response"])
        return Response(io.DiscrepancySerializer(_fresh(discrepancy)).data)


def _fresh(discrepancy: Discrepancy) -> Discrepancy:
    return Discrepancy.objects.select_related(
        "po_line", "purchase_order", "created_by", "responded_by", "resolved_by"
    ).get(pk=discrepancy.pk)
