"""Order-desk API (order desk and supplier admins): `GET /api/v1/suppliers/{supplier}/purchase-orders/` (filters:
the desk's FilterSet), `GET …/{id}/`, and `POST …/{id}/acknowledge/`, `…/reject/`, `…/shipments/`,
`…/backorders/`, `…/cancellations/` (a request the agency agrees to or declines). `{id}` is the order's public id;
another supplier's order is a 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from orders.purchase_orders.desk import selectors
from orders.purchase_orders.desk.api import serializers as inputs
from orders.purchase_orders.desk.filters import SupplierOrderFilter
from orders.purchase_orders.desk.roles import ORDER_DESK_ROLES
from orders.purchase_orders.lists.api.serializers import (
    LineCancellationSerializer,
    PurchaseOrderDetailSerializer,
    PurchaseOrderRowSerializer,
)
from orders.purchase_orders.lists.selectors import po_timeline
from orders.purchase_orders.models import PurchaseOrder
from orders.purchase_orders.services import desk

REFUSED = {
    400: OpenApiResponse(ErrorSerializer, description="`invalid` / `over_shipped`: nothing changed; `fields` says why"),
    409: OpenApiResponse(
        ErrorSerializer,
        description="`invalid_transition` / `not_acknowledged` / `cancellation_pending`: not allowed in the order's "
        "current status",
    ),
}


class DeskAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = ORDER_DESK_ROLES

    def get_po(self) -> PurchaseOrder:
        po = selectors.desk_order_get(supplier=self.organization, po_id=self.kwargs["po_id"])
        if po is None:
            raise Http404("No such order.")
        return po

    def detail(self, status_code=status.HTTP_200_OK) -> Response:
        po = self.get_po()
        po.timeline = po_timeline(po)
        return Response(PurchaseOrderDetailSerializer(po).data, status=status_code)


class DeskOrderListView(DeskAPIMixin, generics.ListAPIView):
    queryset = PurchaseOrder.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = PurchaseOrderRowSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = SupplierOrderFilter

    def get_queryset(self):
        return selectors.desk_order_list(supplier=self.organization)

    @extend_schema(
        operation_id="supplier_purchase_orders_list",
        summary="Purchase orders addressed to the supplier (released ones), newest first",
        responses={200: PurchaseOrderRowSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DeskOrderDetailView(DeskAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_purchase_order_detail",
        summary="One purchase order: lines with open quantities, ship-to, store, shipments, timeline",
        responses={200: PurchaseOrderDetailSerializer, **LIST_ERRORS},
    )
    def get(self, request, org, po_id):
        return self.detail()


class DeskAcknowledgeView(DeskAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_purchase_order_acknowledge",
        summary="Acknowledge a sent order (sent → acknowledged)",
        request=inputs.DeskAcknowledgeInputSerializer,
        responses={200: PurchaseOrderDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, po_id):
        po = self.get_po()  # another supplier's order is a 404 before its input is read
        data = inputs.parse(inputs.DeskAcknowledgeInputSerializer, request.data).validated_data
        desk.po_acknowledge(po=po, actor=request.user, note=data["note"])
        return self.detail()


class DeskRejectView(DeskAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_purchase_order_reject",
        summary="Reject a sent order with a reason (sent → rejected)",
        request=inputs.DeskRejectInputSerializer,
        responses={200: PurchaseOrderDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, po_id):
        po = self.get_po()
        data = inputs.parse(inputs.DeskRejectInputSerializer, request.data).validated_data
        desk.po_reject(po=po, actor=request.user, reason=data["reason"])
        return self.detail()


class DeskShipmentView(DeskAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_purchase_order_shipment_create",
        summary="Record a shipment (some lines, partial quantities); the order becomes partially shipped or shipped",
        request=inputs.DeskShipmentInputSerializer,
        responses={201: PurchaseOrderDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, po_id):
        po = self.get_po()
        data = inputs.parse(inputs.DeskShipmentInputSerializer, request.data).to_input()
        desk.shipment_record(po=po, actor=request.user, data=data)
        return self.detail(status.HTTP_201_CREATED)


class DeskBackorderView(DeskAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_purchase_order_backorder",
        summary="Mark a line backordered until an expected date (null clears it)",
        request=inputs.DeskBackorderInputSerializer,
        responses={200: PurchaseOrderDetailSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, po_id):
        po = self.get_po()
        data = inputs.parse(inputs.DeskBackorderInputSerializer, request.data).validated_data
        desk.line_backorder(po=po, actor=request.user, line_id=data["line"], until=data["expected_date"])
        return self.detail()


class DeskCancellationView(DeskAPIMixin, APIView):
    @extend_schema(
        operation_id="supplier_purchase_order_cancellation_create",
        summary="Ask the agency to agree to cancelling part of a line (nothing changes until it agrees)",
        request=inputs.DeskCancellationRequestInputSerializer,
        responses={201: LineCancellationSerializer, **WRITE_ERRORS, **REFUSED},
    )
    def post(self, request, org, po_id):
        po = self.get_po()
        data = inputs.parse(inputs.DeskCancellationRequestInputSerializer, request.data).validated_data
        made = desk.line_cancellation_request(
            po=po, actor=request.user, line_id=data["line"], quantity=data["quantity"], reason=data["reason"]
        )
        return Response(LineCancellationSerializer(made).data, status=status.HTTP_201_CREATED)
