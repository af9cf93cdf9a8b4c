"""Cart API for any member of an agency: `GET/POST …/cart/lines/`, `PATCH/DELETE …/cart/lines/{id}/`,
`POST …/orders/{po}/reorder/`; the agency's order templates: `GET/POST …/order-templates/`,
`GET/PATCH/DELETE …/order-templates/{id}/` (changes: agency admins and approvers), `POST …/{id}/load/`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import ERROR_RESPONSES, LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from orders.carts import selectors, services
from orders.carts.api.serializers import (
    CartFillSerializer,
    CartLineCreateSerializer,
    CartLineSerializer,
    CartLineUpdateSerializer,
    CartSerializer,
    OrderTemplateCreateSerializer,
    OrderTemplateSerializer,
    OrderTemplateSummarySerializer,
    OrderTemplateUpdateSerializer,
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


def fill_response(*, agency, user, fill: services.CartFill) -> Response:
    count = selectors.cart_line_count(agency=agency, user=user)
    return Response(CartFillSerializer({"added": fill.added, "skipped": fill.skipped, "cart_count": count}).data)


class ReorderAPIView(CartAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_order_reorder",
        request=None,
        responses={200: CartFillSerializer, **ERROR_RESPONSES},
        summary="Put every line of a past purchase order into your cart (today's prices; lines that cannot be "
        "ordered now are skipped with the reason)",
    )
    def post(self, request, org, po):
        _po, fill = services.cart_reorder(agency=self.organization, user=request.user, po_public_id=po)
        return fill_response(agency=self.organization, user=request.user, fill=fill)


class OrderTemplateAPIMixin(CartAPIMixin):
    def check_manager(self) -> None:
        if not self.access.roles & services.TEMPLATE_MANAGER_ROLES:
            raise PermissionDenied("Only agency admins and approvers can change order templates.")

    def detail_response(self, public_id, code=status.HTTP_200_OK) -> Response:
        detail = selectors.order_template_detail(agency=self.organization, public_id=public_id)
        return Response(OrderTemplateSerializer(detail).data, status=code)


class OrderTemplateListAPIView(OrderTemplateAPIMixin, generics.GenericAPIView):
    serializer_class = OrderTemplateSummarySerializer

    def get_queryset(self):
        return selectors.order_template_list(agency=self.organization)

    @extend_schema(
        operation_id="agency_order_templates",
        responses={200: OrderTemplateSummarySerializer(many=True), **LIST_ERRORS},
        summary="Your agency's order templates",
    )
    def get(self, request, org):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="agency_order_template_create",
        request=OrderTemplateCreateSerializer,
        responses={201: OrderTemplateSerializer, **WRITE_ERRORS},
        summary="Make an order template (agency admins and approvers), from `lines` or from your cart",
    )
    def post(self, request, org):
        self.check_manager()
        data = OrderTemplateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.order_template_create(agency=self.organization, actor=request.user, **data.validated_data)
        return self.detail_response(template.public_id, status.HTTP_201_CREATED)


class OrderTemplateDetailAPIView(OrderTemplateAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_order_template",
        responses={200: OrderTemplateSerializer, **ERROR_RESPONSES},
        summary="An order template with its lines at today's prices (and which would be skipped, and why)",
    )
    def get(self, request, org, template):
        if selectors.order_template_get(agency=self.organization, public_id=template) is None:
            raise NotFound("No such order template.")
        return self.detail_response(template)

    @extend_schema(
        operation_id="agency_order_template_update",
        request=OrderTemplateUpdateSerializer,
        responses={200: OrderTemplateSerializer, **WRITE_ERRORS},
        summary="Rename an order template or replace its lines (agency admins and approvers)",
    )
    def patch(self, request, org, template):
        self.check_manager()
        data = OrderTemplateUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.order_template_update(
            agency=self.organization, actor=request.user, public_id=template, **data.validated_data
        )
        return self.detail_response(template)

    @extend_schema(
        operation_id="agency_order_template_delete",
        responses={204: None, **ERROR_RESPONSES},
        summary="Delete an order template (agency admins and approvers; audited)",
    )
    def delete(self, request, org, template):
        self.check_manager()
        services.order_template_delete(agency=self.organization, actor=request.user, public_id=template)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrderTemplateLoadAPIView(OrderTemplateAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_order_template_load",
        request=None,
        responses={200: CartFillSerializer, **ERROR_RESPONSES},
        summary="Put every line of an order template into your cart (today's prices; lines that cannot be "
        "ordered now are skipped with the reason)",
    )
    def post(self, request, org, template):
        _template, fill = services.order_template_load(agency=self.organization, user=request.user, public_id=template)
        return fill_response(agency=self.organization, user=request.user, fill=fill)
