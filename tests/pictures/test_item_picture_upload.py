"""A supplier gives one item its own picture from the item's page or the API. Refused files change nothing and
store nothing; an accepted one is kept once under its SHA-256 and queued for the worker to resize."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import CatalogImage, CatalogItem
from marketplace.core.models import AuditEvent, OutboxTask
from tests.catalog_imports.conftest import make_item
from tests.factories import ContractFactory
from tests.pictures.conftest import picture, png_claiming, stored_pictures

pytestmark = pytest.mark.django_db


def _page(item):
    return f"/suppliers/{item.contract.supplier.slug}/catalog/items/{item.pk}/"


def _api(item):
    return f"/api/v1/suppliers/{item.contract.supplier.slug}/catalog/items/{item.pk}/picture/"


def _state(item):
    item.refresh_from_db()
    return (
        item.image_id,
        item.updated_at,
        CatalogImage.objects.count(),
        OutboxTask.objects.filter(task_name="contracts.image_process").count(),
        AuditEvent.objects.filter(action__startswith="catalog_item.image").count(),
        stored_pictures(),
    )


def test_upload_on_the_item_page_keeps_the_picture_and_queues_the_resize(client, world, contract):
    item = make_item(contract)
    data = picture("JPEG", (200, 150))
    client.force_login(world.catalog_manager)
    response = client.post(_page(item) + "picture/", {"image": SimpleUploadedFile("aa.jpg", data, "image/jpeg")})
    assert response.status_code == 302 and response["Location"].endswith("#picture")
    digest = hashlib.sha256(data).hexdigest()
    item.refresh_from_db()
    assert item.image_id == digest
    image = CatalogImage.objects.get()
    assert (image.format, image.width, image.height, image.status) == ("JPEG", 200, 150, "processing")
    assert stored_pictures() == [f"originals/{digest[:2]}/{digest}"]
    assert list(OutboxTask.objects.filter(task_name="contracts.image_process").values_list("args", flat=True)) == [
        [digest]
    ]
    event = AuditEvent.objects.get(action="catalog_item.image_set")
    assert event.after["image"] == digest and event.organization_id == world.supplier.pk
    page = client.get(_page(item)).content.decode()
    assert "Your picture is being resized" in page
    assert "img/categories/alkaline-lithium-cells.svg" in page  # the placeholder until the worker is done


def test_the_same_picture_on_two_items_is_stored_once(client, world, contract):
    first, second = make_item(contract, "AA-1"), make_item(contract, "AA-2")
    data = picture("PNG")
    client.force_login(world.catalog_manager)
    for item in (first, second):
        client.post(_page(item) + "picture/", {"image": SimpleUploadedFile("p.png", data, "image/png")})
    assert CatalogImage.objects.count() == 1
    assert OutboxTask.objects.filter(task_name="contracts.image_process").count() == 1
    assert set(CatalogItem.objects.values_list("image_id", flat=True)) == {hashlib.sha256(data).hexdigest()}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"sku,name\nAA-1,AA battery\n", "Not a picture: upload a JPEG, PNG or WebP file"),
        ("bomb.png", png_claiming(30_000, 30_000), "The picture has too many pixels"),
        ("huge.png", png_claiming(9_000, 9_000), "the limit is 40,000,000 pixels"),
        ("big.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024 + 5), "the limit is 10 MB"),
    ],
)
def test_a_refused_picture_changes_and_stores_nothing(client, world, contract, name, data, message):
    item = make_item(contract)
    before = _state(item)
    client.force_login(world.catalog_manager)
    response = client.post(_page(item) + "picture/", {"image": SimpleUploadedFile(name, data, "image/jpeg")})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="id_image-error"' in response.content.decode()
    assert _state(item) == before


def test_api_upload_answers_202_with_the_picture_and_refusals_in_the_error_shape(client, world, contract):
    item = make_item(contract)
    client.force_login(world.catalog_manager)
    before = _state(item)
    bad = client.post(_api(item), {"image": SimpleUploadedFile("x.jpg", b"GIF89a" + b"\x00" * 50)})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_image"
    assert "Not a picture" in bad.json()["error"]["fields"]["image"][0]
    assert _state(item) == before

    ok = client.post(_api(item), {"image": SimpleUploadedFile("p.webp", picture("WEBP"))})
    assert ok.status_code == 202, ok.content
    body = ok.json()
    assert body["sku"] == item.sku
    assert body["picture"]["status"] == "processing" and body["picture"]["own"] is False
    assert body["picture"]["thumbnail_url"].endswith("/img/categories/alkaline-lithium-cells.svg")

    removed = client.delete(_api(item))
    assert removed.status_code == 200 and removed.json()["picture"]["status"] == "none"
    item.refresh_from_db()
    assert item.image_id is None
    again = client.delete(_api(item))
    assert again.status_code == 409 and again.json()["error"]["code"] == "unchanged"


def test_remove_from_the_item_page(client, world, contract):
    item = make_item(contract)
    client.force_login(world.catalog_manager)
    client.post(_page(item) + "picture/", {"image": SimpleUploadedFile("p.png", picture(), "image/png")})
    response = client.post(_page(item) + "picture/", {"remove": "1"}, follow=True)
    assert "Picture removed" in response.content.decode()
    item.refresh_from_db()
    assert item.image_id is None
    assert AuditEvent.objects.filter(action="catalog_item.image_remove").count() == 1


def test_order_desk_may_not_upload_and_nothing_changes(client, world, contract, order_desk):
    item = make_item(contract)
    before = _state(item)
    client.force_login(order_desk)
    response = client.post(_page(item) + "picture/", {"image": SimpleUploadedFile("p.png", picture(), "image/png")})
    assert response.status_code == 403
    assert _state(item) == before


def test_a_closed_contracts_item_keeps_its_picture(client, world):
    closed = ContractFactory(cooperative=world.coop, supplier=world.supplier, status="expired")
    item = make_item(closed)
    before = _state(item)
    client.force_login(world.catalog_manager)
    response = client.post(_api(item), {"image": SimpleUploadedFile("p.png", picture())})
    assert response.status_code == 409 and response.json()["error"]["code"] == "contract_closed"
    assert _state(item) == before
