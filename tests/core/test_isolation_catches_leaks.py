"""The isolation probe catches an object-level leak: a view that passes the organization gate and then looks the
object up ignoring the tenant. The views are real (tests/core/leaky_urls.py); nothing of the app is mocked."""

import pytest

from marketplace.core.roles import OrgKind
from tests.factories import CatalogItemFactory, ContractFactory
from tests.isolation import Probe, run_probe

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.leaky_urls")]


def _own_item(world):
    if not hasattr(world, "leak_item"):
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier)
        world.leak_item = CatalogItemFactory(contract=contract, sku="OWN-LEAK-1", name="Own lamp")
    return {"item_id": world.leak_item.pk}


PROBE = Probe(
    OrgKind.SUPPLIER,
    extra=_own_item,
    other_extra=lambda world: {"item_id": world.other_objects.item.pk},
    shows=lambda world: "OWN-LEAK-1",
)


def test_the_probe_passes_a_view_that_looks_up_within_the_tenant(client, world):
    run_probe(client, world, "scoped-item", PROBE)


def test_the_probe_catches_a_view_that_ignores_the_tenant(client, world):
    with pytest.raises(AssertionError, match="another tenant's object"):
        run_probe(client, world, "leaky-item", PROBE)


def test_the_probe_catches_it_by_route_pattern_too(client, world):
    with pytest.raises(AssertionError, match="another tenant's object"):
        run_probe(client, world, "leaky/suppliers/<slug:org>/items/<int:item_id>/", PROBE)
