"""A supplier's own catalog items (catalog managers and supplier admins) and a single-item price change:
decreases apply at once (status `applied`), increases wait for the co-op (status `pending`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import LIST_ERRORS

from ..models import PriceChange
from ..selectors import supplier_item_get, supplier_item_list
from ..services.catalog import catalog_item_price_request
from .import_serializers import PriceChangeSerializer
from .import_views import WRITE_ERRORS, SupplierImportAPIMixin
from .supplier_item_serializers import PriceRequestInputSerializer, SupplierItemFilterSerializer, SupplierItemSerializer


class SupplierItemListView(SupplierImportAPIMixin, generics.ListAPIView):
    serializer_class = SupplierItemSerializer

    def get_queryset(self):
        filters = SupplierItemFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return supplier_item_list(supplier=self.organization, filters=filters.validated_data)

    @extend_schema(
        summary="The supplier's catalog items across its contracts (by contract and SKU)",
        parameters=[SupplierItemFilterSerializer],
        responses={200: SupplierItemSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SupplierItemPriceView(SupplierImportAPIMixin, APIView):
    @extend_schema(
        summary="Change one item's price: a decrease applies now (applied), an increase waits for the co-op "
        "(pending); refused with price_rule, unchanged or invalid",
        request=PriceRequestInputSerializer,
        responses={200: PriceChangeSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, item_id):
        item = supplier_item_get(supplier=self.organization, item_id=item_id)
        data = PriceRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = catalog_item_price_request(
            item=item,
            actor=request.user,
            contract_price=data.validated_data["contract_price"],
            list_price=data.validated_data.get("list_price"),
            reason=data.validated_data.get("reason", ""),
        )
        fresh = PriceChange.objects.select_related(
            "item", "item__contract", "item__contract__supplier", "requested_by", "decided_by"
        ).get(pk=change.pk)
        return Response(PriceChangeSerializer(fresh).data)
