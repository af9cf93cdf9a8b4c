"""A supplier's catalog manager uploads a picture on an item's page (the USWDS file input); once it is resized
by the real Celery worker, buyers see it in search results and on the item page, and the
other results show their category's drawing — every picture loads, and the pages pass axe at desktop and
phone widths without scrolling sideways."""

import time

from playwright.sync_api import expect

from contracts.models import CatalogImage, CatalogItem, ImageStatus
from tests.factories import ContractFactory
from tests.pictures.conftest import picture
from tests.search.conftest import ITEMS, make_item


def _pictures_loaded(page) -> list[tuple[str, int]]:
    """Each result picture's address and natural width, once the browser has finished with every one of them (the
    page's load event can come first under load: a drawing was still 0 px wide once in CI)."""
    page.wait_for_function(
        "Array.from(document.querySelectorAll('img.item-picture')).every(img => img.complete)", timeout=10_000
    )
    return page.evaluate(
        "Array.from(document.querySelectorAll('img.item-picture'))"
        ".map(img => [img.getAttribute('src'), img.complete ? img.naturalWidth : 0])"
    )


def _resized(digest: str, seconds: float = 60) -> str:
    """The picture's status once the worker has taken it (ready or failed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = CatalogImage.objects.get(pk=digest).status
        if status != ImageStatus.PROCESSING:
            return status
        time.sleep(0.2)
    return ImageStatus.PROCESSING


def test_supplier_uploads_a_picture_and_buyers_see_it(ui, world, password, worker, tmp_path):
    from contracts.catalog.search.words import search_words_refresh

    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="AC-2026-01", slug="ac-2026-01")
    items = {row[0]: make_item(contract, *row) for row in ITEMS}
    search_words_refresh()
    duracell = items["DUR-AA24"]
    photo = tmp_path / "duracell-aa.jpg"
    photo.write_bytes(picture("JPEG", (600, 400), (220, 120, 20)))

    ui.sign_in(world.catalog_manager.email, password)
    ui.goto(f"/suppliers/{world.supplier.slug}/catalog/items/{duracell.pk}/", "supplier-item")
    expect(ui.page.get_by_text("No picture of its own: buyers see the category's picture.")).to_be_visible()
    ui.page.locator("input[type=file][name=image]").set_input_files(str(photo))
    ui.page.get_by_role("button", name="Upload picture").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_text("Picture uploaded. It is being resized")).to_be_visible()
    ui.assert_accessible("supplier-item-picture")

    duracell.refresh_from_db()
    assert _resized(duracell.image_id) == ImageStatus.READY
    ui.page.reload()
    expect(ui.page.get_by_text("The picture buyers see.")).to_be_visible()
    expect(ui.page.get_by_role("img", name=duracell.name)).to_have_attribute(
        "src", f"/catalog-images/{duracell.image_id}/480.webp"
    )
    ui.page.get_by_role("button", name="Sign out").click()
    ui.page.wait_for_load_state()

    ui.sign_in(world.requester.email, password)
    for width in (1280, 390):
        ui.page.set_viewport_size({"width": width, "height": 900})
        ui.goto("/agencies/city-of-alpha/catalog/?q=battery", f"results-{width}")
        loaded = dict(_pictures_loaded(ui.page))
        # naturalWidth is in CSS pixels: the 160 px file (or the 480 one on a dense screen) drawn at 5 to 7rem
        assert loaded[f"/catalog-images/{duracell.image_id}/160.webp"] > 0
        assert loaded["/static/img/categories/sealed-lead-acid.svg"] > 0
        assert all(natural > 0 for natural in loaded.values()), loaded
        assert ui.page.evaluate("document.documentElement.scrollWidth") <= width
        ui.assert_accessible(f"results-{width}")

        ui.goto(f"/agencies/city-of-alpha/catalog/items/{duracell.pk}/", f"item-{width}")
        main = ui.page.get_by_role("img", name=duracell.name)
        expect(main).to_have_attribute("width", "480")
        assert main.evaluate("img => img.currentSrc").endswith(f"/catalog-images/{duracell.image_id}/480.webp")
        assert main.evaluate("img => img.naturalWidth") == 480
        assert ui.page.evaluate("document.documentElement.scrollWidth") <= width
        ui.assert_accessible(f"item-{width}")
    assert ui.failed_requests == [], ui.failed_requests
    assert ui.console_errors == [], ui.console_errors
    assert CatalogItem.objects.exclude(image=None).count() == 1
