"""Approval API: the queue, approve, reject (a reason is required)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import ERROR_RESPONSES, WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from orders.approvals import selectors
from orders.approvals.api.serializers import (
    DecisionResultSerializer,
    PendingRequisitionSerializer,
    RequisitionRejectInputSerializer,
)
from orders.approvals.services.decisions import requisition_approve, requisition_reject
from orders.approvals.views import APPROVAL_PAGE_ROLES
from orders.requisitions.models import Requisition


class ApprovalQueueAPIView(OrganizationAPIMixin, generics.ListAPIView):
    organization_kind = OrgKind.AGENCY
    required_roles = APPROVAL_PAGE_ROLES
    serializer_class = PendingRequisitionSerializer

    def get_queryset(self):
        return selectors.approval_queue(agency=self.organization, user=self.request.user, roles=self.access.roles)

    @extend_schema(
        operation_id="agency_approval_queue",
        responses={200: PendingRequisitionSerializer(many=True), **ERROR_RESPONSES},
        summary="Requisitions waiting for your approval (agency admins: all pending)",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _result(requisition: Requisition) -> dict:
    fresh = Requisition.objects.prefetch_related("approvals__approver").get(pk=requisition.pk)
    return DecisionResultSerializer(fresh).data


class ApproveAPIView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY
    required_roles = APPROVAL_PAGE_ROLES

    @extend_schema(
        operation_id="agency_order_approve",
        request=None,
        responses={200: DecisionResultSerializer, **WRITE_ERRORS},
        summary="Approve a requisition (the last required approval releases its purchase orders)",
        description="Refused: your own requisition (403 `self_approval`), not an approver of it (403 "
        "`not_an_approver`), already decided by you (409 `already_decided`), no longer pending (409 `not_pending`).",
    )
    def post(self, request, org, requisition):
        found = selectors.requisition_for_decision(agency=self.organization, public_id=requisition)
        return Response(_result(requisition_approve(requisition=found, actor=request.user)))


class RejectAPIView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY
    required_roles = APPROVAL_PAGE_ROLES

    @extend_schema(
        operation_id="agency_order_reject",
        request=RequisitionRejectInputSerializer,
        responses={200: DecisionResultSerializer, **WRITE_ERRORS},
        summary="Reject a requisition with a reason (its purchase orders are rejected; the requester is told)",
    )
    def post(self, request, org, requisition):
        found = selectors.requisition_for_decision(agency=self.organization, public_id=requisition)
        data = RequisitionRejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = requisition_reject(requisition=found, actor=request.user, reason=data.validated_data["reason"])
        return Response(_result(result))
