"""Vetting API. Supplier admins: /api/v1/suppliers/<org>/profile/ (GET, PATCH), …/profile/submit/, …/documents/
(GET, multipart POST), …/stores/ (GET, POST) and …/stores/<id>/ (GET, PATCH). Co-op staff:
/api/v1/coops/<org>/suppliers/ (GET, POST = invite), …/suppliers/<supplier>/ (GET), …/verify/, …/send-back/ and
…/documents/<id>/verify/ (POST)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import (
    ACTION_ERRORS,
    ERROR_RESPONSES,
    LIST_ERRORS,
    WRITE_ERRORS,
    OrganizationAPIMixin,
)
from marketplace.core.dates import organization_today
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role
from suppliers.vetting import selectors, services
from suppliers.vetting.api import serializers as s

SUPPLIER_ADMIN = frozenset({Role.SUPPLIER_ADMIN})


class SupplierAdminAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = SUPPLIER_ADMIN

    def profile_out(self, supplier) -> dict:
        missing = []
        if supplier.vetting_status == "invited":
            missing = services.vetting_missing(supplier=supplier, today=organization_today(self.organization))
        return s.VettingProfileSerializer(supplier, context={"missing": missing}).data


class ProfileAPIView(SupplierAdminAPIMixin, APIView):
    @extend_schema(
        summary="The supplier's profile and vetting status",
        responses={200: s.VettingProfileSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, org):
        return Response(self.profile_out(selectors.own_supplier(organization=self.organization)))

    @extend_schema(
        summary="Complete or correct the profile (fields given only)",
        request=s.VettingProfileInputSerializer,
        responses={200: s.VettingProfileSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org):
        serializer = s.VettingProfileInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        supplier = selectors.own_supplier(organization=self.organization)
        supplier = services.supplier_profile_update(
            supplier=supplier, actor=request.user, data=dict(serializer.validated_data)
        )
        return Response(self.profile_out(supplier))


class ProfileSubmitAPIView(SupplierAdminAPIMixin, APIView):
    @extend_schema(
        summary="Submit the profile for vetting (`not_ready` lists what is missing)",
        request=None,
        responses={200: s.VettingProfileSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org):
        supplier = services.supplier_submit(
            supplier=selectors.own_supplier(organization=self.organization), actor=request.user
        )
        return Response(self.profile_out(supplier))


class DocumentListAPIView(SupplierAdminAPIMixin, generics.ListAPIView):
    serializer_class = s.SupplierDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.supplier_document_list(supplier=self.organization)

    @extend_schema(
        summary="The supplier's vetting documents",
        responses={200: s.SupplierDocumentSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a W-9, a certificate of insurance or a certification (multipart; PDF checked by content)",
        request={"multipart/form-data": s.SupplierDocumentUploadSerializer},
        responses={201: s.SupplierDocumentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        serializer = s.SupplierDocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kind, file = data.pop("kind"), data.pop("file", None)
        document = services.supplier_document_upload(
            supplier=selectors.own_supplier(organization=self.organization),
            actor=request.user,
            kind=kind,
            data=data,
            file=file,
        )
        return Response(s.SupplierDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class StoreListAPIView(SupplierAdminAPIMixin, generics.ListAPIView):
    serializer_class = s.VettingStoreSerializer

    def get_queryset(self):
        return selectors.store_list(supplier=self.organization)

    @extend_schema(
        summary="The supplier's store locations", responses={200: s.VettingStoreSerializer(many=True), **LIST_ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add a store (coordinates from the ZIP code's centre when not given)",
        request=s.VettingStoreInputSerializer,
        responses={201: s.VettingStoreSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        serializer = s.VettingStoreInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        store = services.store_location_create(
            supplier=self.organization, actor=request.user, data=dict(serializer.validated_data)
        )
        return Response(s.VettingStoreSerializer(store).data, status=status.HTTP_201_CREATED)


class StoreDetailAPIView(SupplierAdminAPIMixin, APIView):
    @extend_schema(summary="One store location", responses={200: s.VettingStoreSerializer, **ERROR_RESPONSES})
    def get(self, request, org, store_id):
        return Response(
            s.VettingStoreSerializer(selectors.store_get(supplier=self.organization, store_id=store_id)).data
        )

    @extend_schema(
        summary="Change a store (fields given only; a new ZIP without coordinates moves it to the ZIP's centre)",
        request=s.VettingStoreInputSerializer(partial=True),
        responses={200: s.VettingStoreSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org, store_id):
        store = selectors.store_get(supplier=self.organization, store_id=store_id)
        serializer = s.VettingStoreInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        store = services.store_location_update(store=store, actor=request.user, data=dict(serializer.validated_data))
        return Response(s.VettingStoreSerializer(store).data)


# --- co-op staff -----------------------------------------------------------------------------------------


class CoopStaffAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES

    def get_supplier(self):
        return selectors.coop_supplier_get(cooperative=self.organization, slug=self.kwargs["supplier"])

    def detail_out(self, supplier) -> dict:
        supplier = self.get_supplier()  # fresh, with its annotations
        data = {
            "profile": supplier,
            "documents": selectors.supplier_document_list(supplier=supplier.organization),
            "stores": selectors.store_list(supplier=supplier.organization),
        }
        return s.CoopSupplierDetailSerializer(data).data


class CoopSupplierListAPIView(CoopStaffAPIMixin, generics.ListAPIView):
    serializer_class = s.CoopSupplierSerializer

    def get_queryset(self):
        return selectors.coop_supplier_list(cooperative=self.organization)

    @extend_schema(
        summary="Suppliers this co-op vets or has a contract with",
        responses={200: s.CoopSupplierSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Invite a supplier (creates it, invited, and invites its admin by e-mail)",
        request=s.SupplierInviteSerializer,
        responses={201: s.SupplierInvitedSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        serializer = s.SupplierInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier, invitation, _token = services.supplier_invite(
            cooperative=self.organization, actor=request.user, data=dict(serializer.validated_data)
        )
        supplier = selectors.coop_supplier_get(cooperative=self.organization, slug=supplier.organization.slug)
        body = {
            "supplier": supplier,
            "invitation_email": invitation.email,
            "invitation_expires_at": invitation.expires_at,
        }
        return Response(s.SupplierInvitedSerializer(body).data, status=status.HTTP_201_CREATED)


class CoopSupplierDetailAPIView(CoopStaffAPIMixin, APIView):
    @extend_schema(
        summary="A supplier's profile, documents and stores",
        responses={200: s.CoopSupplierDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, org, supplier):
        return Response(self.detail_out(self.get_supplier()))


class CoopSupplierVerifyAPIView(CoopStaffAPIMixin, APIView):
    @extend_schema(
        summary="Verify a submitted supplier (its W-9 and a current certificate of insurance must be verified)",
        request=None,
        responses={200: s.CoopSupplierDetailSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, supplier):
        profile = services.supplier_verify(
            supplier=self.get_supplier(), cooperative=self.organization, actor=request.user
        )
        return Response(self.detail_out(profile))


class CoopSupplierSendBackAPIView(CoopStaffAPIMixin, APIView):
    @extend_schema(
        summary="Send a submitted profile back with comments (status invited, changes requested)",
        request=s.SendBackSerializer,
        responses={200: s.CoopSupplierDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, supplier):
        serializer = s.SendBackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.supplier_send_back(
            supplier=self.get_supplier(),
            cooperative=self.organization,
            actor=request.user,
            comments=serializer.validated_data["comments"],
        )
        return Response(self.detail_out(profile))


class CoopDocumentVerifyAPIView(CoopStaffAPIMixin, APIView):
    @extend_schema(
        summary="Verify a document waiting for review (a current certificate of insurance lifts a suspension)",
        request=None,
        responses={200: s.SupplierDocumentSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, supplier, supplier_document_id):
        profile = self.get_supplier()
        document = selectors.supplier_document_get(supplier=profile.organization, document_id=supplier_document_id)
        document = services.supplier_document_review(
            document=document, cooperative=self.organization, actor=request.user, verify=True
        )
        return Response(s.SupplierDocumentSerializer(document).data)
