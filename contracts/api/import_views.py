"""Catalog import API (supplier catalog managers and admins) and price-change decisions (co-op staff)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.views import BODY_ERRORS, ERROR_RESPONSES, LIST_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind

from ..imports import selectors
from ..services.catalog import COOP_DECIDER_ROLES, SUPPLIER_CATALOG_ROLES, price_change_approve, price_change_reject
from ..services.imports import (
    catalog_import_cancel,
    catalog_import_confirm,
    catalog_import_create,
    catalog_import_retry,
)
from .import_serializers import (
    CatalogImportDetailSerializer,
    CatalogImportSerializer,
    ImportFilterSerializer,
    ImportUploadInputSerializer,
    PriceChangeFilterSerializer,
    PriceChangeSerializer,
    RejectInputSerializer,
)

# Actions without a body (confirm, cancel, retry, approve) and writes with one (which may also be a 415).
ACTION_ERRORS = {
    **ERROR_RESPONSES,
    400: OpenApiResponse(ErrorSerializer, description="Invalid input: `fields` says what is wrong"),
    409: OpenApiResponse(
        ErrorSerializer, description="Not allowed now (e.g. `import_in_progress`, `not_pending`, `not_confirmable`)"
    ),
}
WRITE_ERRORS = {**BODY_ERRORS, **ACTION_ERRORS}


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
    serializer_class = CatalogImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        filters = ImportFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.catalog_import_list(supplier=self.organization, filters=filters.validated_data)

    @extend_schema(
        summary="Catalog imports of this supplier, newest first",
        parameters=[ImportFilterSerializer],
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
            contract=contract, actor=request.user, file=data.validated_data["file"], mode=data.validated_data["mode"]
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


class CoopPriceAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_DECIDER_ROLES


class PriceChangeListView(CoopPriceAPIMixin, generics.ListAPIView):
    serializer_class = PriceChangeSerializer

    def get_queryset(self):
        filters = PriceChangeFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.price_change_list(cooperative=self.organization, filters=filters.validated_data)

    @extend_schema(
        summary="Price changes on the co-op's contracts (default: pending increases, oldest first)",
        parameters=[PriceChangeFilterSerializer],
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
