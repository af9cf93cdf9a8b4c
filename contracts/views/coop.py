"""Co-op staff pages: home, contracts (list, create, detail, edit, lifecycle) and compliance documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View

from contracts import selectors
from contracts.filters import CoopContractFilter
from contracts.forms import ContractForm, DocumentUploadForm, PublishForm
from contracts.models import ContractState, ContractStatus
from contracts.services.contracts import (
    contract_create,
    contract_publish_problems,
    contract_transition,
    contract_update,
)
from contracts.services.documents import contract_document_upload, contract_document_withdraw
from contracts.views.common import contract_summary_context, pdf_response
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import long_date
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind
from marketplace.core.tenancy import OrganizationViewMixin


class CoopContractMixin(OrganizationViewMixin):
    """Contract pages of a co-op. Reads see contracts owned by or available to the co-op; writes only its own."""

    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES

    def get_contract(self, *, owned: bool = False):
        return selectors.coop_contract_get(cooperative=self.organization, key=self.kwargs["contract"], owned=owned)


class ContractListView(CoopContractMixin, View):
    def get(self, request, org):
        filters = CoopContractFilter(request.GET, organization=self.organization)
        page = Paginator(selectors.coop_contract_list(cooperative=self.organization, filters=filters), 50).get_page(
            request.GET.get("page")
        )
        return self.render_page(
            "contracts/contract_list.html",
            {"page_obj": page, "contracts": page.object_list, "form": filters.form, "filtered": filters.active},
            status=400 if filters.errors else 200,
        )


class ContractCreateView(CoopContractMixin, View):
    def get(self, request, org):
        return self.render_page("contracts/contract_form.html", {"form": ContractForm(cooperative=self.organization)})

    def post(self, request, org):
        form = ContractForm(request.POST, cooperative=self.organization)
        if form.is_valid():
            try:
                contract = contract_create(cooperative=self.organization, actor=request.user, data=form.to_data())
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request, f"Draft contract {contract.number} created. Add its documents, then publish it."
                )
                return redirect("coop-contract-detail", org=self.organization.slug, contract=contract.slug)
        return self.render_page("contracts/contract_form.html", {"form": form}, status=400)


class ContractEditView(CoopContractMixin, View):
    def _closed(self, contract):
        if contract.is_open:
            return None
        messages.error(
            self.request, f"This contract is {contract.get_status_display().lower()} and can no longer be edited."
        )
        return redirect("coop-contract-detail", org=self.organization.slug, contract=contract.slug)

    def get(self, request, org, contract):
        contract = self.get_contract(owned=True)
        if response := self._closed(contract):
            return response
        form = ContractForm(cooperative=self.organization, contract=contract)
        return self.render_page("contracts/contract_form.html", {"form": form, "contract": contract})

    def post(self, request, org, contract):
        contract = self.get_contract(owned=True)
        if response := self._closed(contract):
            return response
        form = ContractForm(request.POST, cooperative=self.organization, contract=contract)
        if form.is_valid():
            try:
                contract = contract_update(contract=contract, actor=request.user, data=form.to_data())
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Contract {contract.number} saved.")
                return redirect("coop-contract-detail", org=self.organization.slug, contract=contract.slug)
        return self.render_page("contracts/contract_form.html", {"form": form, "contract": contract}, status=400)


class ContractDetailView(CoopContractMixin, View):
    def get(self, request, org, contract):
        return self.render_detail(self.get_contract())

    def render_detail(self, contract, *, upload_form=None, status=200):
        owned = contract.cooperative_id == self.organization.pk
        context = {
            "contract": contract,
            "owned": owned,
            "documents": list(selectors.contract_document_list(contract=contract, include_withdrawn=owned)),
            "upload_form": upload_form or DocumentUploadForm(),
            "publish_problems": contract_publish_problems(contract) if owned and contract.status == "draft" else [],
            **contract_summary_context(contract),
            "editable": owned and contract.is_open,
            "today": timezone.localdate(),  # the co-op's calendar day (the page renders in its time zone)
        }
        return self.render_page("contracts/contract_detail.html", context, status=status)


class ContractPublishView(CoopContractMixin, View):
    """Publishing asks first: the page says who will be able to buy on the contract and from when, or what the
    draft still lacks. The POST is the confirmation (the API's transition call is its own confirmation)."""

    def get(self, request, org, contract):
        contract = self.get_contract(owned=True)
        if contract.status != ContractStatus.DRAFT:
            messages.info(request, f"Contract {contract.number} is already published ({contract.display_status}).")
            return redirect("coop-contract-detail", org=self.organization.slug, contract=contract.slug)
        return self.render_confirm(contract, form=PublishForm())

    def post(self, request, org, contract):
        contract = self.get_contract(owned=True)
        form = PublishForm(request.POST)
        try:
            contract = contract_transition(contract=contract, to=ContractStatus.ACTIVE, actor=request.user)
        except ApplicationError as exc:
            form.add_service_error(exc)
            return self.render_confirm(contract, form=form, status=400)
        if contract.state == ContractState.UPCOMING:
            text = (
                f"Contract {contract.number} is published. Member agencies can order on it from "
                f"{long_date(contract.term_start)}, when its term starts."
            )
        else:
            text = f"Contract {contract.number} is published. Member agencies can order on it now."
        messages.success(request, text)
        return redirect("coop-contract-detail", org=self.organization.slug, contract=contract.slug)

    def render_confirm(self, contract, *, form, status=200):
        problems = contract_publish_problems(contract) if contract.status == ContractStatus.DRAFT else []
        context = {
            "contract": contract,
            "form": form,
            "problems": problems,
            "outlook": selectors.contract_publish_outlook(contract=contract),
            **contract_summary_context(contract),
        }
        return self.render_page("contracts/confirm_publish.html", context, status=status)


class DocumentUploadView(ContractDetailView):
    def get(self, request, org, contract):
        return redirect("coop-contract-detail", org=org, contract=contract)

    def post(self, request, org, contract):
        contract = self.get_contract(owned=True)
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = contract_document_upload(
                    contract=contract,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    is_public=form.cleaned_data["is_public"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"“{document.title}” uploaded ({document.page_count} pages).")
                url = reverse("coop-contract-detail", kwargs={"org": self.organization.slug, "contract": contract.slug})
                return redirect(url + "#documents")
        return self.render_detail(contract, upload_form=form, status=400)


class DocumentWithdrawView(CoopContractMixin, View):
    def post(self, request, org, contract, document_id):
        contract = self.get_contract(owned=True)
        document = selectors.contract_document_get(contract=contract, document_id=document_id)
        try:
            contract_document_withdraw(document=document, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"“{document.title}” withdrawn. It is kept in the record but no longer public.")
        url = reverse("coop-contract-detail", kwargs={"org": self.organization.slug, "contract": contract.slug})
        return redirect(url + "#documents")


class DocumentDownloadView(CoopContractMixin, View):
    """Staff download of any document of a contract they can read (drafts and withdrawn ones included)."""

    def get(self, request, org, contract, document_id):
        contract = self.get_contract()
        document = selectors.contract_document_get(contract=contract, document_id=document_id)
        if contract.cooperative_id != self.organization.pk and (document.removed_at or not document.is_public):
            raise Http404("No such document.")
        return pdf_response(document.file, document.original_name)
