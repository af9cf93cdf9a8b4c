"""Approver pages: the queue (approve / reject with a reason) and the e-mail link's confirm page (a GET never
decides; the POST from it does)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views import View

from marketplace.core.errors import ApplicationError
from marketplace.core.roles import OrgKind, Role
from marketplace.core.tenancy import OrganizationViewMixin
from orders.approvals import selectors
from orders.approvals.forms import LinkDecisionForm, RejectForm
from orders.approvals.services.decisions import requisition_approve, requisition_reject
from orders.approvals.services.links import approval_link_decide, approval_link_resolve

# Who may open the queue; each decision is checked again by the service (an open request or the role asked for).
APPROVAL_PAGE_ROLES = frozenset({Role.APPROVER, Role.AGENCY_ADMIN, Role.FINANCE})


def requisition_summary(requisition, user, related: list | None = None) -> dict:
    """What an approver needs to see about one requisition (from prefetched rows: no queries)."""
    pos = list(requisition.purchase_orders.all())
    savings = requisition.list_total - requisition.total
    approvals = list(requisition.approvals.all())
    fund_codes = sorted({line.fund_code.code for po in pos for line in po.lines.all()})
    return {
        "requisition": requisition,
        "pos": pos,
        "savings": savings,
        "savings_percent": (savings * Decimal(100) / requisition.list_total) if requisition.list_total else None,
        "fund_codes": fund_codes,
        "approvals": approvals,
        "approved_count": sum(1 for a in approvals if a.decision == "approved"),
        "is_own": requisition.requester_id == user.pk,
        "split_related": related or [],
        "split_sum": (requisition.split_flag or {}).get("sum") or (requisition.split_flag or {}).get("total"),
        "split_window": (requisition.split_flag or {}).get("window_days"),
    }


class ApprovalQueueView(OrganizationViewMixin, View):
    organization_kind = OrgKind.AGENCY
    required_roles = APPROVAL_PAGE_ROLES

    def _render(self, *, errors: dict | None = None, forms: dict | None = None, status: int = 200):
        requisitions = list(
            selectors.approval_queue(agency=self.organization, user=self.request.user, roles=self.access.roles)
        )
        related = selectors.split_related(agency=self.organization, requisitions=requisitions)
        items = []
        for r in requisitions:
            item = requisition_summary(r, self.request.user, related.get(str(r.public_id)))
            item["error"] = (errors or {}).get(str(r.public_id))
            item["reject_form"] = (forms or {}).get(str(r.public_id)) or RejectForm(auto_id=f"id_%s_{r.public_id}")
            items.append(item)
        return self.render_page(
            "orders/approvals/queue.html",
            {"items": items, "is_admin": Role.AGENCY_ADMIN in self.access.roles},
            status=status,
        )

    def get(self, request, org):
        return self._render()


class ApprovalDecisionView(ApprovalQueueView):
    """POST …/approvals/<requisition>/approve/ or …/reject/ (a reason is required)."""

    decision = "approve"
    http_method_names = ["post"]

    def post(self, request, org, requisition):
        found = selectors.requisition_for_decision(agency=self.organization, public_id=requisition)
        key = str(found.public_id)
        form = RejectForm(request.POST, auto_id=f"id_%s_{key}")
        try:
            if self.decision == "approve":
                result = requisition_approve(requisition=found, actor=request.user)
            else:
                if not form.is_valid():
                    return self._render(errors={key: "Say why you reject it."}, forms={key: form}, status=400)
                result = requisition_reject(requisition=found, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            return self._render(errors={key: exc.message}, forms={key: form}, status=exc.status_code)
        who = result.requester.get_full_name()
        if result.status == "approved":
            messages.success(request, f"Approved: {who}'s requisition is approved and its purchase orders were sent.")
        elif result.status == "rejected":
            messages.success(request, f"Rejected: {who} has been told why.")
        else:
            messages.success(request, f"Your approval of {who}'s requisition is recorded; more approvals are needed.")
        return redirect("agency-approvals", org=self.organization.slug)


class ApprovalLinkView(OrganizationViewMixin, View):
    """The e-mail link: sign-in required, only the approver it was sent to (anyone else: 404)."""

    organization_kind = OrgKind.AGENCY

    def _problem(self, exc: ApplicationError):
        if exc.status_code == 404:
            raise Http404(exc.message)
        return self.render_page(
            "orders/approvals/link_problem.html", {"code": exc.code, "message": exc.message}, status=exc.status_code
        )

    def _confirm(self, approval_request, form, status=200):
        requisition = selectors.requisition_for_decision(
            agency=self.organization, public_id=approval_request.requisition.public_id
        )
        related = selectors.split_related(agency=self.organization, requisitions=[requisition])
        item = requisition_summary(requisition, self.request.user, related.get(str(requisition.public_id)))
        return self.render_page(
            "orders/approvals/link_confirm.html",
            {"item": item, "form": form, "approval_request": approval_request},
            status=status,
        )

    def get(self, request, org, signed):
        try:
            approval_request = approval_link_resolve(signed=signed, user=request.user, agency=self.organization)
        except ApplicationError as exc:
            return self._problem(exc)
        return self._confirm(approval_request, LinkDecisionForm())

    def post(self, request, org, signed):
        try:
            approval_request = approval_link_resolve(signed=signed, user=request.user, agency=self.organization)
        except ApplicationError as exc:
            return self._problem(exc)
        form = LinkDecisionForm(request.POST)
        if not form.is_valid():
            return self._confirm(approval_request, form, status=400)
        try:
            result = approval_link_decide(
                signed=signed,
                user=request.user,
                agency=self.organization,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            if exc.code == "invalid":
                form.add_error("reason", exc.message)
                return self._confirm(approval_request, form, status=400)
            return self._problem(exc)
        verb = "approved" if form.cleaned_data["decision"] == "approve" else "rejected"
        messages.success(request, f"You {verb} {result.requester.get_full_name()}'s requisition.")
        return redirect("agency-approvals", org=self.organization.slug)
