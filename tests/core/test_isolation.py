"""The isolation matrix: every route that takes an organization is probed as anonymous, as a member of
another organization, as a member of this one without the role, and as an allowed member.

A new route with `<org>` in its path fails `test_every_org_route_is_in_the_matrix` until it is added,
and every other route must be classified too, so nothing tenant-shaped slips in unprobed. Kernel routes
are listed here; each feature adds its own in `tests/<area>/isolation_routes.py` (dicts `MATRIX` and
`UNSCOPED_ROUTES`, merged below), using `Probe` from `tests.isolation`.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from marketplace.core.models import AuditEvent, CoopMembership, Membership, Organization
from marketplace.core.roles import OrgKind
from tests.isolation import Probe

AGENCY_ADMIN = frozenset({"agency_admin"})
SUPPLIER_ADMIN = frozenset({"supplier_admin"})
COOP_ADMIN = frozenset({"coop_admin"})

MATRIX: dict[str, Probe] = {
    "agency-home": Probe(OrgKind.AGENCY),
    "agency-audit": Probe(OrgKind.AGENCY, AGENCY_ADMIN),
    "supplier-home": Probe(OrgKind.SUPPLIER),
    "supplier-audit": Probe(OrgKind.SUPPLIER, SUPPLIER_ADMIN),
    "coop-home": Probe(OrgKind.COOPERATIVE),
    "coop-audit": Probe(OrgKind.COOPERATIVE, COOP_ADMIN),
    "api-agency-detail": Probe(OrgKind.AGENCY, api=True),
    "api-agency-members": Probe(OrgKind.AGENCY, api=True),
    "api-supplier-detail": Probe(OrgKind.SUPPLIER, api=True),
    "api-supplier-members": Probe(OrgKind.SUPPLIER, api=True),
    "api-coop-detail": Probe(OrgKind.COOPERATIVE, api=True),
    "api-coop-members": Probe(OrgKind.COOPERATIVE, api=True),
}

# Routes without an organization in the path, and why they cannot leak another tenant's data.
UNSCOPED_ROUTES = {
    "home": "redirects to the user's own organization",
    "notifications": "filters on request.user",
    "notifications-read": "updates only request.user's rows",
    "api-tokens": "filters on request.user",
    "api-token-revoke": "looks the token up with user=request.user (tests/core/test_api_tokens.py)",
    "staff-audit": "platform operators only (is_staff)",
    "healthz": "no tenant data",
    "api-me": "the signed-in user's own memberships",
    "api-schema": "public schema",
    "api-docs": "public docs",
    "api-redoc": "public docs",
}
for _path in sorted(Path(__file__).resolve().parents[1].glob("*/isolation_routes.py")):
    _module = importlib.import_module(f"tests.{_path.parent.name}.isolation_routes")
    MATRIX.update(_module.MATRIX)
    UNSCOPED_ROUTES.update(getattr(_module, "UNSCOPED_ROUTES", {}))

IGNORED_PREFIXES = ("admin/", "accounts/")  # Django admin (operators) and allauth (the user's own account)


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def _routes():
    return [(route, name) for route, name in _walk(get_resolver()) if not route.startswith(IGNORED_PREFIXES)]


def test_every_org_route_is_in_the_matrix():
    org_routes = {name for route, name in _routes() if "<slug:org>" in route}
    missing = org_routes - set(MATRIX)
    assert not missing, f"routes taking an organization but missing from the isolation matrix: {sorted(missing)}"
    stale = set(MATRIX) - org_routes
    assert not stale, f"matrix entries with no route: {sorted(stale)}"


def test_every_other_route_is_classified():
    others = {name for route, name in _routes() if "<slug:org>" not in route}
    unclassified = others - set(UNSCOPED_ROUTES)
    assert not unclassified, f"classify these routes in UNSCOPED_ROUTES or add them to MATRIX: {sorted(unclassified)}"


def _route_path(name: str) -> str:
    return next(route for route, n in _routes() if n == name)


def _url(name: str, slug: str, extra: dict | None = None) -> str:
    path = _route_path(name).replace("<slug:org>", slug)
    for key, value in (extra or {}).items():
        path = re.sub(r"<(?:\w+:)?" + key + ">", str(value), path)
    assert "<" not in path, f"{name}: give Probe.extra a value for every URL argument ({path})"
    return "/" + path


def _orgs_and_users(world, kind):
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


def _snapshot():
    return (
        Organization.objects.count(),
        Membership.objects.count(),
        CoopMembership.objects.count(),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_isolation(client, world, name):
    probe = MATRIX[name]
    own, other, allowed, without_role, other_member = _orgs_and_users(world, probe.kind)
    extra = probe.extra(world) if probe.extra else {}
    url = _url(name, own.slug, extra)
    before = _snapshot() + probe.snapshot(world)

    def call(path):
        return getattr(client, probe.method)(path, probe.data or {})

    # anonymous
    response = call(url)
    if probe.api:
        assert response.status_code in (401, 403)
        assert response.json()["error"]["code"] in ("not_authenticated", "authentication_failed")
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    # a member of another organization of the same kind, holding the role: 404, as if it did not exist
    client.force_login(other_member)
    response = call(url)
    assert response.status_code == 404
    assert own.name not in response.content.decode()
    # … and the same for a slug that does not exist at all
    assert call(_url(name, "no-such-org", extra)).status_code == 404

    # a user of a different kind who guesses the slug in this URL family: 404
    client.force_login(world.outsider)
    assert call(url).status_code == 404

    # a member without the role (for role-gated routes): 403
    if probe.roles is not None:
        client.force_login(without_role)
        response = call(url)
        assert response.status_code == 403
        if probe.api:
            assert response.json()["error"]["code"] == "permission_denied"

    # the allowed member cannot reach their own object through the other organization's URL
    client.force_login(allowed)
    assert call(_url(name, other.slug, extra)).status_code == 404

    assert _snapshot() + probe.snapshot(world) == before  # refused requests changed nothing

    # an allowed member gets the page, showing their own organization and nothing of the other
    response = call(url)
    assert response.status_code in probe.ok
    if probe.method == "get":
        body = response.content.decode()
        assert own.name in body or allowed.email in body or probe.shows(world) in body
        assert other.name not in body
        assert other_member.email not in body
