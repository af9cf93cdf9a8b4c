"""How the isolation matrix (tests/core/test_isolation.py) exercises one tenant route: `Probe` describes the
route, `run_probe` sends the requests and asserts, `seed_other_tenant` gives the other organizations objects of
their own so a page that forgets the tenant filter shows something it must not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from agencies.models import ApprovalRule, Department, FundCode, MemberDefaults, TaxExemptionCertificate
from marketplace.core.models import AuditEvent, CoopMembership, Membership, Organization
from marketplace.core.roles import OrgKind
from marketplace.core.services.audit import audit_record
from tests.factories import (
    CatalogImportFactory,
    CatalogItemFactory,
    ContractDocumentFactory,
    ContractFactory,
    FacilityFactory,
    PriceChangeFactory,
    StoreLocationFactory,
)

# Every object seed_other_tenant() makes carries one of these; none may appear on a page of world.agency,
# world.supplier or world.coop. (The other organizations' names and members are checked as well.)
OTHER_MARKERS = ("OTHER-CT-9", "OTHER-SKU-9", "othertenant")


@dataclass(frozen=True)
class Probe:
    """kind: the organization kind in the URL. roles: roles allowed (None = any member). api: JSON errors.

    extra(world) -> {url_kwarg: value} for URL arguments besides `org`, naming an object that belongs to
    the probed organization (world.agency / world.supplier / world.coop, whichever `kind` says).
    other_extra(world) -> the same kwargs (or a list of such dicts) naming *another tenant's* object of that type
    (built on world.other_objects, see `seed_other_tenant`). Required when the route takes any argument
    besides `org`: it is requested through the allowed member's own organization URL and must answer 404.
    method/data: the request to send (a POST is sent by every actor; only the allowed one may succeed).
    ok: statuses that count as success for the allowed member (after the redirect when `follow`).
    snapshot(world) -> tuple of values that must not change when the request is refused.
    shows(world) -> a string the allowed member's GET response must contain, there only because of the
    object's (or the organization's list's) content: a SKU, a file name, a contract number, another member's
    e-mail; never the organization's name or the signed-in user's e-mail, which the page header prints.
    Required; `None` only for probes that do not GET (their body is not read).
    """

    kind: str
    roles: frozenset[str] | None = None
    api: bool = False
    method: str = "get"
    data: dict[str, Any] | None = None
    extra: Callable[[Any], dict[str, Any]] | None = None
    other_extra: Callable[[Any], dict[str, Any] | list[dict[str, Any]]] | None = None
    ok: tuple[int, ...] = (200,)
    follow: bool = False  # a GET that redirects: the allowed member's check follows it to the page
    snapshot: Callable[[Any], tuple] = field(default=lambda world: ())
    shows: Callable[[Any], str] | None = field(kw_only=True)

    def __post_init__(self):
        if self.method == "get" and self.shows is None:
            raise TypeError("a GET probe must say what only its page shows (shows=)")


# --- Routes --------------------------------------------------------------------------------------------------

IGNORED_PREFIXES = ("admin/", "accounts/")  # Django admin (operators) and allauth (the user's own account)


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def routes() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern of the active URLconf, admin and allauth left out."""
    return [(route, name) for route, name in _walk(get_resolver()) if not route.startswith(IGNORED_PREFIXES)]


def route_path(name_or_route: str) -> str:
    if "<" in name_or_route or "/" in name_or_route:
        return name_or_route
    return next(route for route, n in routes() if n == name_or_route)


def route_kwargs(route: str) -> set[str]:
    """The URL arguments of a route, e.g. {"org", "public_id"}."""
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


def url(name_or_route: str, slug: str, extra: dict | None = None) -> str:
    path = route_path(name_or_route).replace("<slug:org>", slug)
    for key, value in (extra or {}).items():
        path = re.sub(r"<(?:\w+:)?" + key + ">", str(value), path)
    assert "<" not in path, f"{name_or_route}: give Probe.extra a value for every URL argument ({path})"
    return "/" + path


# --- The world's actors ------------------------------------------------------------------------------------


def orgs_and_users(world, kind):
    own, other = {
        OrgKind.AGENCY: (world.agency, world.other_agency),
        OrgKind.SUPPLIER: (world.supplier, world.other_supplier),
        OrgKind.COOPERATIVE: (world.coop, world.other_coop),
    }[kind]
    allowed = {
        OrgKind.AGENCY: world.agency_admin,
        OrgKind.SUPPLIER: world.supplier_admin,
        OrgKind.COOPERATIVE: world.coop_admin,
    }[kind]
    without_role = {
        OrgKind.AGENCY: world.requester,
        OrgKind.SUPPLIER: world.catalog_manager,
        OrgKind.COOPERATIVE: world.coop_staff,
    }[kind]
    other_member = {
        OrgKind.AGENCY: world.other_agency_admin,
        OrgKind.SUPPLIER: world.other_supplier_admin,
        OrgKind.COOPERATIVE: world.other_coop_admin,
    }[kind]
    return own, other, allowed, without_role, other_member


class OtherObjects:
    """What seed_other_tenant() made for the other organizations (attributes named after the object type)."""


def seed_other_tenant(world) -> OtherObjects:
    """Give world.other_coop / other_supplier / other_agency one object of every type a tenant page lists, each
    marked with OTHER_MARKERS (made once per world). Names sort first ("Aardvark…") so a query that forgets the
    tenant and takes `.first()` picks the other tenant's row."""
    if hasattr(world, "other_objects"):
        return world.other_objects
    o = OtherObjects()
    o.contract = ContractFactory(
        cooperative=world.other_coop, supplier=world.other_supplier, number="OTHER-CT-9", title="Othertenant lamps"
    )
    o.item = CatalogItemFactory(contract=o.contract, sku="OTHER-SKU-9", name="Othertenant lantern")
    o.change = PriceChangeFactory(item=o.item, requested_by=world.other_supplier_admin)
    o.document = ContractDocumentFactory(
        contract=o.contract, title="Othertenant agreement", uploaded_by=world.other_coop_admin
    )
    o.catalog_import = CatalogImportFactory(
        contract=o.contract, original_name="othertenant-catalog.csv", created_by=world.other_supplier_admin
    )
    o.facility = FacilityFactory(agency=world.other_agency, name="Aardvark Othertenant Depot")
    o.store = StoreLocationFactory(supplier=world.other_supplier, name="Aardvark Othertenant Store")
    # the other agency's ordering set-up (departments, fund codes, approval rules, tax certificates, defaults)
    o.department = Department.objects.create(agency=world.other_agency, name="Aardvark Othertenant Works", code="OTW")
    o.fund_code = FundCode.objects.create(
        agency=world.other_agency, code="AAA-OTHERTENANT-100", description="Othertenant fund", department=o.department
    )
    o.rule = ApprovalRule.objects.create(agency=world.other_agency, name="Aardvark othertenant rule")
    o.certificate = TaxExemptionCertificate.objects.create(
        agency=world.other_agency, state="TX", number="AAA-OTHERTENANT-CERT", file="x.pdf", sha256="0" * 64
    )
    o.defaults = MemberDefaults.objects.create(
        agency=world.other_agency, user=world.other_agency_admin, facility=o.facility, fund_code=o.fund_code
    )
    for org in (world.other_coop, world.other_supplier, world.other_agency):
        audit_record(actor=None, action="probe.othertenant", organization=org, obj=o.contract)
    world.other_objects = o
    return o


def snapshot():
    return (
        Organization.objects.count(),
        Membership.objects.count(),
        CoopMembership.objects.count(),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


# --- The probe -----------------------------------------------------------------------------------------------


def _assert_not_found(response, probe, what):
    assert response.status_code == 404, f"{what}: expected 404, got {response.status_code}"
    if probe.api:
        assert response.json()["error"]["code"] == "not_found", what


def run_probe(client, world, name_or_route: str, probe: Probe) -> None:
    """Probe one tenant route (a URL name, or a route pattern such as "x/<slug:org>/items/<int:pk>/") as every
    actor; raises AssertionError at the first request that answers what it must not."""
    own, other, allowed, without_role, other_member = orgs_and_users(world, probe.kind)
    seed_other_tenant(world)
    extra = probe.extra(world) if probe.extra else {}
    marker = probe.shows(world) if probe.shows else None
    foreign = probe.other_extra(world) if probe.other_extra else []
    foreign = [foreign] if isinstance(foreign, dict) else list(foreign)
    target = url(name_or_route, own.slug, extra)
    before = snapshot() + probe.snapshot(world)
    if marker is not None:
        header = (own.name, allowed.email)
        assert marker and not any(marker in text or text in marker for text in header), (
            f"{name_or_route}: shows() must be the page's own content, not what the header prints ({marker!r})"
        )

    def call(path, method=probe.method):
        return getattr(client, method)(path, probe.data or {})

    # anonymous
    response = call(target)
    if probe.api:
        assert response.status_code in (401, 403)
        assert response.json()["error"]["code"] in ("not_authenticated", "authentication_failed")
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    # a member of another organization of the same kind, holding the role: 404, as if it did not exist
    client.force_login(other_member)
    response = call(target)
    assert response.status_code == 404
    assert own.name not in response.content.decode()
    # … and the same for a slug that does not exist at all
    assert call(url(name_or_route, "no-such-org", extra)).status_code == 404

    # a user of a different kind who guesses the slug in this URL family: 404
    client.force_login(world.outsider)
    assert call(target).status_code == 404

    # a member without the role (for role-gated routes): 403
    if probe.roles is not None:
        client.force_login(without_role)
        response = call(target)
        assert response.status_code == 403
        if probe.api:
            assert response.json()["error"]["code"] == "permission_denied"

    # the allowed member cannot reach their own object through the other organization's URL …
    client.force_login(allowed)
    assert call(url(name_or_route, other.slug, extra)).status_code == 404

    # … nor another tenant's object through their own organization's URL (a streamed download, probed with
    # OPTIONS above, is asked for with GET: OPTIONS never looks the object up)
    for kwargs in foreign:
        response = call(url(name_or_route, own.slug, kwargs), "get" if probe.method == "options" else probe.method)
        _assert_not_found(response, probe, f"{name_or_route}: another tenant's object {kwargs}")

    assert snapshot() + probe.snapshot(world) == before  # refused requests changed nothing

    # an allowed member gets the page, showing what only this object (or list) shows and nothing of the other
    response = client.get(target, follow=True) if probe.follow else call(target)
    assert response.status_code in probe.ok
    if probe.method == "get":
        body = response.content.decode()
        assert marker in body, f"{name_or_route}: the page does not show {marker!r}"
        assert other.name not in body
        assert other_member.email not in body
        lowered = body.lower()
        for leaked in OTHER_MARKERS:
            assert leaked.lower() not in lowered, f"{name_or_route}: shows another tenant's {leaked!r}"
