"""Checkout pages of an agency member: the checkout form (ship-to, fund codes, date, emergency, fulfilment per
contract; double-submit safe through a one-time token that keys the idempotency record) and the page that
shows what the checkout created."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View

from agencies.agreements.selectors import agreement_warnings
from agencies.setup.selectors import (
    active_facility_list,
    active_fund_code_list,
    member_defaults_get,
    valid_tax_certificate,
)
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind
from marketplace.core.tenancy import OrganizationViewMixin
from orders.carts.selectors import cart_summary
from orders.purchase_orders.models import Fulfilment
from orders.requisitions import selectors
from orders.requisitions.api.views import checkout_and_describe
from orders.requisitions.services.idempotency import idempotent_run

FIELD_LABELS = {
    "facility": ("Ship to", "id_facility"),
    "requested_date": ("Requested delivery date", "id_requested_date"),
    "emergency_reason": ("Emergency", "id_emergency_reason"),
    "fund_code": ("Fund code", "id_fund_code"),
    "notes": ("Notes", "id_notes"),
    "cart": ("Cart", "main-content"),
    "agreement": ("Membership agreement", "agreement-required"),
}
LINE_LABELS = {
    "quantity": "quantity",
    "price": "price",
    "item": "item",
    "contract": "contract",
    "fund_code": "fund code",
}


def _form_to_body(post) -> dict:
    """The HTML form's fields as the API's checkout body (one input definition for both)."""
    body: dict = {
        "facility": post.get("facility") or None,
        "requested_date": post.get("requested_date") or None,
        "notes": post.get("notes", ""),
        "is_emergency": post.get("is_emergency") == "on",
        "emergency_reason": post.get("emergency_reason", ""),
        "fund_code": post.get("fund_code") or None,
        "lines": [],
        "fulfilment": [],
    }
    for name, value in post.items():
        if name.startswith("line-") and name.endswith("-fund_code") and value:
            body["lines"].append({"id": name[len("line-") : -len("-fund_code")], "fund_code": value})
        elif name.startswith("fulfilment-") and value:
            body["fulfilment"].append({"contract": name[len("fulfilment-") :], "method": value})
    return body


class CheckoutView(OrganizationViewMixin, View):
    organization_kind = OrgKind.AGENCY
    template_name = "orders/checkout.html"

    def get(self, request, org):
        return self.render_form(values={}, errors={})

    def post(self, request, org):
        values = request.POST
        if values.get("refresh"):  # the ship-to facility changed: show its local stores, order nothing
            return self.render_form(values=values, errors={})
        token = values.get("checkout_token", "")
        body = _form_to_body(values)
        agency, user = self.organization, request.user
        try:
            stored = idempotent_run(
                agency=agency,
                user=user,
                key=f"form:{token}",
                body=body,
                run=lambda: checkout_and_describe(agency=agency, user=user, data=body),
            )
        except ApplicationError as exc:
            if exc.code == "idempotency_key_reused":  # back button, changed the form, submitted the same one
                placed = selectors.requisition_for_key(agency=agency, user=user, key=f"form:{token}")
                messages.info(request, "This checkout form was already submitted; this is the order it placed.")
                if placed is not None:
                    return HttpResponseRedirect(reverse("agency-checkout-done", args=[agency.slug, placed.public_id]))
                return HttpResponseRedirect(reverse("agency-cart", args=[agency.slug]))
            message, status = exc.message, 400
            if exc.code == "agreement_required":  # the list below says which co-op and where to sign
                message, status = "Nothing was ordered: a membership agreement must be accepted first.", exc.status_code
            return self.render_form(values=values, errors=exc.fields, message=message, status=status)
        if stored.replayed:
            messages.info(request, "You already placed this order; here it is (it was not placed twice).")
        return HttpResponseRedirect(reverse("agency-checkout-done", args=[agency.slug, stored.body["public_id"]]))

    def render_form(self, *, values, errors: dict, message: str = "", status: int = 200):
        agency, user = self.organization, self.request.user
        summary = cart_summary(agency=agency, user=user)
        defaults = member_defaults_get(agency=agency, user=user)
        facilities = list(active_facility_list(agency=agency))
        fund_codes = list(active_fund_code_list(agency=agency))
        facility_id = _int(values.get("facility")) or (defaults.facility_id if defaults else None)
        facility = next((f for f in facilities if f.id == facility_id), None)
        if facility is None and not values and facilities:
            facility = facilities[0]
        default_fund = _int(values.get("fund_code")) or (defaults.fund_code_id if defaults else None)
        today = organization_today(agency)
        stores = selectors.local_stores(
            facility=facility, supplier_ids={g.contract.supplier_id for g in summary.groups}
        )
        certificate = valid_tax_certificate(agency=agency, state=facility.state, on_date=today) if facility else None
        line_errors: dict[int, list[str]] = {}
        summary_errors: list[tuple[str, str]] = []
        skus = {row.line.id: row.item.sku for row in summary.rows}
        contracts = {g.contract.id: g.contract.number for g in summary.groups}
        for key, msgs in errors.items():
            parts = key.split(".")
            if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit():
                line_id = int(parts[1])
                line_errors.setdefault(line_id, []).extend(msgs)
                what = LINE_LABELS.get(parts[-1], parts[-1])
                label = f"{skus.get(line_id, 'Line')} {what}"
                summary_errors += [(label, f"line-{line_id}", m) for m in msgs]
            elif parts[0] == "fulfilment" and len(parts) >= 2:
                label = f"Fulfilment, contract {contracts.get(_int(parts[1]), parts[1])}"
                summary_errors += [(label, f"fulfilment-{parts[1]}", m) for m in msgs]
            else:
                label, anchor = FIELD_LABELS.get(parts[0], (parts[0].replace("_", " ").capitalize(), "main-content"))
                summary_errors += [(label, anchor, m) for m in msgs]
        groups = []
        for group in summary.groups:
            store = stores.get(group.contract.supplier_id)
            chosen = values.get(f"fulfilment-{group.contract.id}") or Fulfilment.DELIVERY
            rows = []
            for row in group.rows:
                fund = _int(values.get(f"line-{row.line.id}-fund_code")) or default_fund
                rows.append({"row": row, "fund_code_id": fund, "errors": line_errors.get(row.line.id, [])})
            groups.append(
                {
                    "group": group,
                    "store": store,
                    "fulfilment": chosen if (store or chosen == Fulfilment.DELIVERY) else Fulfilment.DELIVERY,
                    "errors": errors.get(f"fulfilment.{group.contract.id}", []),
                    "rows": rows,
                }
            )
        context = {
            "summary": summary,
            "groups": groups,
            "facilities": facilities,
            "facility": facility,
            "fund_codes": fund_codes,
            "default_fund_id": default_fund,
            "certificate": certificate,
            "today": today,
            "values": values,
            "errors": errors,
            "summary_errors": summary_errors,
            "message": message,
            "checkout_token": values.get("checkout_token") or uuid.uuid4().hex,
            "Fulfilment": Fulfilment,
            "agreement_notices": agreement_warnings(agency=agency),
        }
        template = self.template_name
        htmx = getattr(self.request, "htmx", None)
        if htmx and values.get("refresh"):
            template = "orders/checkout.html#fulfilment"
        return self.render_page(template, context, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CheckoutDoneView(OrganizationViewMixin, View):
    """What a checkout created: the requisition, its routing and its purchase orders (the requester's own)."""

    organization_kind = OrgKind.AGENCY

    def get(self, request, org, public_id):
        requisition = selectors.requisition_detail(agency=self.organization, user=request.user, public_id=public_id)
        if requisition is None:
            raise Http404("No such order.")
        savings = requisition.list_total - requisition.total
        return self.render_page("orders/checkout_done.html", {"requisition": requisition, "savings": savings})
