"""Catalog imports with pictures: the `image` column names a file in the ZIP uploaded with the catalog file.
Every named picture is checked by content during validation; any problem rejects the whole file (row, column
image, the reason) and nothing is applied or stored. An empty image cell keeps the item's picture."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.catalog.services.imports import catalog_import_create
from contracts.models import CatalogImage, CatalogImport, CatalogItem
from marketplace.core.errors import ApplicationError
from marketplace.core.models import OutboxTask
from tests.catalog_imports.conftest import HEADER, catalog_state, csv_bytes, make_item, row, upload, xlsx_bytes
from tests.pictures.conftest import picture, png_claiming, stored_pictures, zip_of

pytestmark = pytest.mark.django_db

WITH_IMAGE = [*HEADER, "image"]


def _zip(entries):
    return SimpleUploadedFile("pictures.zip", zip_of(entries), content_type="application/zip")


def _run(world, contract, rows, entries=None, *, xlsx=False):
    from contracts.catalog.services.imports import catalog_import_run

    data = xlsx_bytes(rows, header=WITH_IMAGE) if xlsx else csv_bytes(rows, header=WITH_IMAGE)
    return catalog_import_run(
        contract=contract,
        actor=world.catalog_manager,
        file=upload(data, "catalog.xlsx" if xlsx else "catalog.csv"),
        images=_zip(entries) if entries is not None else None,
    )


@pytest.mark.parametrize("xlsx", [False, True])
def test_rows_get_the_pictures_they_name(world, contract, xlsx):
    aa, aaa = picture("PNG", (100, 100), (255, 0, 0)), picture("JPEG", (80, 120), (0, 0, 255))
    imp = _run(
        world,
        contract,
        [row("AA-1", image="aa.png"), row("AAA-1", image="photos/AAA.jpg"), row("C-1", image="")],
        {"aa.png": aa, "photos/aaa.jpg": aaa, "__MACOSX/._aa.png": b"junk"},
        xlsx=xlsx,
    )
    assert imp.status == "applied", imp.errors or imp.failure
    images = dict(CatalogItem.objects.values_list("sku", "image_id"))
    assert images == {
        "AA-1": hashlib.sha256(aa).hexdigest(),
        "AAA-1": hashlib.sha256(aaa).hexdigest(),
        "C-1": None,
    }
    assert set(CatalogImage.objects.values_list("format", "status")) == {("PNG", "processing"), ("JPEG", "processing")}
    assert OutboxTask.objects.filter(task_name="contracts.image_process").count() == 2
    assert len([p for p in stored_pictures() if p.startswith("originals/")]) == 2


def test_an_empty_image_cell_keeps_the_picture_and_a_new_one_counts_as_a_change(world, contract):
    first, second = picture("PNG", (90, 90), (1, 2, 3)), picture("PNG", (90, 90), (4, 5, 6))
    assert _run(world, contract, [row("AA-1", image="a.png")], {"a.png": first}).status == "applied"
    again = _run(world, contract, [row("AA-1", image="")])
    assert again.status == "applied" and again.counts["unchanged"] == 1
    assert CatalogItem.objects.get().image_id == hashlib.sha256(first).hexdigest()
    changed = _run(world, contract, [row("AA-1", image="b.png")], {"b.png": second})
    assert changed.status == "applied" and changed.counts["changed"] == 1
    assert CatalogItem.objects.get().image_id == hashlib.sha256(second).hexdigest()


@pytest.mark.parametrize(
    ("entries", "cell", "reason"),
    [
        ({"aa.png": picture()}, "missing.png", "missing.png is not in the ZIP of pictures (1 file)"),
        ({"aa.jpg": b"sku,name\nAA-1,not a picture\n"}, "aa.jpg", "Not a picture: upload a JPEG, PNG or WebP file"),
        ({"bomb.png": png_claiming(40_000, 40_000)}, "bomb.png", "too many pixels"),
        (None, "aa.png", "No ZIP of pictures was uploaded with this file"),
        ({"aa.png": picture()}, "=HYPERLINK(1)", "Formulas are not allowed"),
    ],
)
def test_a_bad_picture_rejects_the_file_and_nothing_is_applied_or_stored(world, contract, entries, cell, reason):
    make_item(contract, "AA-1")
    before = catalog_state(contract)
    imp = _run(world, contract, [row("AA-1", contract_price="13.00"), row("B-2", image=cell)], entries)
    assert imp.status == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in imp.errors] == [(3, "image", cell)]
    assert reason in imp.errors[0]["reason"]
    assert catalog_state(contract) == before
    assert not CatalogImage.objects.exists()
    assert not OutboxTask.objects.filter(task_name="contracts.image_process").exists()
    assert stored_pictures() == []


@pytest.mark.parametrize(
    ("entries", "name", "message"),
    [
        ({"../../etc/cron.d/evil.png": picture()}, "pictures.zip", "unsafe name"),
        ({"/abs/evil.png": picture()}, "pictures.zip", "unsafe name"),
        (None, "pictures.zip", "not a ZIP archive"),
        ({"a.png": picture()}, "pictures.rar", "one ZIP archive (.zip)"),
    ],
)
def test_an_unusable_zip_is_refused_at_upload_and_nothing_is_stored(world, contract, entries, name, message):
    data = zip_of(entries) if entries is not None else picture()
    before = catalog_state(contract)
    with pytest.raises(ApplicationError) as refused:
        catalog_import_create(
            contract=contract,
            actor=world.catalog_manager,
            file=upload(csv_bytes([row("AA-1", image="evil.png")], header=WITH_IMAGE)),
            images=SimpleUploadedFile(name, data),
            run_async=False,
        )
    assert refused.value.code == "invalid_images" and message in refused.value.fields["images"][0]
    assert not CatalogImport.objects.exists()
    assert catalog_state(contract) == before and stored_pictures() == []


def test_the_upload_page_and_api_take_the_zip(client, world, contract):
    client.force_login(world.catalog_manager)
    catalog = csv_bytes([row("AA-1", image="aa.png")], header=WITH_IMAGE)
    response = client.post(
        f"/suppliers/{world.supplier.slug}/catalog/imports/new/",
        {"contract": contract.number, "mode": "upsert", "file": upload(catalog), "images": _zip({"aa.png": picture()})},
    )
    assert response.status_code == 302
    imp = CatalogImport.objects.get()
    assert imp.images_name == "pictures.zip" and imp.images.name.endswith(".images.zip")

    bad = client.post(
        f"/api/v1/suppliers/{world.supplier.slug}/catalog-imports/",
        {"contract": contract.number, "file": upload(catalog), "images": _zip({"../x.png": picture()})},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_images" and "unsafe name" in bad.json()["error"]["message"]
    assert CatalogImport.objects.count() == 1

    page = client.post(
        f"/suppliers/{world.supplier.slug}/catalog/imports/new/",
        {"contract": contract.number, "mode": "upsert", "file": upload(catalog), "images": _zip({"/x.png": picture()})},
    )
    assert page.status_code == 400 and "unsafe name" in page.content.decode()
    assert CatalogImport.objects.count() == 1
