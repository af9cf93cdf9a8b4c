"""Co-op staff review price increases on their contracts: list (the pending queue oldest first, history newest first,
with filters; contract and list prices old → new, the resulting discount off list and the supplier's reason),
approve, reject."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from contracts.catalog import selectors
from contracts.catalog.filters import PriceChangeFilter
from contracts.catalog.forms import RejectForm
from contracts.catalog.services.pricing import (
    discount_off_list,
    percent_change,
    price_change_approve,
    price_change_reject,
)
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date, money
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind
from marketplace.core.tenancy import OrganizationViewMixin

PER_PAGE = 50


class CoopPricingMixin(OrganizationViewMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES


class PriceChangeListView(CoopPricingMixin, View):
    def get(self, request, org):
        return self.render_list()

    def render_list(self, *, reject_form=None, reject_id=None, status=200):
        filters = PriceChangeFilter(self.request.GET, organization=self.organization)
        changes = selectors.price_change_list(cooperative=self.organization, filters=filters)
        page = Paginator(changes, PER_PAGE).get_page(self.request.GET.get("page"))
        rows = [
            {
                "change": change,
                "pct": percent_change(change.old_price, change.new_price),
                "discount": discount_off_list(change.new_list_price, change.new_price),
                "old_discount": discount_off_list(change.old_list_price, change.old_price),
            }
            for change in page.object_list
        ]
        context = {
            "filters_form": filters.form,
            "page_obj": page,
            "rows": rows,
            "reject_form": reject_form,
            "reject_id": reject_id,
            "showing_pending": filters.oldest_first,
        }
        if filters.errors:
            status = 400
        return self.render_page("contracts/price_changes/list.html", context, status=status)


class _Decision(CoopPricingMixin, View):
    def get(self, request, org, change_id):
        return redirect("coop-price-changes", org=org)

    def back(self):
        url = reverse("coop-price-changes", kwargs={"org": self.organization.slug})
        query = self.request.POST.get("next_query", "")
        return redirect(f"{url}?{query}" if query and "//" not in query else url)


class PriceChangeApproveView(_Decision):
    def post(self, request, org, change_id):
        change = selectors.price_change_get(cooperative=self.organization, change_id=change_id)
        try:
            change = price_change_approve(change_id=change.pk, cooperative=self.organization, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Approved: {change.item.sku} is now {money(change.new_price)}, "
                f"effective {long_date(change.effective_date)}.",
            )
        return self.back()


class PriceChangeRejectView(_Decision):
    def post(self, request, org, change_id):
        change = selectors.price_change_get(cooperative=self.organization, change_id=change_id)
        form = RejectForm(request.POST, prefix=f"reject-{change.pk}")
        if not form.is_valid():
            return PriceChangeListView.render_list(self, reject_form=form, reject_id=change.pk, status=400)
        try:
            reason = form.cleaned_data["reason"]
            change = price_change_reject(
                change_id=change.pk, cooperative=self.organization, actor=request.user, reason=reason
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Rejected the increase for {change.item.sku}; the supplier has been told why.")
        return self.back()
