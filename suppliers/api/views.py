from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.views import ERROR_RESPONSES, OrganizationAPIMixin
from marketplace.core.roles import OrgKind
from suppliers import selectors
from suppliers.api.serializers import SupplierDetailSerializer


class SupplierDetailView(OrganizationAPIMixin, APIView):
    organization_kind = OrgKind.SUPPLIER

    @extend_schema(responses={200: SupplierDetailSerializer, **ERROR_RESPONSES}, summary="A supplier you belong to")
    def get(self, request, org):
        data = {
            "organization": self.organization,
            "profile": selectors.supplier_profile(organization=self.organization),
            "roles": sorted(self.access.roles),
            "stores": selectors.store_location_list(supplier=self.organization),
        }
        return Response(SupplierDetailSerializer(data).data)
