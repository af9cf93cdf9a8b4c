"""Onboarding API.

Public (no auth): `POST /coops/<coop>/applications/` (multipart, with the evidence PDF; the same anti-spam rules as
the web form) → 201 with the secret status URL; `GET /applications/status/<token>/`, and the applicant's
`…/confirm/` and `…/replies/`. Co-op staff: the queue (`GET /coops/<coop>/applications/?status=`), one application
with its duplicates and hints, `approve/`, `request-info/`, `reject/`, and the bulk member import."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import JoinApplication
from agencies.onboarding import selectors, services
from agencies.onboarding.api import serializers as s
from agencies.onboarding.filters import ApplicationFilter
from agencies.onboarding.imports import MAX_BYTES, MemberImportRejected, member_import_apply
from agencies.onboarding.views import public_cooperative_get
from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import (
    ACTION_ERRORS,
    ERROR_RESPONSES,
    LIST_ERRORS,
    PUBLIC_ERRORS,
    WRITE_ERRORS,
    OrganizationAPIMixin,
)
from marketplace.core.context import client_ip
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind

RATE_LIMITED = {429: OpenApiResponse(ErrorSerializer, description="`rate_limited`: too many applications")}
PUBLIC_WRITE_ERRORS = {
    **PUBLIC_ERRORS,
    404: OpenApiResponse(ErrorSerializer, description="No such cooperative"),
    409: OpenApiResponse(
        ErrorSerializer, description="`already_member` / `duplicate_application`: the domain is a member or applied"
    ),
    415: WRITE_ERRORS[415],
    **RATE_LIMITED,
}


class StaffAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES

    def get_application(self) -> JoinApplication:
        return selectors.application_get(cooperative=self.organization, application_id=self.kwargs["application_id"])


def _detail(application: JoinApplication) -> dict:
    application.thread = selectors.application_messages(application=application)
    application.duplicates = selectors.application_duplicates(application=application)
    application.hints = selectors.application_hints(application=application)
    return s.JoinApplicationDetailSerializer(application).data


class ApplicationListAPIView(StaffAPIMixin, generics.ListAPIView):
    """GET (co-op staff): the review queue. POST (public, no auth): apply to join the cooperative."""

    queryset = JoinApplication.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = s.JoinApplicationSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = ApplicationFilter
    parser_classes = [MultiPartParser, FormParser]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def initial(self, request, *args, **kwargs):
        if request.method == "POST":  # public: the cooperative is looked up, no membership is needed
            APIView.initial(self, request, *args, **kwargs)
            self.organization = public_cooperative_get(kwargs["org"])
            return
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.application_list(cooperative=self.organization)

    @extend_schema(
        summary="Membership applications (co-op staff; `status=open` by default, or a status, or `all`)",
        responses={200: s.JoinApplicationSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Apply to join the cooperative (public, no auth; multipart with the evidence PDF)",
        description="A confirmation link is e-mailed to the contact; staff see the application once it is confirmed. "
        "Rate-limited per IP address and per e-mail address (429).",
        request={"multipart/form-data": s.JoinApplicationCreateSerializer},
        responses={201: s.JoinApplicationCreatedSerializer, **PUBLIC_WRITE_ERRORS},
        auth=[],
    )
    def post(self, request, org):
        serializer = s.JoinApplicationCreateSerializer(data=request.data)
        if not serializer.is_valid():
            services.join_attempt_check(ip=client_ip.get())  # a refused request counts as an attempt
            serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        evidence, honeypot = data.pop("evidence"), data.pop("fax_extension", "")
        application = services.application_submit(
            cooperative=self.organization, data=data, evidence=evidence, honeypot=honeypot
        )
        return Response(s.created_payload(application), status=status.HTTP_201_CREATED)


class ApplicationDetailAPIView(StaffAPIMixin, APIView):
    @extend_schema(
        summary="One application with possible duplicates, domain hints and its message thread (co-op staff)",
        responses={200: s.JoinApplicationDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, org, application_id):
        return Response(_detail(self.get_application()))


class ApproveAPIView(StaffAPIMixin, APIView):
    @extend_schema(
        summary="Approve: creates the agency, its active membership and the contact's admin invitation (once)",
        request=None,
        responses={200: s.JoinApprovedSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, application_id):
        application = self.get_application()
        agency = services.application_approve(application=application, actor=request.user)
        application.refresh_from_db()
        return Response(
            {
                "application": s.JoinApplicationSerializer(application).data,
                "agency": agency.slug,
                "invited": application.contact_email,
            }
        )


class RequestInfoAPIView(StaffAPIMixin, APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Ask the applicant for more information (e-mailed with their status link)",
        request=s.JoinRequestInfoSerializer,
        responses={200: s.JoinApplicationDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, application_id):
        serializer = s.JoinRequestInfoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_request_info(
            application=self.get_application(), actor=request.user, message=serializer.validated_data["message"]
        )
        return Response(_detail(application))


class RejectAPIView(StaffAPIMixin, APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Reject with a reason (e-mailed to the applicant)",
        request=s.JoinRejectSerializer,
        responses={200: s.JoinApplicationDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, application_id):
        serializer = s.JoinRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_reject(
            application=self.get_application(), actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(_detail(application))


class MemberImportAPIView(StaffAPIMixin, APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import members from CSV: all rows valid → 201 and every agency created; else 400, nothing applied",
        description="Row errors come back in `fields` as `rows.<row number>.<column>` (row 1 is the header; "
        "`file` for the file as a whole).",
        request={"multipart/form-data": s.MemberImportSerializer},
        responses={201: s.MemberImportResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        serializer = s.MemberImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            created = member_import_apply(
                cooperative=self.organization,
                data=upload.read(MAX_BYTES + 1),  # a larger file is refused without reading it all
                filename=upload.name or "",
                actor=request.user,
            )
        except MemberImportRejected as exc:
            fields: dict[str, list[str]] = {}
            for error in exc.errors:
                key = "file" if error.row == 0 else f"rows.{error.row}.{error.column or 'row'}"
                fields.setdefault(key, []).append(error.reason)
            count = len(exc.errors)
            raise ApplicationError(
                "invalid_rows", f"{count} problem{'s' if count != 1 else ''} in the file; nothing was imported.", fields
            ) from None
        payload = {"created": [{"name": a.name, "slug": a.slug, "code": a.code} for a in created]}
        return Response(payload, status=status.HTTP_201_CREATED)


# --- the applicant (public, by the secret status token) ----------------------------------------------------------


class _ApplicantAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []  # the token in the path is the credential; no session, no CSRF

    def get_application(self, token: str) -> JoinApplication:
        application = services.application_by_token(token=token)
        if application is None:
            raise Http404
        return application

    def status_payload(self, application: JoinApplication) -> dict:
        thread = selectors.application_messages(application=application)
        return s.JoinApplicationStatusSerializer(application, context={"thread": thread}).data


PUBLIC_404 = {404: OpenApiResponse(ErrorSerializer, description="Not a valid status link")}


class StatusAPIView(_ApplicantAPIView):
    @extend_schema(
        summary="An application's status and message thread (public, by the secret status token)",
        responses={200: s.JoinApplicationStatusSerializer, **PUBLIC_ERRORS, **PUBLIC_404},
        auth=[],
    )
    def get(self, request, token):
        return Response(self.status_payload(self.get_application(token)))


class ConfirmAPIView(_ApplicantAPIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Confirm the contact e-mail address with the code from the confirmation link (public)",
        request=s.JoinConfirmSerializer,
        responses={200: s.JoinApplicationStatusSerializer, **PUBLIC_ERRORS, **PUBLIC_404, 409: WRITE_ERRORS[409]},
        auth=[],
    )
    def post(self, request, token):
        serializer = s.JoinConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_confirm(token=token, code=serializer.validated_data["code"])
        return Response(self.status_payload(application))


class ReplyAPIView(_ApplicantAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Answer the cooperative's request for more information (public; multipart, optional PDF)",
        request={"multipart/form-data": s.JoinReplySerializer},
        responses={201: s.JoinApplicationStatusSerializer, **PUBLIC_ERRORS, **PUBLIC_404, 409: WRITE_ERRORS[409]},
        auth=[],
    )
    def post(self, request, token):
        application = self.get_application(token)
        serializer = s.JoinReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_reply(
            application=application,
            message=serializer.validated_data["message"],
            attachment=serializer.validated_data.get("attachment"),
        )
        application.refresh_from_db()
        return Response(self.status_payload(application), status=status.HTTP_201_CREATED)
