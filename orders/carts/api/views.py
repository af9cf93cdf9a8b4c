"""Cart API for any member of an agency: `GET/POST …/cart/lines/`, `PATCH/DELETE …/cart/lines/{id}/`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import ERROR_RESPONSES, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from orders.carts import selectors, services
from orders.carts.api.serializers import (
    CartLineCreateSerializer,
    CartLineSerializer,
    CartLineUpdateSerializer,
    CartSerializer,
)


class CartAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.AGENCY

    def line_response(self, line_id, code=status.HTTP_200_OK):
        summary = selectors.cart_summary(agency=self.organization, user=self.request.user)
        row = next(r for r in [*summary.rows, *summary.saved] if r.line.id == line_id)
        return Response(CartLineSerializer(row).data, status=code)


class CartLineListView(CartAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_cart",
        responses={200: CartSerializer, **ERROR_RESPONSES},
        summary="Your cart in this agency: lines, totals per contract, savings, and what changed since added",
    )
    def get(self, request, org):
        summary = selectors.cart_summary(agency=self.organization, user=request.user)
        return Response(CartSerializer(summary).data)

    @extend_schema(
        operation_id="agency_cart_line_add",
        request=CartLineCreateSerializer,
        responses={201: CartLineSerializer, **WRITE_ERRORS},
        summary="Add an item (adding one already in the cart adds to its quantity)",
    )
    def post(self, request, org):
        data = CartLineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.cart_line_add(
            agency=self.organization,
            user=request.user,
            item_id=data.validated_data["item"],
            quantity=data.validated_data["quantity"],
        )
        return self.line_response(line.id, status.HTTP_201_CREATED)


class CartLineDetailView(CartAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_cart_line_update",
        request=CartLineUpdateSerializer,
        responses={200: CartLineSerializer, **WRITE_ERRORS},
        summary="Change a line: quantity, save for later / move back, or accept the item's current price",
    )
    def patch(self, request, org, line_id):
        data = CartLineUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.cart_line_update(
            agency=self.organization, user=request.user, line_id=line_id, **data.validated_data
        )
        return self.line_response(line.id)

    @extend_schema(
        operation_id="agency_cart_line_remove", responses={204: None, **WRITE_ERRORS}, summary="Remove a line"
    )
    def delete(self, request, org, line_id):
        services.cart_line_remove(agency=self.organization, user=request.user, line_id=line_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
