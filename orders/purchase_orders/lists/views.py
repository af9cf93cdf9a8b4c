"""Order lists and order pages for the buying agency and the co-op.

- Agency (`/agencies/<org>/orders/`, any member): requesters see the orders they placed; approvers, finance and
  agency admins see all of the agency's (and can narrow to their own or their department's). The order page shows
  lines, totals, savings, the tax-exempt statement, fulfilment, shipments and the one timeline; the member who
  placed the order, an approver or an agency admin agrees to or declines a supplier's request to cancel part of a
  line there.
- Co-op (`/coops/<org>/orders/`, any member): released orders on its contracts, read-only (fee and compliance
  reporting).

Each list has a CSV export of the rows its filters select."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.purchase_orders.desk.models import CancellationStatus
from orders.purchase_orders.lists import selectors
from orders.purchase_orders.lists.export import orders_csv_response
from orders.purchase_orders.lists.filters import AgencyOrderFilter, CoopOrderFilter
from orders.purchase_orders.services import desk

ORDERS_PER_PAGE = 50


def _list_context(request, filters, orders) -> dict:
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "form": filters.form,
        "page_obj": page,
        "orders": page.object_list,
        "filtered": filters.active,
        "export_query": request.GET.urlencode(),
    }


class AgencyOrdersMixin(OrganizationViewMixin):
    organization_kind = OrgKind.AGENCY

    def filters(self):
        return AgencyOrderFilter(self.request.GET, request=self.request, organization=self.organization)

    def orders(self, filters):
        return selectors.agency_order_list(
            agency=self.organization, user=self.request.user, roles=self.access.roles, filters=filters
        )


class AgencyOrderListView(AgencyOrdersMixin, View):
    def get(self, request, org):
        filters = self.filters()
        context = _list_context(request, filters, self.orders(filters))
        context["sees_all"] = selectors.sees_all_agency_orders(self.access.roles)
        context["not_all"] = not context["sees_all"]
        return self.render_page("orders/lists/agency_list.html", context, status=400 if filters.errors else 200)


class AgencyOrderExportView(AgencyOrdersMixin, View):
    def get(self, request, org):
        return orders_csv_response(self.orders(self.filters()), filename=f"{self.organization.slug}-orders.csv")


class AgencyOrderDetailView(OrganizationViewMixin, View):
    organization_kind = OrgKind.AGENCY

    def get_po(self):
        po = selectors.agency_order_get(
            agency=self.organization, user=self.request.user, roles=self.access.roles, po_id=self.kwargs["po_id"]
        )
        if po is None:
            raise Http404("No such order.")
        return po

    def get(self, request, org, po_id):
        return self.render_detail(self.get_po())

    def post(self, request, org, po_id):
        """The agency's answer to a supplier's request to cancel part of a line."""
        po = self.get_po()
        decision = request.POST.get("decision")
        cancellation = next(
            (c for c in po.line_cancellations.all() if str(c.public_id) == request.POST.get("cancellation", "")), None
        )
        if request.POST.get("action") != "decide" or cancellation is None or decision not in ("approve", "decline"):
            return self.render_detail(po, message="Choose a request and agree or decline.", status=400)
        try:
            done = desk.line_cancellation_decide(
                cancellation=cancellation,
                actor=request.user,
                roles=self.access.roles,
                approve=decision == "approve",
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            return self.render_detail(self.get_po(), message=exc.message, status=exc.status_code)
        if done.status == CancellationStatus.APPROVED:
            messages.success(request, f"Agreed: {done.quantity} × {done.line.sku} cancelled. The supplier sees it.")
        else:
            messages.success(request, f"Declined. {done.line.sku} stays on the order.")
        return HttpResponseRedirect(reverse("agency-order", args=[self.organization.slug, po.public_id]))

    def render_detail(self, po, *, message: str = "", status: int = 200):
        roles = self.access.roles
        context = {
            "po": po,
            "timeline": selectors.po_timeline(po),
            "approvals": selectors.po_approvals(po),
            "message": message,
            "can_decide": bool(roles & desk.CONSENT_ROLES) or po.requisition.requester_id == self.request.user.pk,
        }
        return self.render_page("orders/lists/agency_detail.html", context, status=status)


class CoopOrdersMixin(OrganizationViewMixin):
    organization_kind = OrgKind.COOPERATIVE

    def filters(self):
        return CoopOrderFilter(self.request.GET, request=self.request, organization=self.organization)


class CoopOrderListView(CoopOrdersMixin, View):
    def get(self, request, org):
        filters = self.filters()
        orders = selectors.coop_order_list(cooperative=self.organization, filters=filters)
        context = _list_context(request, filters, orders)
        return self.render_page("orders/lists/coop_list.html", context, status=400 if filters.errors else 200)


class CoopOrderExportView(CoopOrdersMixin, View):
    def get(self, request, org):
        orders = selectors.coop_order_list(cooperative=self.organization, filters=self.filters())
        return orders_csv_response(orders, filename=f"{self.organization.slug}-orders.csv")


class CoopOrderDetailView(OrganizationViewMixin, View):
    organization_kind = OrgKind.COOPERATIVE

    def get(self, request, org, po_id):
        po = selectors.coop_order_get(cooperative=self.organization, po_id=po_id)
        if po is None:
            raise Http404("No such order.")
        context = {"po": po, "timeline": selectors.po_timeline(po)}
        return self.render_page("orders/lists/coop_detail.html", context)
