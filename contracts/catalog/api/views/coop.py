"""Price-change decisions API (co-op staff): list the co-op's price changes, approve or reject an increase."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.catalog import selectors
from contracts.catalog.api.serializers import PriceChangeSerializer, RejectInputSerializer
from contracts.catalog.filters import PriceChangeFilter
from contracts.catalog.services.pricing import price_change_approve, price_change_reject
from contracts.models import PriceChange
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import ACTION_ERRORS, LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind


class CoopPriceAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES


class PriceChangeListView(CoopPriceAPIMixin, generics.ListAPIView):
    queryset = PriceChange.objects.none()  # names the model for the schema; the rows come from get_queryset()
    serializer_class = PriceChangeSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = PriceChangeFilter

    def get_queryset(self):
        return selectors.price_change_list(cooperative=self.organization)

    @extend_schema(
        summary="Price changes on the co-op's contracts (default: pending increases, oldest first)",
        description="Without `status` the list shows pending increases, oldest first; `status=` (empty) shows every "
        "status and any other status its history, newest decision first.",
        responses={200: PriceChangeSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PriceChangeApproveView(CoopPriceAPIMixin, APIView):
    @extend_schema(
        summary="Approve a pending increase (effective today)",
        request=None,
        responses={200: PriceChangeSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, change_id):
        change = selectors.price_change_get(cooperative=self.organization, change_id=change_id)
        price_change_approve(change_id=change.pk, cooperative=self.organization, actor=request.user)
        fresh = selectors.price_change_get(cooperative=self.organization, change_id=change_id)
        return Response(PriceChangeSerializer(fresh).data)


class PriceChangeRejectView(CoopPriceAPIMixin, APIView):
    @extend_schema(
        summary="Reject a pending increase with a reason",
        request=RejectInputSerializer,
        responses={200: PriceChangeSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, change_id):
        change = selectors.price_change_get(cooperative=self.organization, change_id=change_id)
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        price_change_reject(
            change_id=change.pk, cooperative=self.organization, actor=request.user, reason=data.validated_data["reason"]
        )
        fresh = selectors.price_change_get(cooperative=self.organization, change_id=change_id)
        return Response(PriceChangeSerializer(fresh).data)
