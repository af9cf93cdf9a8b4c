"""Buyer catalog routes in the isolation matrix: any member of the agency; another agency's member gets 404.

`other_extra` names an item on world.other_coop's contract: the other agency can buy it, this one cannot.
"""

from marketplace.core.roles import OrgKind
from tests.factories import CatalogItemFactory, ContractFactory
from tests.isolation import Probe


def _item(world):
    """An item on a contract available to the probed agency's co-op (made once per test)."""
    if not hasattr(world, "probe_item"):
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
        world.probe_item = CatalogItemFactory(contract=contract, sku="PROBE-1", name="Probe Lantern Battery")
    return world.probe_item


def _with_item(world):
    _item(world)
    return {}


def _other_item(world):
    return {"pk": world.other_objects.item.pk}


def _shows(world):
    return "Probe Lantern"


MATRIX = {
    "agency-catalog": Probe(OrgKind.AGENCY, extra=_with_item, shows=_shows),
    "agency-catalog-item": Probe(
        OrgKind.AGENCY, extra=lambda w: {"pk": _item(w).pk}, other_extra=_other_item, shows=_shows
    ),
    "api-catalog-search": Probe(OrgKind.AGENCY, api=True, extra=_with_item, shows=_shows),
    "api-catalog-item": Probe(
        OrgKind.AGENCY, api=True, extra=lambda w: {"pk": _item(w).pk}, other_extra=_other_item, shows=_shows
    ),
}

UNSCOPED_ROUTES: dict[str, str] = {}
