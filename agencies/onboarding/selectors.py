"""Reads of the review queue, always within one cooperative, and what the detail page shows beside an application:
possible duplicates (same e-mail domain, similar names by pg_trgm similarity) and hints about its domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import QuerySet
from django.http import Http404

from agencies.models import Agency, ApplicationMessage, JoinApplication
from agencies.onboarding.filters import ApplicationFilter
from agencies.onboarding.services import domain_matches, email_domain_of
from marketplace.core.models import Organization

SIMILARITY = 0.4  # pg_trgm similarity from which two names are shown as possibly the same entity


def application_list(*, cooperative: Organization, filters: ApplicationFilter | None = None) -> QuerySet:
    """The co-op's applications, newest first, narrowed by `filters` (open ones when no status is chosen)."""
    queryset = (
        JoinApplication.objects.for_organization(cooperative)
        .select_related("decided_by")
        .order_by("-submitted_at", "-pk")
    )
    # the API's filter backend narrows the plain queryset itself (with the same FilterSet)
    return filters.narrow(queryset) if filters is not None else queryset


def open_application_count(*, cooperative: Organization) -> int:
    """Applications waiting for the co-op's staff or for the applicant."""
    return JoinApplication.objects.for_organization(cooperative).open().count()


def application_get(*, cooperative: Organization, application_id) -> JoinApplication:
    """One application of `cooperative` by its public id; another co-op's (or none) is a 404."""
    try:
        key = uuid.UUID(str(application_id))
    except ValueError:
        raise Http404("No such application.") from None
    application = (
        JoinApplication.objects.for_organization(cooperative)
        .select_related("cooperative", "decided_by", "agency")
        .filter(public_id=key)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def application_messages(*, application: JoinApplication) -> list[ApplicationMessage]:
    return list(
        ApplicationMessage.objects.for_organization(application.cooperative)
        .filter(application=application)
        .select_related("author")
    )


@dataclass(frozen=True)
class Duplicate:
    name: str
    what: str  # "member agency" / "application (<status>)"
    why: str  # "same e-mail domain" / "similar name (73%)"
    url: str = ""


def _member_agencies(application: JoinApplication) -> QuerySet[Agency]:
    members = Agency.objects.filter(organization__coop_memberships__cooperative=application.cooperative_id)
    if application.agency_id:  # the agency its approval created is not a duplicate of it
        members = members.exclude(organization_id=application.agency_id)
    return members.select_related("organization")


def similar_member_queryset(*, application: JoinApplication) -> QuerySet[Agency]:
    """Up to five member agencies of the co-op whose name is similar to the application's (another domain)."""
    return (
        # the trigram index on the names' distinctive part finds the candidates (pg_trgm's `%`); the similarity of
        # the full names then keeps those at SIMILARITY or above
        _member_agencies(application)
        .filter(organization__name_key__trigram_similar=application.legal_name_key)
        .annotate(similarity=TrigramSimilarity("organization__name", application.legal_name))
        .filter(similarity__gte=SIMILARITY)
        .exclude(email_domain__iexact=application.email_domain)
        .order_by("-similarity")[:5]
    )


def application_duplicates(*, application: JoinApplication) -> list[Duplicate]:
    """Members of the co-op and other applications to it that may be the same entity."""
    coop = application.cooperative
    found: list[Duplicate] = []
    for agency in _member_agencies(application).filter(email_domain__iexact=application.email_domain):
        why = f"same e-mail domain ({agency.email_domain})"
        found.append(Duplicate(agency.organization.name, "member agency", why))
    for agency in similar_member_queryset(application=application):
        found.append(
            Duplicate(agency.organization.name, "member agency", f"similar name ({agency.similarity:.0%} alike)")
        )
    others = (
        JoinApplication.objects.for_organization(coop)
        .exclude(pk=application.pk)
        .exclude(status__in=("approved",))
        .order_by("-submitted_at")
    )
    url = f"/coops/{coop.slug}/applications/"
    for other in others.filter(email_domain=application.email_domain)[:5]:
        found.append(
            Duplicate(
                other.legal_name,
                f"application ({other.get_status_display().lower()})",
                "same e-mail domain",
                f"{url}{other.public_id}/",
            )
        )
    for other in (
        others.filter(legal_name_key__trigram_similar=application.legal_name_key)
        .annotate(similarity=TrigramSimilarity("legal_name", application.legal_name))
        .filter(similarity__gte=SIMILARITY)
        .exclude(email_domain=application.email_domain)
        .order_by("-similarity")[:5]
    ):
        found.append(
            Duplicate(
                other.legal_name,
                f"application ({other.get_status_display().lower()})",
                f"similar name ({other.similarity:.0%} alike)",
                f"{url}{other.public_id}/",
            )
        )
    return found


@dataclass(frozen=True)
class Hint:
    good: bool
    text: str


def official_domain(domain: str, state: str) -> str:
    """Why `domain` looks like a government domain ("" when it does not)."""
    domain = (domain or "").lower()
    if domain.endswith(".gov"):
        return ".gov is reserved for U.S. government entities"
    if state and domain.endswith(f".k12.{state.lower()}.us"):
        return f"k12.{state.lower()}.us is the {state} public-school domain"
    if domain.endswith(".us"):
        return ".us locality domains are used by local governments"
    if domain.endswith(".mil"):
        return ".mil is reserved for the U.S. military"
    return ""


def application_hints(*, application: JoinApplication) -> list[Hint]:
    """What the reviewer should know about the applicant's domain and addresses."""
    domain = application.email_domain
    hints: list[Hint] = []
    why = official_domain(domain, application.state)
    if why:
        hints.append(Hint(True, f"Official government domain: {domain} ({why})."))
    else:
        hints.append(Hint(False, f"{domain} is not a .gov, .us or k12 domain: check the evidence of public status."))
    for label, email in (("Primary contact", application.contact_email), ("Signer", application.signer_email)):
        if domain_matches(email_domain_of(email), domain):
            hints.append(Hint(True, f"{label}'s e-mail ({email}) is on the entity's domain."))
        else:
            hints.append(Hint(False, f"{label}'s e-mail ({email}) is not on {domain}."))
    if application.website:
        host = (urlsplit(application.website).hostname or "").lower()
        if domain_matches(host, domain):
            hints.append(Hint(True, f"The website ({host}) is on the entity's domain."))
        else:
            hints.append(Hint(False, f"The website ({host}) is not on {domain}."))
    return hints
