"""Public pages: the front page (`/`), and the contract pages, where anyone (no login) may read a published contract's
summary and public documents, and download its compliance packet. Drafts do not exist here."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from contracts import selectors
from contracts.filters import PublicContractFilter
from contracts.front_page import front_page
from contracts.models import PacketStatus
from contracts.services.packets import compliance_packet_request
from contracts.views.common import contract_summary_context, pdf_response
from marketplace.core.errors import ApplicationError
from marketplace.core.selectors import organizations_for_user


class HomeView(View):
    """`/`: the front page for visitors (live figures, the featured contract, how to join); a signed-in user goes
    to their organization's home, a platform operator to the operator home, a member of several to a chooser."""

    def get(self, request):
        if not request.user.is_authenticated:
            return render(request, "contracts/front_page.html", {"front": front_page()})
        orgs = organizations_for_user(user=request.user)
        if request.user.is_staff and not orgs:
            return redirect("operator-home")  # a platform operator belongs to no organization
        if len(orgs) == 1:
            return redirect(orgs[0]["url"])
        return render(request, "core/choose_organization.html", {"orgs": orgs})


class PublicContractListView(View):
    def get(self, request):
        filters = PublicContractFilter(request.GET)
        page = Paginator(selectors.public_contract_list(filters=filters), 25).get_page(request.GET.get("page"))
        return render(
            request,
            "contracts/public_list.html",
            {"page_obj": page, "contracts": page.object_list, "form": filters.form, "filtered": filters.active},
            status=400 if filters.errors else 200,
        )


def _detail_context(contract, packet=None) -> dict:
    return {
        "contract": contract,
        "documents": list(selectors.public_document_list(contract=contract)),
        **contract_summary_context(contract),
        "other_coops": [c for c in contract.available_to.all() if c.pk != contract.cooperative_id],
        "packet": packet,
        "PacketStatus": PacketStatus,
    }


class PublicContractDetailView(View):
    def get(self, request, contract):
        contract = selectors.public_contract_get(slug=contract)
        packet = None
        packet_id = request.GET.get("packet", "")
        if packet_id.isdigit() and len(packet_id) < 18:
            try:
                packet = selectors.public_packet_get(contract=contract, packet_id=int(packet_id))
            except Http404:
                packet = None
        return render(request, "contracts/public_detail.html", _detail_context(contract, packet))


class PacketRequestView(View):
    """POST: create or reuse the packet for the current documents (and retry a failed one)."""

    def post(self, request, contract):
        contract = selectors.public_contract_get(slug=contract)
        try:
            packet = compliance_packet_request(contract=contract)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        if request.htmx:
            return render(request, "contracts/public_detail.html#packet", {"contract": contract, "packet": packet})
        url = reverse("public-contract-detail", kwargs={"contract": contract.slug})
        return redirect(f"{url}?packet={packet.pk}#packet")


class PacketStatusView(View):
    """The packet part of the public page (htmx polls it while the packet builds)."""

    http_method_names = ["get"]

    def get(self, request, contract, packet_id):
        contract = selectors.public_contract_get(slug=contract)
        packet = selectors.public_packet_get(contract=contract, packet_id=packet_id)
        return render(request, "contracts/public_detail.html#packet", {"contract": contract, "packet": packet})


class PacketDownloadView(View):
    http_method_names = ["get"]

    def get(self, request, contract, packet_id):
        contract = selectors.public_contract_get(slug=contract)
        packet = selectors.public_packet_get(contract=contract, packet_id=packet_id)
        if packet.status != PacketStatus.READY or not packet.file:
            raise Http404("The packet is not ready.")
        return pdf_response(packet.file, f"{contract.slug}-compliance-packet.pdf")


class PublicDocumentDownloadView(View):
    http_method_names = ["get"]

    def get(self, request, contract, document_id):
        document = selectors.public_document_get(slug=contract, document_id=document_id)
        return pdf_response(document.file, document.original_name)
