"""Receiving pages. Agency (any member who may see the order): `…/orders/<po>/receive/` records a delivery;
`…/orders/<po>/discrepancies/<id>/resolve/` resolves a discrepancy (the order page posts its Resolve form there).
Supplier (order desk and supplier admins): `…/orders/<po>/discrepancies/<id>/answer/` (the desk page posts there).
A refused write shows the form again with what was wrong; nothing changed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.purchase_orders.desk.roles import ORDER_DESK_ROLES
from orders.receiving import selectors, services
from orders.receiving.forms import DiscrepancyAnswerForm, DiscrepancyResolveForm, ReceiptForm


class AgencyReceivingMixin(OrganizationViewMixin):
    organization_kind = OrgKind.AGENCY

    def get_po(self):
        po = selectors.agency_receiving_po(
            agency=self.organization, user=self.request.user, roles=self.access.roles, po_id=self.kwargs["po_id"]
        )
        if po is None:
            raise Http404("No such order.")
        return po

    def order_url(self, po) -> str:
        return reverse("agency-order", args=[self.organization.slug, po.public_id])


class ReceiveView(AgencyReceivingMixin, View):
    def get(self, request, org, po_id):
        po = self.get_po()
        form = ReceiptForm(po=po, initial={"received_on": organization_today(self.organization)})
        return self.render_form(po, form)

    def post(self, request, org, po_id):
        po = self.get_po()
        form = ReceiptForm(request.POST, po=po)
        if not form.is_valid():
            return self.render_form(po, form, status=400)
        try:
            receipt = services.receipt_record(
                po=po,
                actor=request.user,
                received_on=form.cleaned_data["received_on"],
                lines=form.lines(),
                complete=form.cleaned_data["complete"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self.render_form(self.get_po(), form, message=exc.message, status=exc.status_code)
        done = f"Delivery of {long_date(receipt.received_on)} recorded."
        if receipt.flagged:
            count = len(receipt.flagged)
            done += f" {count} {'discrepancy' if count == 1 else 'discrepancies'} reported to {po.supplier.name}."
        messages.success(request, done)
        return HttpResponseRedirect(self.order_url(po))

    def render_form(self, po, form, *, message: str = "", status: int = 200):
        context = {
            "po": po,
            "form": form,
            "message": message or ("Nothing was recorded: some fields are not valid." if form.errors else ""),
            "can_receive": po.status in services.RECEIVING,
            "today": organization_today(self.organization),
        }
        return self.render_page("orders/receiving/receive.html", context, status=status)


class _DiscrepancyFormView(View):
    """One discrepancy and one form to act on it: shown on GET, the service called on POST (a refusal shows the
    form again with what was wrong), then back to the order page. Subclasses name the side and the action."""

    form_class: type
    side: str
    button: str

    def get_discrepancy(self):
        raise NotImplementedError

    def order_url(self, po) -> str:
        raise NotImplementedError

    def can_act(self, discrepancy) -> bool:
        raise NotImplementedError

    def act(self, discrepancy, data) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def get(self, request, org, po_id, discrepancy_id):
        return self.render_form(self.get_discrepancy(), self.form_class())

    def post(self, request, org, po_id, discrepancy_id):
        discrepancy = self.get_discrepancy()
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_form(discrepancy, form, status=400)
        try:
            done = self.act(discrepancy, form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self.render_form(self.get_discrepancy(), form, message=exc.message, status=exc.status_code)
        messages.success(request, done)
        return HttpResponseRedirect(self.order_url(discrepancy.purchase_order))

    def render_form(self, discrepancy, form, *, message: str = "", status: int = 200):
        context = {
            "discrepancy": discrepancy,
            "po": discrepancy.purchase_order,
            "form": form,
            "message": message or ("Nothing was changed: some fields are not valid." if form.errors else ""),
            "side": self.side,
            "back_url": self.order_url(discrepancy.purchase_order),
            "can_act": self.can_act(discrepancy),
            "button": self.button,
        }
        return self.render_page("orders/receiving/discrepancy.html", context, status=status)


class DiscrepancyResolveView(AgencyReceivingMixin, _DiscrepancyFormView):
    form_class, side, button = DiscrepancyResolveForm, "agency", "Resolve"

    def get_discrepancy(self):
        discrepancy = selectors.agency_discrepancy_get(
            agency=self.organization,
            user=self.request.user,
            roles=self.access.roles,
            discrepancy_id=self.kwargs["discrepancy_id"],
            po_id=self.kwargs["po_id"],
        )
        if discrepancy is None:
            raise Http404("No such discrepancy.")
        return discrepancy

    def can_act(self, discrepancy) -> bool:
        return discrepancy.status in services.OPEN_STATUSES

    def act(self, discrepancy, data) -> str:
        services.discrepancy_resolve(discrepancy=discrepancy, actor=self.request.user, resolution=data["resolution"])
        return f"Discrepancy on {discrepancy.po_line.sku} resolved."


class DiscrepancyAnswerView(OrganizationViewMixin, _DiscrepancyFormView):
    organization_kind = OrgKind.SUPPLIER
    required_roles = ORDER_DESK_ROLES
    form_class, side, button = DiscrepancyAnswerForm, "supplier", "Send answer"

    def get_discrepancy(self):
        discrepancy = selectors.supplier_discrepancy_get(
            supplier=self.organization, discrepancy_id=self.kwargs["discrepancy_id"], po_id=self.kwargs["po_id"]
        )
        if discrepancy is None:
            raise Http404("No such discrepancy.")
        return discrepancy

    def order_url(self, po) -> str:
        return reverse("supplier-order", args=[self.organization.slug, po.public_id])

    def can_act(self, discrepancy) -> bool:
        return discrepancy.status == "open"

    def act(self, discrepancy, data) -> str:
        services.discrepancy_answer(discrepancy=discrepancy, actor=self.request.user, response=data["response"])
        return f"Answer sent to {discrepancy.agency.name}."
