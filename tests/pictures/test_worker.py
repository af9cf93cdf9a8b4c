"""The real Celery worker resizes an uploaded picture: the item page shows the category's picture until the
derivatives exist, then the picture itself, served as WebP squares. A picture the worker cannot decode is
marked failed and the category's picture stays."""

from __future__ import annotations

import io
import time

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from contracts.catalog.images.derivatives import SIZES, derivative_name
from contracts.models import CatalogImage
from tests.factories import ContractFactory
from tests.pictures.conftest import picture, png_with_bad_pixels
from tests.search.conftest import make_item


def _wait_until_done(digest: str, worker) -> CatalogImage:
    deadline = time.time() + 60
    while time.time() < deadline:
        image = CatalogImage.objects.get(pk=digest)
        if image.status != "processing":
            return image
        time.sleep(0.3)
    raise AssertionError(f"picture not processed; worker log:\n{worker.log.read_text()[-3000:]}")


def test_worker_makes_the_derivatives_and_pages_switch_to_them(world, worker):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="PIC-W-1", slug="pic-w-1")
    item = make_item(contract, "FL-PIC", "Worker pictured flashlight", category="flashlights")
    client = Client()
    client.force_login(world.catalog_manager)
    data = picture("JPEG", (640, 320), (240, 120, 0))
    created = client.post(
        f"/api/v1/suppliers/alpha-cells/catalog/items/{item.pk}/picture/",
        {"image": SimpleUploadedFile("torch.jpg", data, "image/jpeg")},
    )
    assert created.status_code == 202, created.content
    assert created.json()["picture"]["status"] == "processing"
    item.refresh_from_db()
    digest = item.image_id

    image = _wait_until_done(digest, worker)
    assert image.status == "ready", image.failure
    for size in SIZES:
        with default_storage.open(derivative_name(digest, size), "rb") as handle, Image.open(handle) as webp:
            assert (webp.format, webp.size) == ("WEBP", (size, size))
            assert webp.convert("RGB").getpixel((size // 2, size // 2))[0] > 200  # the orange picture, centred

    listed = client.get("/api/v1/suppliers/alpha-cells/catalog/items/").json()["results"]
    assert listed[0]["picture"] == {
        "status": "ready",
        "own": True,
        "thumbnail_url": f"/catalog-images/{digest}/160.webp",
        "large_url": f"/catalog-images/{digest}/480.webp",
    }
    page = client.get(f"/suppliers/alpha-cells/catalog/items/{item.pk}/").content.decode()
    assert f'src="/catalog-images/{digest}/480.webp"' in page and "The picture buyers see." in page
    served = Client().get(f"/catalog-images/{digest}/480.webp")  # an active contract's item: public
    assert served.status_code == 200
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as got:
        assert got.size == (480, 480)


def test_worker_marks_an_undecodable_picture_failed(world, worker):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="PIC-W-2", slug="pic-w-2")
    item = make_item(contract, "LED-PIC", "Truncated LED lamp", category="led-lamps")
    broken = png_with_bad_pixels(300, 300)  # every chunk checks out: only decoding the pixels fails
    client = Client()
    client.force_login(world.catalog_manager)
    response = client.post(
        f"/api/v1/suppliers/alpha-cells/catalog/items/{item.pk}/picture/",
        {"image": SimpleUploadedFile("lamp.png", broken, "image/png")},
    )
    assert response.status_code == 202, response.content
    item.refresh_from_db()
    image = _wait_until_done(item.image_id, worker)
    assert image.status == "failed" and "cannot be read" in image.failure
    page = client.get(f"/suppliers/alpha-cells/catalog/items/{item.pk}/").content.decode()
    assert "The picture could not be read" in page and "img/categories/led-lamps.svg" in page
