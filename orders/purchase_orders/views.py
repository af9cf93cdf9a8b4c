"""Purchase-order pages: the agency's PO page (status, timeline, the PDF "being prepared" until a worker has
made it, then a download link) and PDF downloads for the agency, the supplier's order desk and the co-op."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views import View

from marketplace.core.roles import OrgKind, Role
from marketplace.core.tenancy import OrganizationViewMixin
from orders.purchase_orders import selectors
from orders.purchase_orders.models import PDFStatus, POStatus
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
    organization_kind = OrgKind.AGENCY

    def get(self, request, org, po):
        po = selectors.purchase_order_detail(organization=self.organization, public_id=po)
        savings_percent = (po.savings * 100 / po.list_total) if po.list_total else None
        for line in po.line_list:
            line.savings = line.list_amount - line.amount
        labels = dict(POStatus.choices)  # a superset of the requisition's statuses, same labels
        for event in po.timeline:
            event.from_label = labels.get(event.from_status, "New") if event.from_status else "New"
            event.to_label = labels.get(event.to_status, event.to_status)
        return self.render_page(
            "orders/purchase_orders/detail.html",
            {"po": po, "savings_percent": savings_percent, "total": po.subtotal + po.tax},
        )


class AgencyPOPdfStatusView(OrganizationViewMixin, View):
    """The htmx partial the PO page polls while the PDF is being prepared."""

    organization_kind = OrgKind.AGENCY

    def get(self, request, org, po):
        po = selectors.purchase_order_get(organization=self.organization, public_id=po)
        return self.render_page("orders/purchase_orders/detail.html#pdf", {"po": po})


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
