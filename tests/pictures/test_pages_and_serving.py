"""Pictures on pages and in the API, and who may fetch them: a picture is as public as the items using it —
anyone for an item of a published contract, only the supplier's and the co-op's members for a draft's item;
404 for everyone else and for a picture that is not ready, unknown, or asked at another size."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.catalog.images.derivatives import SIZES, derivative_name, render_derivatives
from contracts.models import CatalogImage, ImageStatus
from tests.factories import ContractFactory
from tests.pictures.conftest import picture
from tests.search.conftest import make_item

pytestmark = pytest.mark.django_db


def ready_picture(color=(10, 120, 200)) -> CatalogImage:
    """A picture as the worker leaves it (files written by the same code the worker runs)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    data = picture("PNG", (64, 64), color)
    digest = hashlib.sha256(data).hexdigest()
    for size, webp in render_derivatives(data).items():
        default_storage.save(derivative_name(digest, size), ContentFile(webp))
    return CatalogImage.objects.create(
        digest=digest, format="PNG", width=64, height=64, size_bytes=len(data), status=ImageStatus.READY
    )


def url(image, size=160):
    return f"/catalog-images/{image.digest}/{size}.webp"


def test_search_results_show_own_pictures_and_category_pictures(client, shop):
    image = ready_picture()
    item = shop.items["DUR-AA24"]
    item.image = image
    item.save(update_fields=["image"])
    client.force_login(shop.requester)
    html = client.get("/agencies/city-of-alpha/catalog/", {"q": "battery"}).content.decode()
    own = re.search(rf'<img class="usa-collection__img item-picture" src="{url(image)}"[^>]*>', html)
    assert own, html
    tag = own.group(0)
    assert f'srcset="{url(image)} 160w, {url(image, 480)} 480w"' in tag
    assert 'width="160" height="160" alt="" loading="lazy"' in tag  # the name is the heading beside it
    assert re.search(r'src="/static/img/categories/sealed-lead-acid.svg" width="160" height="160" alt=""', html)

    page = client.get(f"/agencies/city-of-alpha/catalog/items/{item.pk}/").content.decode()
    assert f'src="{url(image, 480)}" width="480" height="480" alt="{item.name}" loading="lazy"' in page
    other = client.get(f"/agencies/city-of-alpha/catalog/items/{shop.items['PS-12180-NB'].pk}/").content.decode()
    assert 'src="/static/img/categories/sealed-lead-acid.svg" width="480" height="480" alt=""' in other


def test_api_results_carry_the_picture_urls(client, shop):
    image = ready_picture()
    item = shop.items["DUR-AA24"]
    item.image = image
    item.save(update_fields=["image"])
    client.force_login(shop.requester)
    results = client.get("/api/v1/agencies/city-of-alpha/catalog/items/", {"q": "battery"}).json()["results"]
    pictures = {r["sku"]: r["picture"] for r in results}
    assert pictures["DUR-AA24"] == {
        "status": "ready",
        "own": True,
        "thumbnail_url": url(image),
        "large_url": url(image, 480),
    }
    assert pictures["PS-12180-NB"] == {
        "status": "none",
        "own": False,
        "thumbnail_url": "/static/img/categories/sealed-lead-acid.svg",
        "large_url": "/static/img/categories/sealed-lead-acid.svg",
    }
    detail = client.get(f"/api/v1/agencies/city-of-alpha/catalog/items/{item.pk}/").json()
    assert detail["picture"]["large_url"] == url(image, 480)


def test_a_published_contracts_picture_is_public_and_cached_for_good(client, shop):
    image = ready_picture()
    shop.items["DUR-AA24"].image = image
    shop.items["DUR-AA24"].save(update_fields=["image"])
    for size in SIZES:
        response = client.get(url(image, size))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert b"".join(response.streaming_content)[8:12] == b"WEBP"


def test_a_drafts_picture_is_only_for_its_supplier_and_coop(client, world, shop, order_desk):
    image = ready_picture()
    draft = ContractFactory(cooperative=world.coop, supplier=world.supplier, status="draft")
    make_item(draft, "DRAFT-PIC", "Draft pictured battery", image=image)
    assert client.get(url(image)).status_code == 404  # anonymous
    for outsider in (shop.requester, world.other_supplier_admin, world.other_coop_admin, world.outsider):
        client.force_login(outsider)
        assert client.get(url(image)).status_code == 404, outsider
    for insider in (world.catalog_manager, order_desk, world.coop_staff):
        client.force_login(insider)
        response = client.get(url(image))
        assert response.status_code == 200, insider
        assert response["Cache-Control"] == "private, max-age=3600"


@pytest.mark.parametrize("problem", ["processing", "unknown", "size", "digest", "unused"])
def test_pictures_that_cannot_be_served_are_404(client, shop, problem):
    image = ready_picture()
    if problem != "unused":
        shop.items["DUR-AA24"].image = image
        shop.items["DUR-AA24"].save(update_fields=["image"])
    path = url(image)
    if problem == "processing":
        CatalogImage.objects.filter(pk=image.pk).update(status=ImageStatus.PROCESSING)
    elif problem == "unknown":
        path = url(CatalogImage(digest="0" * 64))
    elif problem == "size":
        path = url(image, 1000)
    elif problem == "digest":
        path = "/catalog-images/..%2F..%2Fsecret/160.webp"
    client.force_login(shop.requester)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("requester", "/agencies/city-of-alpha/catalog/"),
        ("requester", "/api/v1/agencies/city-of-alpha/catalog/items/"),
        ("catalog_manager", "/suppliers/alpha-cells/catalog/items/"),
        ("catalog_manager", "/api/v1/suppliers/alpha-cells/catalog/items/"),
    ],
)
def test_pictures_add_no_query_per_item(client, shop, who, url, django_assert_num_queries):
    """Each item has a picture of its own (and its category): one page of 1 item and of 40 run the same queries."""
    client.force_login(getattr(shop, who))
    params = {"q": "widget"}

    def pictured(n):
        image = CatalogImage.objects.create(
            digest=f"{n:064x}", format="PNG", width=64, height=64, size_bytes=1, status=ImageStatus.READY
        )
        make_item(shop.contract, f"W-{n:03d}", f"Widget lamp {n}", category="led-lamps", image=image)

    pictured(0)
    client.get(url, params)  # a buyer's search builds the agency's scope and the categories once (reference.py)
    with CaptureQueriesContext(connection) as one:
        first = client.get(url, params)
    assert first.status_code == 200
    for n in range(1, 40):
        pictured(n)
    with django_assert_num_queries(len(one)):
        many = client.get(url, params)
    assert many.content.decode().count("/catalog-images/") >= 20  # at least a page of them, own pictures shown
