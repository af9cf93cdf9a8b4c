"""Reads of the membership agreement, always scoped by the tenant from the URL: a co-op's versions (with how many
members accepted each), an agency's standing with each co-op it belongs to, and the checkout rule.

The rule (`agreement_status`): a co-op with no published agreement blocks nothing. Otherwise its current version
is the latest published one, and an agency that
- accepted it: may order;
- accepted no version at all: may not order on the co-op's contracts (the first order waits for the signature);
- accepted an earlier version, the current one asking no re-acceptance: may order;
- accepted an earlier version, the current one to be re-accepted by a date: may order until that date (the
  co-op's own calendar day), with a warning; from the day after, may not.
Every function here answers in a fixed number of queries, whatever the number of co-ops or contracts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse

from agencies.agreements.models import AgreementAcceptance, AgreementVersion
from contracts.models import Contract
from marketplace.core.dates import organization_today
from marketplace.core.formatting import long_date
from marketplace.core.models import CoopMembership, CoopMembershipStatus, Organization

# Memberships whose agency is asked to sign (an approved member signs before its first order).
SIGNING_STATUSES = (CoopMembershipStatus.APPROVED, CoopMembershipStatus.ACTIVE)


# --- the co-op's side ------------------------------------------------------------------------------------


def agreement_version_list(*, cooperative: Organization) -> QuerySet[AgreementVersion]:
    """The co-op's versions, newest first, each with `accepted_count` (agencies that accepted it)."""
    return (
        AgreementVersion.objects.for_organization(cooperative)
        .select_related("published_by")
        .annotate(accepted_count=Count("acceptances"))
        .order_by("-published_at", "-id")
    )


def agreement_version_get(*, cooperative: Organization, version_id: int) -> AgreementVersion:
    version = agreement_version_list(cooperative=cooperative).filter(pk=version_id).first()
    if version is None:
        raise Http404("No such agreement version.")
    return version


def current_agreement(*, cooperative: Organization | int) -> AgreementVersion | None:
    """The co-op's current agreement: its latest published version (None: it publishes none)."""
    return AgreementVersion.objects.filter(cooperative=cooperative).order_by("-published_at", "-id").first()


def signing_member_count(*, cooperative: Organization) -> int:
    """How many agencies are asked to sign the co-op's agreement (approved and active members)."""
    return CoopMembership.objects.filter(cooperative=cooperative, status__in=SIGNING_STATUSES).count()


def version_acceptance_list(*, version: AgreementVersion) -> QuerySet[AgreementAcceptance]:
    return (
        AgreementAcceptance.objects.filter(version=version, cooperative_id=version.cooperative_id)
        .select_related("agency", "signed_by")
        .order_by("agency__name")
    )


def coop_acceptance_get(*, cooperative: Organization, public_id) -> AgreementAcceptance:
    found = (
        AgreementAcceptance.objects.filter(cooperative=cooperative, public_id=public_id)
        .select_related("version", "agency", "cooperative")
        .first()
    )
    if found is None:
        raise Http404("No such acceptance.")
    return found


# --- the agency's side -----------------------------------------------------------------------------------


@dataclass
class AgreementStatus:
    """An agency's standing with one co-op's agreement (see the module docstring)."""

    agency: Organization
    cooperative: Organization
    current: AgreementVersion | None
    accepted: AgreementAcceptance | None  # its acceptance of the current version
    latest: AgreementAcceptance | None  # its latest acceptance of any version
    today: dt.date  # in the co-op's time zone

    @property
    def state(self) -> str:
        if self.current is None:
            return "none"
        if self.accepted is not None:
            return "signed"
        if self.latest is None:
            return "unsigned"
        if self.current.reaccept_by is None:
            return "earlier"
        return "due" if self.today <= self.current.reaccept_by else "overdue"

    @property
    def blocks(self) -> bool:
        return self.state in ("unsigned", "overdue")

    @property
    def sign_url(self) -> str:
        return reverse("agency-agreement", args=[self.agency.slug])

    @property
    def headline(self) -> str | None:
        """What is wrong (or soon will be), without where to sign: the pages put a link beside it."""
        coop, state = self.cooperative.name, self.state
        if state == "unsigned":
            return f"Your agency must accept {coop}'s membership agreement before its first order."
        if state == "overdue":
            return (
                f"{coop}'s new membership agreement (version {self.current.label}) had to be accepted by "
                f"{long_date(self.current.reaccept_by)}. Ordering on {coop}'s contracts is stopped until it is."
            )
        if state == "due":
            return (
                f"Accept {coop}'s new membership agreement (version {self.current.label}) by "
                f"{long_date(self.current.reaccept_by)} or ordering will stop."
            )
        return None

    @property
    def message(self) -> str | None:
        """The headline and where an agency admin signs (the checkout error and the API say this)."""
        headline = self.headline
        return f"{headline} An agency admin can sign it at {self.sign_url}." if headline else None


def agreement_status_map(*, agency: Organization, cooperatives: list[Organization]) -> dict[int, AgreementStatus]:
    """{co-op id: the agency's AgreementStatus} in two queries."""
    ids = [c.pk for c in cooperatives]
    if not ids:
        return {}
    currents = {
        v.cooperative_id: v
        for v in AgreementVersion.objects.filter(cooperative_id__in=ids)
        .order_by("cooperative_id", "-published_at", "-id")
        .distinct("cooperative_id")
    }
    accepted: dict[int, AgreementAcceptance] = {}
    latest: dict[int, AgreementAcceptance] = {}
    rows = (
        AgreementAcceptance.objects.for_organization(agency)
        .filter(cooperative_id__in=ids)
        .select_related("version", "signed_by", "cooperative", "agency")
        .order_by("-signed_at", "-id")
    )
    for row in rows:
        latest.setdefault(row.cooperative_id, row)
        current = currents.get(row.cooperative_id)
        if current is not None and row.version_id == current.pk:
            accepted[row.cooperative_id] = row
    return {
        c.pk: AgreementStatus(
            agency=agency,
            cooperative=c,
            current=currents.get(c.pk),
            accepted=accepted.get(c.pk),
            latest=latest.get(c.pk),
            today=organization_today(c),
        )
        for c in cooperatives
    }


def agreement_status(*, agency: Organization, cooperative: Organization) -> AgreementStatus:
    return agreement_status_map(agency=agency, cooperatives=[cooperative])[cooperative.pk]


def agreement_checkout_block(*, agency: Organization, cooperative: Organization) -> str | None:
    """Why `agency` may not order on `cooperative`'s contracts now (None: it may)."""
    status = agreement_status(agency=agency, cooperative=cooperative)
    return status.message if status.blocks else None


def signing_cooperatives(*, agency: Organization) -> list[Organization]:
    """The co-ops whose agreement the agency signs: those it is an approved or active member of."""
    memberships = (
        CoopMembership.objects.filter(agency=agency, status__in=SIGNING_STATUSES)
        .select_related("cooperative")
        .order_by("cooperative__name")
    )
    return [m.cooperative for m in memberships]


def agency_agreement_overview(*, agency: Organization) -> list[AgreementStatus]:
    """The agency's standing with each co-op it belongs to (the agreement page and the API), by co-op name."""
    cooperatives = signing_cooperatives(agency=agency)
    statuses = agreement_status_map(agency=agency, cooperatives=cooperatives)
    return [statuses[c.pk] for c in cooperatives]


def agreement_warnings(*, agency: Organization) -> list[AgreementStatus]:
    """Co-ops whose agreement stops (or will soon stop) the agency's ordering: banners on the agency's pages."""
    return [s for s in agency_agreement_overview(agency=agency) if s.state in ("unsigned", "due", "overdue")]


def agency_version_get(*, agency: Organization, version_id: int) -> AgreementVersion:
    """A version of a co-op the agency is an approved or active member of (404 otherwise)."""
    coops = CoopMembership.objects.filter(agency=agency, status__in=SIGNING_STATUSES).values("cooperative_id")
    version = (
        AgreementVersion.objects.filter(pk=version_id, cooperative_id__in=coops).select_related("cooperative").first()
    )
    if version is None:
        raise Http404("No such agreement.")
    return version


def agency_acceptance_list(*, agency: Organization) -> QuerySet[AgreementAcceptance]:
    return (
        AgreementAcceptance.objects.for_organization(agency)
        .select_related("version", "cooperative", "signed_by")
        .order_by("-signed_at", "-id")
    )


def agency_acceptance_get(*, agency: Organization, public_id) -> AgreementAcceptance:
    found = agency_acceptance_list(agency=agency).filter(public_id=public_id).first()
    if found is None:
        raise Http404("No such acceptance.")
    return found


# --- checkout -------------------------------------------------------------------------------------------


def agreement_checkout_blocks(*, agency: Organization, contract_ids: set[int]) -> dict[int, str]:
    """{contract id: why it cannot be ordered on now} for the contracts of a cart.

    An agency uses a contract through an active membership of a co-op it is available to; the contract is
    blocked only when every such co-op blocks the agency (one membership in good standing is enough). A contract
    the agency cannot use at all is not reported here (checkout says so itself). Four queries."""
    if not contract_ids:
        return {}
    active = CoopMembership.objects.active().filter(agency=agency).values("cooperative_id")
    links = list(
        Contract.available_to.through.objects.filter(contract_id__in=contract_ids, organization_id__in=active)
        .select_related("organization")
        .order_by("organization__name")
    )
    cooperatives = {link.organization_id: link.organization for link in links}
    statuses = agreement_status_map(agency=agency, cooperatives=list(cooperatives.values()))
    through: dict[int, list[AgreementStatus]] = {}
    for link in links:
        through.setdefault(link.contract_id, []).append(statuses[link.organization_id])
    return {
        contract_id: next(s.message for s in found)
        for contract_id, found in through.items()
        if all(s.blocks for s in found)
    }
