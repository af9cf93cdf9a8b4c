"""Cart pages of an agency member: the cart, adding an item (from search results and the item page, by htmx
without a reload or by a plain form post that redirects back), and changing a line."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.carts import selectors, services
from orders.carts.forms import CartAddForm, CartLineForm


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
        return self.render_page(
            self.template_name, {"summary": selectors.cart_summary(agency=self.organization, user=request.user)}
        )


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
                messages.success(request, f"{line.item.sku}: now at ${line.unit_price_snapshot:,}.")
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise Http404(exc.message)
            messages.error(request, exc.message)
        return HttpResponseRedirect(self.cart_url())
