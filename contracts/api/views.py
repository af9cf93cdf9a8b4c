from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import ERROR_RESPONSES, OrganizationAPIMixin
from marketplace.core.roles import OrgKind

from .. import selectors
from .serializers import CoopDetailSerializer


class CoopDetailView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.COOPERATIVE

    @extend_schema(responses={200: CoopDetailSerializer, **ERROR_RESPONSES}, summary="A cooperative you belong to")
    def get(self, request, org):
        data = {
            "organization": self.organization,
            "roles": sorted(self.access.roles),
            "member_agencies": selectors.coop_member_list(cooperative=self.organization),
        }
        return Response(CoopDetailSerializer(data).data)
