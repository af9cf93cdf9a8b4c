"""Cart pages of an agency member: the cart, adding an item (from search results and the item page, by htmx
without a reload or by a plain form post that redirects back), changing a line, reordering a past purchase order,
and the agency's order templates (list, page, new, changes, load into the cart)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from agencies.agreements.selectors import agreement_warnings
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import money
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.carts import selectors, services
from orders.carts.forms import CartAddForm, CartLineForm, OrderTemplateEditForm, OrderTemplateForm


class CartMixin(OrganizationViewMixin):
    organization_kind = OrgKind.AGENCY

    def cart_url(self) -> str:
        return reverse("agency-cart", args=[self.organization.slug])

    def is_htmx(self) -> bool:
        htmx = getattr(self.request, "htmx", None)
        return bool(htmx) and not htmx.boosted


class CartView(CartMixin, View):
    template_name = "orders/cart.html"

    def get(self, request, org):
        context = {
            "summary": selectors.cart_summary(agency=self.organization, user=request.user),
            "agreement_notices": agreement_warnings(agency=self.organization),
        }
        return self.render_page(self.template_name, context)


class CartAddView(CartMixin, View):
    """POST an item and a quantity. htmx: answers the add form again with a status and the header badge
    (out of band). Without JavaScript: a message and a redirect back to where the form was."""

    def post(self, request, org):
        form = CartAddForm(request.POST)
        item_id = request.POST.get("item", "")
        line, error = None, None
        if not form.is_valid():
            error = "Choose an item and a quantity."
        else:
            try:
                line = services.cart_line_add(
                    agency=self.organization,
                    user=request.user,
                    item_id=form.cleaned_data["item"],
                    quantity=form.cleaned_data["quantity"],
                )
            except ApplicationError as exc:
                if "item" in exc.fields and not self.is_htmx():
                    raise Http404(exc.message)
                error = exc.message
        if self.is_htmx():  # htmx swaps only 2xx answers: the partial carries the error itself
            context = {
                "item_id": item_id,
                "item_name": line.item.name if line else "",
                "unit": line.item.unit if line else request.POST.get("unit", "")[:20],
                "quantity": request.POST.get("quantity", "")[:20] if error else 1,
                "added": line,
                "error": error,
                "next": request.POST.get("next", ""),
                "cart_line_count": selectors.cart_line_count(agency=self.organization, user=request.user),
                "cart_url": self.cart_url(),
                "oob": True,
            }
            return self.render_page("orders/partials/cart_add.html", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"Added {form.cleaned_data['quantity']} × {line.item.name} to your cart.")
        return HttpResponseRedirect(self._next(request.POST.get("next")))

    def _next(self, target: str | None) -> str:
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return self.cart_url()


class CartLineView(CartMixin, View):
    """POST a change to one line of the member's own cart; back to the cart with what happened."""

    def post(self, request, org, line_id):
        form = CartLineForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose what to do with the line.")
            return HttpResponseRedirect(self.cart_url())
        action = form.cleaned_data["action"]
        user, agency = request.user, self.organization
        try:
            if action == "remove":
                services.cart_line_remove(agency=agency, user=user, line_id=line_id)
                messages.success(request, "Removed from your cart.")
            elif action == "update":
                line = services.cart_line_update(
                    agency=agency, user=user, line_id=line_id, quantity=form.cleaned_data["quantity"]
                )
                messages.success(request, f"{line.item.sku}: quantity is now {line.quantity}.")
            elif action in ("save", "move"):
                line = services.cart_line_update(
                    agency=agency, user=user, line_id=line_id, saved_for_later=action == "save"
                )
                messages.success(
                    request,
                    f"{line.item.sku} saved for later." if action == "save" else f"{line.item.sku} moved to your cart.",
                )
            else:
                line = services.cart_line_update(agency=agency, user=user, line_id=line_id, accept_current_price=True)
                messages.success(request, f"{line.item.sku}: now at {money(line.unit_price_snapshot)}.")
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise Http404(exc.message)
            messages.error(request, exc.message)
        return HttpResponseRedirect(self.cart_url())


def fill_messages(request, fill: services.CartFill, source: str) -> None:
    """What a reorder or template load did, as page messages: what was added, and each skipped line with why."""
    if fill.added:
        count = len(fill.added)
        messages.success(request, f"Added {count} line{'s' if count != 1 else ''} from {source} to your cart.")
    for skipped in fill.skipped:
        label = f"{skipped.sku} {skipped.name}".strip() or "An item"
        messages.warning(request, f"Not added: {label} — {skipped.reason}")
    if not fill.added and not fill.skipped:
        messages.info(request, f"{source[:1].upper()}{source[1:]} has no lines to add.")


class PurchaseOrderReorderView(CartMixin, View):
    """POST from the agency's PO page: every line of the PO into the member's cart, then the cart."""

    def post(self, request, org, po):
        try:
            found, fill = services.cart_reorder(agency=self.organization, user=request.user, po_public_id=po)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        fill_messages(request, fill, f"purchase order {found.number or 'not yet numbered'}")
        return HttpResponseRedirect(self.cart_url())


class OrderTemplateMixin(CartMixin):
    def template_url(self, template) -> str:
        return reverse("agency-order-template", args=[self.organization.slug, template.public_id])

    def list_url(self) -> str:
        return reverse("agency-order-templates", args=[self.organization.slug])

    def may_manage(self) -> bool:
        return bool(self.access.roles & services.TEMPLATE_MANAGER_ROLES)


class OrderTemplateListView(OrderTemplateMixin, View):
    """The agency's order templates: any member sees and loads them; admins and approvers keep them."""

    def get(self, request, org):
        templates = list(selectors.order_template_list(agency=self.organization))
        return self.render_page("orders/templates/list.html", {"templates": templates, "may_manage": self.may_manage()})


class OrderTemplateCreateView(OrderTemplateMixin, View):
    required_roles = services.TEMPLATE_MANAGER_ROLES

    def get(self, request, org):
        has_cart = selectors.cart_line_count(agency=self.organization, user=request.user) > 0
        form = OrderTemplateForm(initial={"from_cart": has_cart and request.GET.get("from_cart") == "1"})
        return self.render_page("orders/templates/form.html", {"form": form, "has_cart": has_cart})

    def post(self, request, org):
        form = OrderTemplateForm(request.POST)
        if form.is_valid():
            try:
                template = services.order_template_create(
                    agency=self.organization,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    from_cart=form.cleaned_data["from_cart"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Template “{template.name}” saved.")
                return HttpResponseRedirect(self.template_url(template))
        has_cart = selectors.cart_line_count(agency=self.organization, user=request.user) > 0
        return self.render_page("orders/templates/form.html", {"form": form, "has_cart": has_cart}, status=400)


class OrderTemplateDetailView(OrderTemplateMixin, View):
    def get(self, request, org, template):
        detail = selectors.order_template_detail(agency=self.organization, public_id=template)
        if detail is None:
            raise Http404("No such order template.")
        return self.render_page(
            "orders/templates/detail.html",
            {"detail": detail, "template": detail.template, "may_manage": self.may_manage()},
        )


class OrderTemplateEditView(OrderTemplateMixin, View):
    """POST one change from the template page (admins and approvers); back to the template with what happened."""

    required_roles = services.TEMPLATE_MANAGER_ROLES

    def post(self, request, org, template):
        found = selectors.order_template_get(agency=self.organization, public_id=template)
        if found is None:
            raise Http404("No such order template.")
        form = OrderTemplateEditForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose what to change in the template.")
            return HttpResponseRedirect(self.template_url(found))
        data, agency, actor = form.cleaned_data, self.organization, request.user
        action, target = data["action"], self.template_url(found)
        try:
            if action == "rename":
                services.order_template_update(
                    agency=agency, actor=actor, public_id=template, name=data["name"], description=data["description"]
                )
                messages.success(request, "Template saved.")
            elif action == "add":
                item = selectors.orderable_item_by_sku(agency=agency, sku=data["sku"])
                if item is None:
                    raise ApplicationError(
                        "invalid", f"No item with SKU “{data['sku'].strip()}” in your agency's catalog."
                    )
                services.order_template_line_set(
                    agency=agency, actor=actor, public_id=template, item_id=item.id, quantity=data["quantity"] or "1"
                )
                messages.success(request, f"{item.sku} is in the template.")
            elif action == "update":
                services.order_template_line_set(
                    agency=agency, actor=actor, public_id=template, item_id=data["item"], quantity=data["quantity"]
                )
                messages.success(request, "Quantity saved.")
            elif action == "remove":
                services.order_template_line_remove(
                    agency=agency, actor=actor, public_id=template, item_id=data["item"]
                )
                messages.success(request, "Removed from the template.")
            else:
                services.order_template_delete(agency=agency, actor=actor, public_id=template)
                messages.success(request, f"Template “{found.name}” deleted.")
                target = self.list_url()
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise Http404(exc.message) from exc
            for errors in exc.fields.values():
                for error in errors:
                    messages.error(request, error)
            if not exc.fields:
                messages.error(request, exc.message)
        return HttpResponseRedirect(target)


class OrderTemplateLoadView(OrderTemplateMixin, View):
    """POST: every line of the template into the member's cart, then the cart."""

    def post(self, request, org, template):
        try:
            found, fill = services.order_template_load(agency=self.organization, user=request.user, public_id=template)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        fill_messages(request, fill, f"“{found.name}”")
        return HttpResponseRedirect(self.cart_url())
