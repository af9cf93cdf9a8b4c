"""Purchase-order API: the PO PDF for the buying agency and the supplier's order desk."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.views import ERROR_RESPONSES, OrganizationAPIMixin
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind, Role
from orders.purchase_orders import selectors
from orders.purchase_orders.models import PDFStatus
from orders.purchase_orders.views import po_pdf_response

PDF_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PO document"),
    409: OpenApiResponse(ErrorSerializer, description="`pdf_not_ready`: being prepared (retry later) or failed"),
    **ERROR_RESPONSES,
}


class _POPdfAPIView(OrganizationAPIMixin, APIView):
    def get(self, request, org, po):
        found = selectors.purchase_order_get(organization=self.organization, public_id=po)
        if found.pdf_status != PDFStatus.READY:
            state = "failed; it will be retried" if found.pdf_status == PDFStatus.FAILED else "being prepared"
            raise ApplicationError("pdf_not_ready", f"The purchase order PDF is {state}.", status=409)
        return po_pdf_response(found)


class AgencyPOPdfAPIView(_POPdfAPIView):
    organization_kind = OrgKind.AGENCY

    @extend_schema(operation_id="agency_purchase_order_pdf", responses=PDF_RESPONSES, summary="Download a PO (PDF)")
    def get(self, request, org, po):
        return super().get(request, org, po)


class SupplierPOPdfAPIView(_POPdfAPIView):
    organization_kind = OrgKind.SUPPLIER
    required_roles = frozenset({Role.ORDER_DESK, Role.SUPPLIER_ADMIN})

    @extend_schema(operation_id="supplier_purchase_order_pdf", responses=PDF_RESPONSES, summary="Download a PO (PDF)")
    def get(self, request, org, po):
        return super().get(request, org, po)
