"""The supplier's order desk (order desk and supplier admins): the inbox of released orders with its filters and
CSV export, and one order's page where the desk acknowledges or rejects it, records shipments, marks lines
backordered and asks the agency to agree to cancelling part of a line. Each form posts to the order's page with an
`action`; a refused write re-renders the page with what was wrong (nothing changed). There is no store-staff role
yet: a store's orders are the inbox filtered by store."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.purchase_orders.desk import selectors
from orders.purchase_orders.desk.api import serializers as inputs
from orders.purchase_orders.desk.filters import SupplierOrderFilter
from orders.purchase_orders.desk.roles import ORDER_DESK_ROLES
from orders.purchase_orders.lists.export import orders_csv_response
from orders.purchase_orders.lists.selectors import po_timeline
from orders.purchase_orders.models import POStatus
from orders.purchase_orders.services import desk

ORDERS_PER_PAGE = 50


class DeskMixin(OrganizationViewMixin):
    organization_kind = OrgKind.SUPPLIER
    required_roles = ORDER_DESK_ROLES


class DeskOrderListView(DeskMixin, View):
    def get(self, request, org):
        filters = SupplierOrderFilter(request.GET, request=request, organization=self.organization)
        orders = selectors.desk_order_list(supplier=self.organization, filters=filters)
        page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "form": filters.form,
            "page_obj": page,
            "orders": page.object_list,
            "filtered": filters.active,
            "export_query": request.GET.urlencode(),
        }
        return self.render_page("orders/desk/list.html", context, status=400 if filters.errors else 200)


class DeskOrderExportView(DeskMixin, View):
    def get(self, request, org):
        filters = SupplierOrderFilter(request.GET, request=request, organization=self.organization)
        orders = selectors.desk_order_list(supplier=self.organization, filters=filters)
        return orders_csv_response(orders, filename=f"{self.organization.slug}-purchase-orders.csv")


def _line_rows(po, values=None, errors=None):
    values, errors = values or {}, errors or {}
    rows = []
    for line in po.lines.all():
        rows.append(
            {
                "line": line,
                "open": desk.line_open_quantity(line),
                "value": values.get(f"line-{line.id}-quantity", ""),
                "errors": errors.get(f"lines.{line.id}.quantity", []),
            }
        )
    return rows


class DeskOrderDetailView(DeskMixin, View):
    ACTIONS = ("acknowledge", "reject", "ship", "backorder", "cancel_line")

    def get_po(self):
        po = selectors.desk_order_get(supplier=self.organization, po_id=self.kwargs["po_id"])
        if po is None:
            raise Http404("No such order.")
        return po

    def get(self, request, org, po_id):
        return self.render_detail(self.get_po())

    def post(self, request, org, po_id):
        po = self.get_po()
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            return self.render_detail(po, form=action, message="Choose what to do.", status=400)
        try:
            done = getattr(self, f"do_{action}")(po, request.POST)
        except ApplicationError as exc:
            fresh = self.get_po()  # nothing changed; show the order as it is now
            return self.render_detail(
                fresh, form=action, values=request.POST, errors=exc.fields, message=exc.message, status=exc.status_code
            )
        messages.success(request, done)
        return HttpResponseRedirect(reverse("supplier-order", args=[self.organization.slug, po.public_id]))

    # Each action: parse the form with the API's input type, call the service, say what happened.

    def do_acknowledge(self, po, post) -> str:
        data = inputs.parse(inputs.DeskAcknowledgeInputSerializer, {"note": post.get("note", "")}).validated_data
        desk.po_acknowledge(po=po, actor=self.request.user, note=data["note"])
        return f"{po} acknowledged. The agency sees it on its order page."

    def do_reject(self, po, post) -> str:
        data = inputs.parse(inputs.DeskRejectInputSerializer, {"reason": post.get("reason", "")}).validated_data
        desk.po_reject(po=po, actor=self.request.user, reason=data["reason"])
        return f"{po} rejected. The agency was told why."

    def do_ship(self, po, post) -> str:
        lines = []
        for line in po.lines.all():
            raw = (post.get(f"line-{line.id}-quantity") or "").strip()
            if raw:
                lines.append({"line": line.id, "quantity": raw})
        body = {
            "carrier": post.get("carrier", ""),
            "tracking_number": post.get("tracking_number", ""),
            "ship_date": post.get("ship_date") or None,
            "lines": lines,
        }
        shipment = desk.shipment_record(
            po=po, actor=self.request.user, data=inputs.parse(inputs.DeskShipmentInputSerializer, body).to_input()
        )
        return f"Shipment of {long_date(shipment.ship_date)} recorded."

    def do_backorder(self, po, post) -> str:
        body = {"line": post.get("line"), "expected_date": post.get("expected_date") or None}
        data = inputs.parse(inputs.DeskBackorderInputSerializer, body).validated_data
        line = desk.line_backorder(po=po, actor=self.request.user, line_id=data["line"], until=data["expected_date"])
        if line.backordered_until:
            return f"{line.sku} marked backordered until {long_date(line.backordered_until)}."
        return f"{line.sku} is no longer marked backordered."

    def do_cancel_line(self, po, post) -> str:
        body = {"line": post.get("line"), "quantity": post.get("quantity"), "reason": post.get("reason", "")}
        data = inputs.parse(inputs.DeskCancellationRequestInputSerializer, body).validated_data
        made = desk.line_cancellation_request(
            po=po, actor=self.request.user, line_id=data["line"], quantity=data["quantity"], reason=data["reason"]
        )
        return (
            f"Asked the agency to agree to cancelling {made.quantity} × {made.line.sku}. Nothing changes until it does."
        )

    def render_detail(self, po, *, form="", values=None, errors=None, message="", status=200):
        values = values if values is not None else {}
        context = {
            "po": po,
            "rows": _line_rows(po, values if form == "ship" else None, errors if form == "ship" else None),
            "timeline": po_timeline(po),
            "form_name": form,
            "values": values,
            "errors": errors or {},
            "message": message,
            "today": organization_today(self.organization),
            "can_answer": po.status == POStatus.SENT,
            "can_ship": po.status in desk.SHIPPING,
            "can_cancel": po.status in desk.CANCELLABLE,
            "open_lines": [line for line in po.lines.all() if desk.line_open_quantity(line) > 0],
        }
        return self.render_page("orders/desk/detail.html", context, status=status)
