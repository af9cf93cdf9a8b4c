"""Item-picture routes in the isolation matrix: the supplier's upload (page and API) and the picture files.

Uploads are for catalog managers and supplier admins, probed as "any member" like the other supplier catalog
routes (the order desk's 403 is tested in tests/pictures/test_item_picture_upload.py). The POST sent by every
actor carries no file: the allowed member gets the form error (400) and nothing changes for anyone.
"""

from __future__ import annotations

from contracts.models import CatalogImage, CatalogItem
from marketplace.core.roles import OrgKind
from tests.factories import CatalogItemFactory, ContractFactory
from tests.isolation import Probe


def _item(world):
    if not hasattr(world, "probe_picture_item"):
        contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="ISO-PIC-1")
        world.probe_picture_item = CatalogItemFactory(contract=contract, sku="P-ISO-PIC", name="Probe pictured item")
    return {"item_id": world.probe_picture_item.pk}


def _other_item(world):
    return {"item_id": world.other_objects.item.pk}


def _pictures_state(world):
    items = CatalogItem.objects.values_list("pk", "image_id", "updated_at").order_by("pk")
    return (*items, CatalogImage.objects.count())


MATRIX: dict[str, Probe] = {
    "supplier-catalog-item-image": Probe(
        OrgKind.SUPPLIER,
        method="post",
        data={},
        ok=(400,),
        extra=_item,
        other_extra=_other_item,
        snapshot=_pictures_state,
        shows=None,
    ),
    "api-supplier-catalog-item-image": Probe(
        OrgKind.SUPPLIER,
        api=True,
        method="post",
        data={},
        ok=(400,),
        extra=_item,
        other_extra=_other_item,
        snapshot=_pictures_state,
        shows=None,
    ),
}

UNSCOPED_ROUTES = {
    "catalog-image": "a picture by its SHA-256, served only as public as the items using it (anyone for a published "
    "contract's item, the supplier's and co-op's members for a draft's; 404 otherwise): "
    "tests/pictures/test_pages_and_serving.py",
}
