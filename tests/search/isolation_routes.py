"""Buyer catalog routes in the isolation matrix: any member of the agency; another agency's member gets 404."""

from marketplace.core.roles import OrgKind
from tests.isolation import Probe


def _item(world):
    """An item on a contract available to the probed agency's co-op (made once per test)."""
    if not hasattr(world, "probe_item"):
        from tests.factories import ContractFactory
        from tests.search.conftest import make_item

        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
        world.probe_item = make_item(contract, "PROBE-1", "Probe Lantern Battery")
    return world.probe_item


def _with_item(world):
    _item(world)
    return {}


MATRIX = {
    "agency-catalog": Probe(OrgKind.AGENCY, extra=_with_item, shows=lambda w: "Probe Lantern"),
    "agency-catalog-item": Probe(OrgKind.AGENCY, extra=lambda w: {"pk": _item(w).pk}, shows=lambda w: "Probe Lantern"),
    "api-catalog-search": Probe(OrgKind.AGENCY, api=True, extra=_with_item, shows=lambda w: "Probe Lantern"),
    "api-catalog-item": Probe(
        OrgKind.AGENCY, api=True, extra=lambda w: {"pk": _item(w).pk}, shows=lambda w: "Probe Lantern"
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {}
