"""Checkout API: `POST /api/v1/agencies/{agency}/checkout/` (any member; honours an `Idempotency-Key` header)."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.views import WRITE_ERRORS, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from orders.requisitions.api.serializers import CheckoutInputSerializer, RequisitionSerializer, checkout_input_parse
from orders.requisitions.selectors import requisition_detail
from orders.requisitions.services.checkout import checkout_submit
from orders.requisitions.services.idempotency import idempotent_run


def checkout_and_describe(*, agency, user, data) -> tuple[int, dict, object]:
    """Run a checkout and build its JSON answer (what an idempotency record stores and replays)."""
    requisition = checkout_submit(agency=agency, user=user, data=checkout_input_parse(data))
    detail = requisition_detail(agency=agency, user=user, public_id=requisition.public_id)
    body = json.loads(json.dumps(RequisitionSerializer(detail).data, cls=DjangoJSONEncoder))
    return 201, body, requisition


class CheckoutAPIView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(
        operation_id="agency_checkout",
        request=CheckoutInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                location=OpenApiParameter.HEADER,
                required=False,
                description="Retry-safe checkout: the first answer for a key is replayed (same status and body); "
                "the same key with a different body is refused (422 `idempotency_key_reused`).",
            )
        ],
        responses={
            201: RequisitionSerializer,
            **WRITE_ERRORS,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`checkout_invalid`: nothing was ordered; `fields` names each problem "
                "(`facility`, `requested_date`, `lines.<cart line id>.quantity|price|item|contract|fund_code`, "
                "`fulfilment.<contract id>` …)",
            ),
            409: OpenApiResponse(
                ErrorSerializer,
                description="`agreement_required`: nothing was ordered; the agency has not accepted the membership "
                "agreement of a co-op whose contracts are in the cart (or its re-acceptance date has passed). "
                "`fields.agreement` has one message per co-op, naming the page where an agency admin signs. "
                "Also `idempotency_in_progress`.",
            ),
            422: OpenApiResponse(ErrorSerializer, description="`idempotency_key_reused`"),
        },
        summary="Check out your cart: one requisition, one purchase order per contract, routed for approval",
    )
    def post(self, request, org):
        key = request.headers.get("Idempotency-Key")
        body = request.data

        def run():
            return checkout_and_describe(agency=self.organization, user=request.user, data=body)

        if key is None:
            status, data, _requisition = run()
            return Response(data, status=status)
        stored = idempotent_run(agency=self.organization, user=request.user, key=key, body=body, run=run)
        response = Response(stored.body, status=stored.status)
        if stored.replayed:
            response["Idempotent-Replayed"] = "true"
        return response
