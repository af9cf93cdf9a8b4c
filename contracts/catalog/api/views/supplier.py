"""Supplier catalog API (catalog managers and supplier admins): catalog imports, the supplier's own items and
a single-item price change — decreases apply at once (`applied`), increases wait for the co-op (`pending`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.catalog import selectors
from contracts.catalog.api.serializers import (
    CatalogImportDetailSerializer,
    CatalogImportSerializer,
    ImportUploadInputSerializer,
    ItemImageInputSerializer,
    PriceChangeSerializer,
    PriceRequestInputSerializer,
    SupplierItemSerializer,
)
from contracts.catalog.filters import CatalogImportFilter, SupplierItemFilter
from contracts.catalog.services.images import catalog_item_image_remove, catalog_item_image_set
from contracts.catalog.services.imports import (
    catalog_import_cancel,
    catalog_import_confirm,
    catalog_import_create,
    catalog_import_retry,
)
from contracts.catalog.services.pricing import catalog_item_price_request
from contracts.models import CatalogImport, CatalogItem
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import ACTION_ERRORS, ERROR_RESPONSES, LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import SUPPLIER_CATALOG_ROLES, OrgKind


class SupplierImportAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = SUPPLIER_CATALOG_ROLES

    def get_import(self):
        return selectors.catalog_import_get(supplier=self.organization, public_id=self.kwargs["public_id"])

    def detail(self, imp, code=status.HTTP_200_OK):
        imp = (
            self.get_import()
            if imp is None
            else selectors.catalog_import_get(supplier=self.organization, public_id=imp.public_id)
        )
        context = {"errors_page": self.request.query_params.get("errors_page")}
        return Response(CatalogImportDetailSerializer(imp, context=context).data, status=code)


class CatalogImportListView(SupplierImportAPIMixin, generics.ListAPIView):
    queryset = CatalogImport.objects.none()  # names the model for the schema; the rows come from get_queryset()
    serializer_class = CatalogImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    filter_backends = [OrganizationFilterBackend]
    filterset_class = CatalogImportFilter

    def get_queryset(self):
        return selectors.catalog_import_list(supplier=self.organization)

    @extend_schema(
        summary="Catalog imports of this supplier, newest first",
        responses={200: CatalogImportSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a catalog file: it is validated by a worker (202); poll the job for progress and preview",
        request={"multipart/form-data": ImportUploadInputSerializer},
        responses={202: CatalogImportDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        data = ImportUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = selectors.supplier_contract_get(supplier=self.organization, number=data.validated_data["contract"])
        imp = catalog_import_create(
            contract=contract,
            actor=request.user,
            file=data.validated_data["file"],
            mode=data.validated_data["mode"],
            images=data.validated_data.get("images"),
        )
        return self.detail(imp, status.HTTP_202_ACCEPTED)


class CatalogImportDetailView(SupplierImportAPIMixin, APIView):
    @extend_schema(
        summary="One import: status, progress, counts, errors (100 per errors_page) and preview",
        parameters=[
            OpenApiParameter(
                "errors_page", {"type": "integer", "minimum": 1}, description="Default 1 (also for a value not valid)."
            )
        ],
        responses={200: CatalogImportDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, org, public_id):
        return self.detail(None)


class CatalogImportConfirmView(SupplierImportAPIMixin, APIView):
    @extend_schema(
        summary="Apply a previewed import (202; refused with import_in_progress while another applies)",
        request=None,
        responses={202: CatalogImportDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, public_id):
        imp = catalog_import_confirm(imp=self.get_import(), actor=request.user)
        return self.detail(imp, status.HTTP_202_ACCEPTED)


class CatalogImportCancelView(SupplierImportAPIMixin, APIView):
    @extend_schema(
        summary="Cancel a queued or previewed import",
        request=None,
        responses={200: CatalogImportDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, public_id):
        return self.detail(catalog_import_cancel(imp=self.get_import(), actor=request.user))


class CatalogImportRetryView(SupplierImportAPIMixin, APIView):
    @extend_schema(
        summary="Run a failed import's file again (a new import, 202)",
        request=None,
        responses={202: CatalogImportDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, public_id):
        retry = catalog_import_retry(imp=self.get_import(), actor=request.user)
        return self.detail(retry, status.HTTP_202_ACCEPTED)


class SupplierItemListView(SupplierImportAPIMixin, generics.ListAPIView):
    queryset = CatalogItem.objects.none()  # names the model for the schema; the rows come from get_queryset()
    serializer_class = SupplierItemSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = SupplierItemFilter

    def get_queryset(self):
        return selectors.supplier_item_list(supplier=self.organization)

    @extend_schema(
        summary="The supplier's catalog items across its contracts (by contract and SKU)",
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
        item = selectors.supplier_item_get(supplier=self.organization, item_id=item_id)
        data = PriceRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = catalog_item_price_request(
            item=item,
            actor=request.user,
            contract_price=data.validated_data["contract_price"],
            list_price=data.validated_data.get("list_price"),
            reason=data.validated_data.get("reason", ""),
        )
        fresh = (
            selectors.supplier_item_price_history(item=item)
            .select_related("item__contract__supplier")
            .get(pk=change.pk)
        )
        return Response(PriceChangeSerializer(fresh).data)


class SupplierItemImageView(SupplierImportAPIMixin, APIView):
    parser_classes = [MultiPartParser, FormParser]

    def _item(self, item_id):
        return selectors.supplier_item_get(supplier=self.organization, item_id=item_id)

    @extend_schema(
        summary="Give one item its own picture (checked by content; resized by a worker, 202): refused with "
        "invalid_image, nothing stored",
        request={"multipart/form-data": ItemImageInputSerializer},
        responses={202: SupplierItemSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, item_id):
        item = self._item(item_id)
        data = ItemImageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        catalog_item_image_set(item=item, actor=request.user, file=data.validated_data["image"])
        return Response(SupplierItemSerializer(self._item(item_id)).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Remove an item's own picture (its category's picture shows again)",
        request=None,
        responses={200: SupplierItemSerializer, **ACTION_ERRORS},
    )
    def delete(self, request, org, item_id):
        catalog_item_image_remove(item=self._item(item_id), actor=request.user)
        return Response(SupplierItemSerializer(self._item(item_id)).data)
