"""The terminate confirmation page of a co-op's contract: /coops/<org>/contracts/<contract>/terminate/."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views import View

from contracts.forms import TerminateForm
from contracts.models import ContractStatus
from contracts.services.contracts import contract_transition
from contracts.views.coop import CoopContractMixin
from marketplace.core.errors import ApplicationError
from orders.terminations.selectors import contract_termination_impact


class ContractTerminateView(CoopContractMixin, View):
    """GET says what terminating will do (open carts, orders waiting, cannot be undone) and asks for the reason;
    POST terminates. Only the owning co-op; a contract that is not active goes back to its page."""

    def get(self, request, org, contract):
        contract = self.get_contract(owned=True)
        if contract.status != ContractStatus.ACTIVE:
            messages.info(request, f"Contract {contract.number} is {contract.get_status_display().lower()}.")
            return redirect("coop-contract-detail", org=self.organization.slug, contract=contract.slug)
        return self.render_confirm(contract, form=TerminateForm())

    def post(self, request, org, contract):
        contract = self.get_contract(owned=True)
        form = TerminateForm(request.POST)
        if form.is_valid():
            try:
                contract = contract_transition(
                    contract=contract,
                    to=ContractStatus.TERMINATED,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request, f"Contract {contract.number} is terminated. Member agencies can no longer order on it."
                )
                return redirect("coop-contract-detail", org=self.organization.slug, contract=contract.slug)
        return self.render_confirm(contract, form=form, status=400)

    def render_confirm(self, contract, *, form, status=200):
        context = {
            "contract": contract,
            "form": form,
            "impact": contract_termination_impact(cooperative=self.organization, contract=contract),
        }
        return self.render_page("orders/terminations/confirm.html", context, status=status)
