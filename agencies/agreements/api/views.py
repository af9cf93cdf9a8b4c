"""Membership-agreement API.

- `GET/POST /api/v1/coops/{coop}/agreements/` (co-op staff): the versions (newest first, with accepted counts);
  publish a version (JSON or multipart with `source_file`).
- `GET /api/v1/coops/{coop}/agreements/signed/{id}/pdf/` (co-op staff): an agency's signed agreement PDF.
- `GET /api/v1/agencies/{agency}/agreements/` (agency admins): the current agreement of each co-op the agency
  belongs to, with its standing (`state`, `blocks_ordering`, `message`).
- `POST /api/v1/agencies/{agency}/agreements/{version}/accept/` (agency admins): sign; once per version (409
  `already_accepted` on a second submission).
- `GET /api/v1/agencies/{agency}/agreements/signed/{id}/pdf/` (agency admins): the signed agreement PDF (409
  `pdf_not_ready` while the worker prepares it)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.agreements import selectors, services
from agencies.agreements.api import serializers as s
from agencies.agreements.models import AgreementPDFStatus, AgreementVersion
from agencies.agreements.views import signed_pdf_response
from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.views import LIST_ERRORS, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind, Role

PDF_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The signed agreement"),
    **LIST_ERRORS,
    409: OpenApiResponse(ErrorSerializer, description="`pdf_not_ready`: being prepared (retry later) or failed"),
}


def _pdf(acceptance):
    if acceptance.pdf_status != AgreementPDFStatus.READY or not acceptance.pdf:
        state = "failed; it will be retried" if acceptance.pdf_status == AgreementPDFStatus.FAILED else "being prepared"
        raise ApplicationError("pdf_not_ready", f"The signed agreement PDF is {state}.", status=409)
    return signed_pdf_response(acceptance)


class CoopAgreementAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES


class CoopAgreementListAPIView(CoopAgreementAPIMixin, generics.ListAPIView):
    queryset = AgreementVersion.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = s.AgreementVersionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.agreement_version_list(cooperative=self.organization)

    @extend_schema(
        operation_id="coop_agreements_list",
        summary="The co-op's membership agreement versions, newest (current) first, with how many members accepted",
        responses={200: s.AgreementVersionSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="coop_agreements_publish",
        summary="Publish a new agreement version (immutable; becomes the current agreement)",
        request={
            "application/json": s.AgreementPublishInputSerializer,
            "multipart/form-data": s.AgreementPublishInputSerializer,
        },
        responses={201: s.AgreementVersionSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        serializer = s.AgreementPublishInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.agreement_version_publish(
            cooperative=self.organization, actor=request.user, **serializer.validated_data
        )
        version = selectors.agreement_version_get(cooperative=self.organization, version_id=version.pk)
        return Response(s.AgreementVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class CoopAcceptancePdfAPIView(CoopAgreementAPIMixin, APIView):
    @extend_schema(
        operation_id="coop_agreement_signed_pdf",
        responses=PDF_RESPONSES,
        summary="Download an agency's signed agreement (PDF)",
    )
    def get(self, request, org, acceptance_id):
        return _pdf(selectors.coop_acceptance_get(cooperative=self.organization, public_id=acceptance_id))


class AgencyAgreementAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.AGENCY
    required_roles = frozenset({Role.AGENCY_ADMIN})


class AgencyAgreementListAPIView(AgencyAgreementAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_agreements_list",
        summary="The current membership agreement of each co-op the agency belongs to, and the agency's standing",
        responses={200: s.AgreementStandingSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, org):
        rows = selectors.agency_agreement_overview(agency=self.organization)
        return Response(s.AgreementStandingSerializer(rows, many=True).data)


class AgencyAgreementAcceptAPIView(AgencyAgreementAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_agreement_accept",
        summary="Accept (sign) a co-op's current agreement version for the agency, once per version",
        request=s.AgreementAcceptInputSerializer,
        responses={
            201: s.AgreementAcceptanceSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(
                ErrorSerializer,
                description="`already_accepted`: the agency already signed this version (nothing changed); "
                "`not_current`: a newer version was published, accept that one",
            ),
        },
    )
    def post(self, request, org, version_id):
        version = selectors.agency_version_get(agency=self.organization, version_id=version_id)
        serializer = s.AgreementAcceptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acceptance = services.agreement_accept(
            agency=self.organization, version=version, actor=request.user, **serializer.validated_data
        )
        acceptance = selectors.agency_acceptance_get(agency=self.organization, public_id=acceptance.public_id)
        return Response(s.AgreementAcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)


class AgencyAcceptancePdfAPIView(AgencyAgreementAPIMixin, APIView):
    @extend_schema(
        operation_id="agency_agreement_signed_pdf",
        responses=PDF_RESPONSES,
        summary="Download the agency's signed agreement (PDF)",
    )
    def get(self, request, org, acceptance_id):
        return _pdf(selectors.agency_acceptance_get(agency=self.organization, public_id=acceptance_id))
