"""Purchase-order documents: the PDF "being prepared" partial the agency's order page polls until a worker has made
it, PDF downloads for the agency, the supplier's order desk and the co-op, and the PO's first address (a redirect
to the agency's order page)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views import View

from marketplace.core.roles import OrgKind, Role
from marketplace.core.tenancy import OrganizationViewMixin
from orders.purchase_orders import selectors
from orders.purchase_orders.models import PDFStatus
from orders.purchase_orders.services.pdf import po_pdf_filename


def po_pdf_response(po) -> FileResponse:
    if po.pdf_status != PDFStatus.READY or not po.pdf:
        raise Http404("The purchase order PDF is not ready.")
    try:
        handle = po.pdf.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is not available.") from exc
    return FileResponse(handle, as_attachment=True, filename=po_pdf_filename(po), content_type="application/pdf")


class AgencyPODetailView(OrganizationViewMixin, View):
    """The PO's first address (in e-mails sent at release): one page per order now, the agency's order page."""

    organization_kind = OrgKind.AGENCY

    def get(self, request, org, po):
        po = selectors.purchase_order_get(organization=self.organization, public_id=po)
        return HttpResponsePermanentRedirect(reverse("agency-order", args=[self.organization.slug, po.public_id]))


class AgencyPOPdfStatusView(OrganizationViewMixin, View):
    """The htmx partial the PO page polls while the PDF is being prepared."""

    organization_kind = OrgKind.AGENCY

    def get(self, request, org, po):
        po = selectors.purchase_order_get(organization=self.organization, public_id=po)
        return self.render_page("orders/purchase_orders/_pdf.html", {"po": po})


class _PODownload(OrganizationViewMixin, View):
    def get(self, request, org, po):
        return po_pdf_response(selectors.purchase_order_get(organization=self.organization, public_id=po))


class AgencyPOPdfView(_PODownload):
    organization_kind = OrgKind.AGENCY


class SupplierPOPdfView(_PODownload):
    organization_kind = OrgKind.SUPPLIER
    required_roles = frozenset({Role.ORDER_DESK, Role.SUPPLIER_ADMIN})


class CoopPOPdfView(_PODownload):
    """Read-only for the co-op whose contract the PO uses (fee and compliance reporting)."""

    organization_kind = OrgKind.COOPERATIVE
