"""Agency order API (any member; a requester sees the orders they placed): `GET /api/v1/agencies/{agency}/orders/`
(filters: the agency list's FilterSet), `GET …/orders/{id}/` (the order with lines, shipments, cancellation requests
and timeline) and `POST …/orders/{id}/cancellations/{request}/` (agree to or decline a supplier's request to cancel
part of a line). `{id}` is the purchase order's public id."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from orders.purchase_orders.desk.api.serializers import parse
from orders.purchase_orders.lists import selectors
from orders.purchase_orders.lists.api.serializers import (
    LineCancellationSerializer,
    PurchaseOrderDetailSerializer,
    PurchaseOrderRowSerializer,
)
from orders.purchase_orders.lists.filters import AgencyOrderFilter
from orders.purchase_orders.models import PurchaseOrder
from orders.purchase_orders.services import desk


class AgencyOrderAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.AGENCY

    def get_po(self) -> PurchaseOrder:
        po = selectors.agency_order_get(
            agency=self.organization, user=self.request.user, roles=self.access.roles, po_id=self.kwargs["po_id"]
        )
        if po is None:
            raise Http404("No such order.")
        return po


class AgencyOrderListView(AgencyOrderAPIMixin, generics.ListAPIView):
    queryset = PurchaseOrder.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = PurchaseOrderRowSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = AgencyOrderFilter

    def get_queryset(self):
        return selectors.agency_order_list(agency=self.organization, user=self.request.user, roles=self.access.roles)

    @extend_schema(
        operation_id="agency_orders_list",
        summary="The agency's purchase orders you may see (a requester: their own), newest first",
        responses={200: PurchaseOrderRowSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AgencyOrderDetailView(AgencyOrderAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_order_detail",
        summary="One purchase order: lines, totals, savings, tax, fulfilment, shipments and the timeline",
        responses={200: PurchaseOrderDetailSerializer, **LIST_ERRORS},
    )
    def get(self, request, org, po_id):
        po = self.get_po()
        po.timeline = selectors.po_timeline(po)
        return Response(PurchaseOrderDetailSerializer(po).data)


class CancellationDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "Agree"), ("decline", "Decline")])
    note = serializers.CharField(required=False, allow_blank=True, max_length=desk.REASON_MAX, default="")


class AgencyCancellationDecisionView(AgencyOrderAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_order_cancellation_decide",
        summary="Agree to or decline a supplier's request to cancel part of a line (once)",
        request=CancellationDecisionInputSerializer,
        responses={
            200: LineCancellationSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(ErrorSerializer, description="`not_pending`: already decided, or no longer open"),
        },
    )
    def post(self, request, org, po_id, request_id):
        po = self.get_po()
        cancellation = next((c for c in po.line_cancellations.all() if c.public_id == request_id), None)
        if cancellation is None:
            raise Http404("No such request.")
        data = parse(CancellationDecisionInputSerializer, request.data).validated_data
        done = desk.line_cancellation_decide(
            cancellation=cancellation,
            actor=request.user,
            roles=self.access.roles,
            approve=data["decision"] == "approve",
            note=data["note"],
        )
        return Response(LineCancellationSerializer(done).data)
