"""The isolation matrix: every route that takes an organization is probed as anonymous, as a member of
another organization, as a member of this one without the role, and as an allowed member.

A new route with `<org>` in its path fails `test_every_org_route_is_in_the_matrix` until it is added,
and every other route must be classified too, so nothing tenant-shaped slips in unprobed. Kernel routes
are listed here; each feature adds its own in `tests/<area>/isolation_routes.py` (dicts `MATRIX` and
`UNSCOPED_ROUTES`, merged below), using `Probe` and `run_probe` from `tests.isolation`. A route that names
an object must also say how to name another tenant's object of that type (`Probe.other_extra`), and every
GET probe says what only its page shows (`Probe.shows`).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from marketplace.core.roles import OrgKind
from marketplace.core.services.audit import audit_record
from tests.factories import ContractFactory
from tests.isolation import Probe, orgs_and_users, route_kwargs, route_path, routes, run_probe

AGENCY_ADMIN = frozenset({"agency_admin"})
SUPPLIER_ADMIN = frozenset({"supplier_admin"})
COOP_ADMIN = frozenset({"coop_admin"})


def _home_contract(world) -> str:
    """A contract of world.coop with world.supplier: on the co-op's, the supplier's and the agency's home page."""
    if not hasattr(world, "probe_home_contract"):
        world.probe_home_contract = ContractFactory(
            cooperative=world.coop, supplier=world.supplier, number="ISO-HOME-1"
        )
    return world.probe_home_contract.number


def _audit_row(kind):
    def shows(world) -> str:
        own = orgs_and_users(world, kind)[0]
        audit_record(actor=None, action=f"probe.own-row-{own.slug}", organization=own)
        return f"probe.own-row-{own.slug}"

    return shows


def _code(kind):
    return lambda world: f'"code":"{orgs_and_users(world, kind)[0].code}"'


def _colleague(kind):
    """A member of the organization other than the signed-in (allowed) one."""
    return lambda world: orgs_and_users(world, kind)[3].email


AGENCY, SUPPLIER, COOP = OrgKind.AGENCY, OrgKind.SUPPLIER, OrgKind.COOPERATIVE

MATRIX: dict[str, Probe] = {
    "agency-home": Probe(AGENCY, shows=_home_contract),
    "agency-audit": Probe(AGENCY, AGENCY_ADMIN, shows=_audit_row(AGENCY)),
    "supplier-home": Probe(SUPPLIER, shows=_home_contract),
    "supplier-audit": Probe(SUPPLIER, SUPPLIER_ADMIN, shows=_audit_row(SUPPLIER)),
    "coop-home": Probe(COOP, shows=_home_contract),
    "coop-audit": Probe(COOP, COOP_ADMIN, shows=_audit_row(COOP)),
    "api-agency-detail": Probe(AGENCY, api=True, shows=_code(AGENCY)),
    "api-agency-members": Probe(AGENCY, api=True, shows=_colleague(AGENCY)),
    "api-supplier-detail": Probe(SUPPLIER, api=True, shows=_code(SUPPLIER)),
    "api-supplier-members": Probe(SUPPLIER, api=True, shows=_colleague(SUPPLIER)),
    "api-coop-detail": Probe(COOP, api=True, shows=_code(COOP)),
    "api-coop-members": Probe(COOP, api=True, shows=_colleague(COOP)),
}

# Routes without an organization in the path, and why they cannot leak another tenant's data.
UNSCOPED_ROUTES = {
    "home": "the public front page (public figures only); signed in, redirects to the user's own organization",
    "notifications": "filters on request.user",
    "notifications-read": "updates only request.user's rows",
    "api-tokens": "filters on request.user",
    "api-token-revoke": "looks the token up with user=request.user (tests/core/test_api_tokens.py)",
    "staff-audit": "platform operators only (is_staff)",
    "operator-home": "platform operators only (is_staff); tests/core/test_operator_home.py",
    "healthz": "no tenant data",
    "service-status": "no tenant data (the health checks in words)",
    "api-me": "the signed-in user's own memberships",
    "api-schema": "public schema",
    "api-docs": "public docs",
    "api-redoc": "public docs",
}
for _path in sorted(Path(__file__).resolve().parents[1].glob("*/isolation_routes.py")):
    _module = importlib.import_module(f"tests.{_path.parent.name}.isolation_routes")
    MATRIX.update(_module.MATRIX)
    UNSCOPED_ROUTES.update(getattr(_module, "UNSCOPED_ROUTES", {}))


def test_every_org_route_is_in_the_matrix():
    org_routes = {name for route, name in routes() if "<slug:org>" in route}
    missing = org_routes - set(MATRIX)
    assert not missing, f"routes taking an organization but missing from the isolation matrix: {sorted(missing)}"
    stale = set(MATRIX) - org_routes
    assert not stale, f"matrix entries with no route: {sorted(stale)}"


def test_every_other_route_is_classified():
    others = {name for route, name in routes() if "<slug:org>" not in route}
    unclassified = others - set(UNSCOPED_ROUTES)
    assert not unclassified, f"classify these routes in UNSCOPED_ROUTES or add them to MATRIX: {sorted(unclassified)}"


def test_every_object_route_names_another_tenants_object():
    """A route that takes an object id is probed with another tenant's id too: its Probe must say how."""
    without = sorted(
        name for name, probe in MATRIX.items() if route_kwargs(route_path(name)) - {"org"} and probe.other_extra is None
    )
    assert not without, f"give these Probes an other_extra (another tenant's object): {without}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_isolation(client, world, name):
    run_probe(client, world, name, MATRIX[name])
