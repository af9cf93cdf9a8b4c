"""Contract and co-op reads. Co-op reads take the co-op from the URL; public reads exclude drafts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from contracts.models import (
    CompliancePacket,
    Contract,
    ContractDocument,
    DocumentKind,
)
from marketplace.core.dates import organization_today
from marketplace.core.filters import NarrowingFilterSet
from marketplace.core.models import CoopMembership, Organization

_KIND_ORDER = Case(
    *[When(kind=kind, then=Value(position)) for position, kind in enumerate(DocumentKind.values)],
    output_field=IntegerField(),
)


def _document_order(qs: QuerySet[ContractDocument]) -> QuerySet[ContractDocument]:
    return qs.annotate(kind_order=_KIND_ORDER).order_by("kind_order", "uploaded_at", "pk")


# --- co-op staff ---------------------------------------------------------------------------------------


def coop_contract_list(*, cooperative: Organization, filters: NarrowingFilterSet | None = None) -> QuerySet[Contract]:
    """Contracts the co-op owns or that are made available to it; `filters` (a `CoopContractFilter`) narrows them."""
    qs = (
        Contract.objects.for_organization(cooperative)
        .select_related("supplier", "lead_agency", "cooperative")
        .annotate(document_count=Count("documents", filter=Q(documents__removed_at__isnull=True), distinct=True))
        .order_by("number")
    )
    return filters.narrow(qs) if filters is not None else qs


def coop_contract_get(*, cooperative: Organization, key: str, owned: bool = False) -> Contract:
    """One contract by slug (or numeric id) readable by the co-op; `owned`: only its own (for writes). 404 else."""
    qs = Contract.objects.for_organization(cooperative)
    if owned:
        qs = qs.filter(cooperative=cooperative)
    qs = qs.select_related("supplier", "lead_agency", "cooperative").prefetch_related(
        Prefetch("available_to", queryset=Organization.objects.order_by("name"))
    )
    # the slug wins: a contract numbered "2024" is found by its slug, not by whichever row has id 2024
    contract = qs.filter(slug=key).first()
    if contract is None and key.isdigit() and len(key) < 18:
        contract = qs.filter(pk=int(key)).first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def contract_document_list(*, contract: Contract, include_withdrawn: bool = True) -> QuerySet[ContractDocument]:
    qs = ContractDocument.objects.filter(contract=contract).select_related("uploaded_by")
    if not include_withdrawn:
        qs = qs.filter(removed_at__isnull=True)
    return _document_order(qs)


def contract_document_get(*, contract: Contract, document_id: int) -> ContractDocument:
    document = ContractDocument.objects.filter(contract=contract, pk=document_id).first()
    if document is None:
        raise Http404("No such document.")
    return document


def agency_list() -> QuerySet[Organization]:
    return Organization.objects.filter(kind="agency", is_active=True).order_by("name")


def cooperative_list() -> QuerySet[Organization]:
    return Organization.objects.filter(kind="cooperative", is_active=True).order_by("name")


# --- public --------------------------------------------------------------------------------------------


def public_contract_list(*, filters: NarrowingFilterSet | None = None) -> QuerySet[Contract]:
    """Published contracts, active first; `filters` (a `PublicContractFilter`) narrows them."""
    qs = (
        Contract.objects.public()
        .select_related("supplier", "lead_agency", "cooperative")
        .order_by(Case(When(status="active", then=Value(0)), default=Value(1)), "number")  # active first
    )
    return filters.narrow(qs) if filters is not None else qs


def public_contract_get(*, slug: str) -> Contract:
    contract = (
        Contract.objects.public()
        .filter(slug=slug)
        .select_related("supplier", "lead_agency", "cooperative")
        .prefetch_related(Prefetch("available_to", queryset=Organization.objects.order_by("name")))
        .first()
    )
    if contract is None:
        raise Http404("No such contract.")
    return contract


def public_document_list(*, contract: Contract) -> QuerySet[ContractDocument]:
    """Documents anyone may read: public, not withdrawn, of a non-draft contract."""
    qs = ContractDocument.objects.filter(contract=contract, is_public=True, removed_at__isnull=True).exclude(
        contract__status="draft"
    )
    return _document_order(qs)


def public_document_get(*, slug: str, document_id: int) -> ContractDocument:
    document = (
        ContractDocument.objects.filter(pk=document_id, contract__slug=slug, is_public=True, removed_at__isnull=True)
        .exclude(contract__status="draft")
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document


def public_packet_get(*, contract: Contract, packet_id: int) -> CompliancePacket:
    packet = CompliancePacket.objects.filter(contract=contract, pk=packet_id).first()
    if packet is None:
        raise Http404("No such packet.")
    return packet


@dataclass
class PublishOutlook:
    """What publishing a draft will do, for the confirmation page."""

    coops: list[Organization]
    member_count: int  # agencies with an active membership in those co-ops
    public_document_count: int
    today: dt.date
    first_day: dt.date  # the term start, or today when the term has already started

    @property
    def starts_later(self) -> bool:
        return self.first_day > self.today


def contract_publish_outlook(*, contract: Contract) -> PublishOutlook:
    """Who will be able to buy on `contract` once published, and from when (the owning co-op's calendar)."""
    coops = sorted(contract.available_to.all(), key=lambda c: c.name)
    members = (
        CoopMembership.objects.active()
        .filter(cooperative__in=[c.pk for c in coops])
        .values("agency_id")
        .distinct()
        .count()
    )
    documents = ContractDocument.objects.filter(contract=contract, is_public=True, removed_at__isnull=True).count()
    today = organization_today(contract.cooperative)
    return PublishOutlook(
        coops=coops,
        member_count=members,
        public_document_count=documents,
        today=today,
        first_day=max(contract.term_start, today),
    )
