"""Agency set-up API (/api/v1/agencies/<org>/…), for agency admins: departments, facilities, fund codes and
approval rules (list, create, read, update — `is_active` in a PATCH deactivates or reactivates), tax-exemption
certificates (list, multipart upload, withdraw) and members' defaults; every member reads and sets their own
defaults at `me/defaults/`.

Each view parses with an input serializer, calls the service and answers with an output serializer; service
errors come back as the documented `{"error": {...}}` shape."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from agencies.setup import selectors, services
from agencies.setup.api import serializers as s
from marketplace.core.api.views import ERROR_RESPONSES, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.dates import organization_today
from marketplace.core.roles import OrgKind, Role

ADMIN = frozenset({Role.AGENCY_ADMIN})


class SetupAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.AGENCY
    required_roles = ADMIN


class ResourceAPIMixin(SetupAPIMixin):
    """One set-up resource: its output and input serializers, services and selectors."""

    output: ClassVar[type[Serializer]]
    input: ClassVar[type[Serializer]]
    object_kwarg: ClassVar[str]  # the services' keyword for the row, e.g. "department"
    id_kwarg: ClassVar[str]  # the URL's, e.g. "department_id"

    def rows(self):
        raise NotImplementedError

    def get_row(self):
        raise NotImplementedError

    def create(self, **kwargs):
        raise NotImplementedError

    def update(self, **kwargs):
        raise NotImplementedError

    def set_active(self, **kwargs):
        raise NotImplementedError

    def parse(self, request, *, partial: bool) -> tuple[dict[str, Any], bool | None]:
        serializer = self.input(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        return data, data.pop("is_active", None)

    def apply_active(self, obj, active: bool | None):
        if active is None or active == obj.is_active:
            return obj
        return self.set_active(**{self.object_kwarg: obj}, actor=self.request.user, active=active)


class ResourceListAPIView(ResourceAPIMixin, generics.ListAPIView):
    def get_serializer_class(self):
        return self.output

    def get_queryset(self):
        return self.rows()

    def post(self, request, org):
        data, active = self.parse(request, partial=False)
        obj = self.create(agency=self.organization, actor=request.user, data=data)
        obj = self.apply_active(obj, active)
        return Response(self.output(obj).data, status=status.HTTP_201_CREATED)


class ResourceDetailAPIView(ResourceAPIMixin, APIView):
    def get(self, request, org, **kwargs):
        return Response(self.output(self.get_row()).data)

    def patch(self, request, org, **kwargs):
        obj = self.get_row()
        data, active = self.parse(request, partial=True)
        if data:
            obj = self.update(**{self.object_kwarg: obj}, actor=request.user, data=data)
        obj = self.apply_active(obj, active)
        return Response(self.output(self.get_row()).data)


def _list_schema(noun: str, singular: str, output, input_):
    return extend_schema_view(
        get=extend_schema(
            summary=f"The agency's {noun} (active first)", responses={200: output(many=True), **ERROR_RESPONSES}
        ),
        post=extend_schema(
            summary=f"Add a {singular}",
            request=input_,
            responses={201: output, **WRITE_ERRORS},
        ),
    )


def _detail_schema(noun: str, output, input_):
    return extend_schema_view(
        get=extend_schema(summary=f"One {noun}", responses={200: output, **ERROR_RESPONSES}),
        patch=extend_schema(
            summary=f"Change a {noun} (fields given only; is_active=false deactivates)",
            request=input_(partial=True),
            responses={200: output, **WRITE_ERRORS},
        ),
    )


# --- departments -----------------------------------------------------------------------------------------


class DepartmentMixin(ResourceAPIMixin):
    output, input, object_kwarg, id_kwarg = (
        s.DepartmentSerializer,
        s.DepartmentInputSerializer,
        "department",
        "department_id",
    )

    def rows(self):
        return selectors.department_list(agency=self.organization)

    def get_row(self):
        return selectors.department_get(agency=self.organization, department_id=self.kwargs[self.id_kwarg])

    def create(self, **kwargs):
        return services.department_create(**kwargs)

    def update(self, **kwargs):
        return services.department_update(**kwargs)

    def set_active(self, **kwargs):
        return services.department_set_active(**kwargs)


@_list_schema("departments", "department", s.DepartmentSerializer, s.DepartmentInputSerializer)
class DepartmentListAPIView(DepartmentMixin, ResourceListAPIView):
    pass


@_detail_schema("department", s.DepartmentSerializer, s.DepartmentInputSerializer)
class DepartmentDetailAPIView(DepartmentMixin, ResourceDetailAPIView):
    pass


# --- facilities ------------------------------------------------------------------------------------------


class FacilityMixin(ResourceAPIMixin):
    output, input = s.SetupFacilitySerializer, s.FacilityInputSerializer
    object_kwarg, id_kwarg = "facility", "facility_id"

    def rows(self):
        return selectors.facility_list(agency=self.organization)

    def get_row(self):
        return selectors.facility_get(agency=self.organization, facility_id=self.kwargs[self.id_kwarg])

    def create(self, **kwargs):
        return services.facility_create(**kwargs)

    def update(self, **kwargs):
        return services.facility_update(**kwargs)

    def set_active(self, **kwargs):
        return services.facility_set_active(**kwargs)


@_list_schema("facilities", "facility", s.SetupFacilitySerializer, s.FacilityInputSerializer)
class FacilityListAPIView(FacilityMixin, ResourceListAPIView):
    pass


@_detail_schema("facility", s.SetupFacilitySerializer, s.FacilityInputSerializer)
class FacilityDetailAPIView(FacilityMixin, ResourceDetailAPIView):
    pass


# --- fund codes ------------------------------------------------------------------------------------------


class FundCodeMixin(ResourceAPIMixin):
    output, input, object_kwarg, id_kwarg = s.FundCodeSerializer, s.FundCodeInputSerializer, "fund_code", "fund_code_id"

    def rows(self):
        return selectors.fund_code_list(agency=self.organization)

    def get_row(self):
        return selectors.fund_code_get(agency=self.organization, fund_code_id=self.kwargs[self.id_kwarg])

    def create(self, **kwargs):
        return services.fund_code_create(**kwargs)

    def update(self, **kwargs):
        return services.fund_code_update(**kwargs)

    def set_active(self, **kwargs):
        return services.fund_code_set_active(**kwargs)


@_list_schema("fund codes", "fund code", s.FundCodeSerializer, s.FundCodeInputSerializer)
class FundCodeListAPIView(FundCodeMixin, ResourceListAPIView):
    pass


@_detail_schema("fund code", s.FundCodeSerializer, s.FundCodeInputSerializer)
class FundCodeDetailAPIView(FundCodeMixin, ResourceDetailAPIView):
    pass


# --- approval rules --------------------------------------------------------------------------------------


class ApprovalRuleMixin(ResourceAPIMixin):
    output, input, object_kwarg, id_kwarg = s.ApprovalRuleSerializer, s.ApprovalRuleInputSerializer, "rule", "rule_id"

    def rows(self):
        return selectors.approval_rule_list(agency=self.organization)

    def get_row(self):
        return selectors.approval_rule_get(agency=self.organization, rule_id=self.kwargs[self.id_kwarg])

    def create(self, **kwargs):
        return services.approval_rule_create(**kwargs)

    def update(self, **kwargs):
        return services.approval_rule_update(**kwargs)

    def set_active(self, **kwargs):
        return services.approval_rule_set_active(**kwargs)


@_list_schema("approval rules", "approval rule", s.ApprovalRuleSerializer, s.ApprovalRuleInputSerializer)
class ApprovalRuleListAPIView(ApprovalRuleMixin, ResourceListAPIView):
    pass


@_detail_schema("approval rule", s.ApprovalRuleSerializer, s.ApprovalRuleInputSerializer)
class ApprovalRuleDetailAPIView(ApprovalRuleMixin, ResourceDetailAPIView):
    pass


# --- tax-exemption certificates --------------------------------------------------------------------------


class TaxCertificateListAPIView(SetupAPIMixin, generics.ListAPIView):
    serializer_class = s.TaxCertificateSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.tax_certificate_list(agency=self.organization)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": organization_today(self.organization)}

    @extend_schema(
        summary="The agency's tax-exemption certificates (withdrawn last; is_valid says whether usable today)",
        responses={200: s.TaxCertificateSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a state's certificate (multipart; PDF checked by content, 20 MB limit)",
        request={"multipart/form-data": s.TaxCertificateUploadSerializer},
        responses={201: s.TaxCertificateSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        serializer = s.TaxCertificateUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        certificate = services.tax_certificate_upload(
            agency=self.organization,
            actor=request.user,
            state=data["state"],
            number=data["number"],
            expires_on=data.get("expires_on"),
            file=data["file"],
        )
        return Response(
            s.TaxCertificateSerializer(certificate, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class TaxCertificateWithdrawAPIView(SetupAPIMixin, APIView):
    @extend_schema(
        summary="Withdraw a certificate (kept for the record; checkout no longer uses it)",
        request=None,
        responses={200: s.TaxCertificateSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, certificate_id):
        certificate = selectors.tax_certificate_get(agency=self.organization, certificate_id=certificate_id)
        certificate = services.tax_certificate_withdraw(certificate=certificate, actor=request.user)
        return Response(
            s.TaxCertificateSerializer(certificate, context={"today": organization_today(self.organization)}).data
        )


# --- member defaults -------------------------------------------------------------------------------------


class DefaultsAPIMixin:
    def defaults_out(self, member) -> Response:
        defaults = selectors.member_defaults_get(agency=self.organization, user=member)
        return Response(s.MemberDefaultsSerializer(defaults).data)

    def defaults_put(self, request, member) -> Response:
        serializer = s.MemberDefaultsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.member_defaults_set(
            agency=self.organization, actor=request.user, user=member, **serializer.validated_data
        )
        return self.defaults_out(member)


class MemberDefaultsAPIView(DefaultsAPIMixin, SetupAPIMixin, APIView):
    @extend_schema(
        summary="A member's ordering defaults", responses={200: s.MemberDefaultsSerializer, **ERROR_RESPONSES}
    )
    def get(self, request, org, user_id):
        return self.defaults_out(selectors.agency_member_get(agency=self.organization, user_id=user_id))

    @extend_schema(
        summary="Set a member's default facility and fund code (a missing or null value clears it)",
        request=s.MemberDefaultsInputSerializer,
        responses={200: s.MemberDefaultsSerializer, **WRITE_ERRORS},
    )
    def put(self, request, org, user_id):
        return self.defaults_put(request, selectors.agency_member_get(agency=self.organization, user_id=user_id))


class MyDefaultsAPIView(DefaultsAPIMixin, OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(
        summary="Your own ordering defaults in this agency",
        responses={200: s.MemberDefaultsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, org):
        return self.defaults_out(request.user)

    @extend_schema(
        summary="Set your own default facility and fund code (a missing or null value clears it)",
        request=s.MemberDefaultsInputSerializer,
        responses={200: s.MemberDefaultsSerializer, **WRITE_ERRORS},
    )
    def put(self, request, org):
        return self.defaults_put(request, request.user)
