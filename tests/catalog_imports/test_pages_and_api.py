"""Supplier catalog pages and the import API: what a catalog manager sees and can do; query counts."""

import io

import openpyxl
import pytest

from contracts.catalog.services.imports import catalog_import_validate
from contracts.models import CatalogImport, CatalogItem, ImportStatus, PriceChange
from marketplace.core.models import OutboxTask
from tests.catalog_imports.conftest import csv_bytes, make_item, row, upload
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 25  # a list page at 1 row; at 50 rows it must run exactly as many


def _base(world):
    return f"/suppliers/{world.supplier.slug}/catalog"


def _api(world):
    return f"/api/v1/suppliers/{world.supplier.slug}/catalog-imports/"


def test_catalog_page_lists_contracts_counts_and_history(client, world, contract, run):
    make_item(contract, "A-1")
    run([row("B-1")])
    client.force_login(world.catalog_manager)
    body = client.get(_base(world) + "/").content.decode()
    assert "CT-ALPHA" in body and "catalog.csv" in body and world.catalog_manager.email in body
    assert "Applied" in body and "1 added" in body


def test_order_desk_cannot_use_catalog_pages(client, world, make_member):
    desk = make_member(world.supplier, "order_desk")
    client.force_login(desk)
    assert client.get(_base(world) + "/").status_code == 403
    assert client.post(_api(world), {}).status_code == 403


def test_templates_download(client, world):
    client.force_login(world.catalog_manager)
    text = client.get(_base(world) + "/template.csv").content.decode("utf-8-sig")
    assert text.startswith("sku,name,description,category,") and "BAT-AA-24" in text
    data = client.get(_base(world) + "/template.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "sku" and rows[1][0] == "BAT-AA-24"


def test_the_template_itself_imports_cleanly(client, world, run):
    client.force_login(world.catalog_manager)
    assert run(client.get(_base(world) + "/template.csv").content).status == ImportStatus.APPLIED


def test_upload_form_queues_validation_and_shows_progress(client, world, contract):
    client.force_login(world.catalog_manager)
    response = client.post(
        _base(world) + "/imports/new/",
        {"contract": contract.number, "mode": "upsert", "file": upload(csv_bytes([row("A-1")]))},
    )
    imp = CatalogImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{imp.public_id}/")
    assert OutboxTask.objects.filter(task_name="contracts.import_validate", args=[imp.pk]).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Waiting for a worker" in page

    catalog_import_validate(import_id=imp.pk)
    partial = client.get(response["Location"] + "status/").content.decode()
    assert "hx-trigger" not in partial and "No problems found" in partial and "Confirm and apply" in partial


def test_upload_form_errors(client, world, contract):
    client.force_login(world.catalog_manager)
    response = client.post(_base(world) + "/imports/new/", {"contract": "", "mode": "upsert"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please correct" in body and "This field is required." in body
    assert not CatalogImport.objects.exists()


def test_cannot_upload_to_someone_elses_contract(client, world, other_contract):
    client.force_login(world.supplier_admin)
    response = client.post(
        _base(world) + "/imports/new/", {"contract": other_contract.number, "mode": "upsert", "file": upload(b"x")}
    )
    assert response.status_code == 400
    assert not CatalogImport.objects.exists()


def test_rejected_import_page_shows_errors(client, world, run):
    imp = run([row("A-1", category="Nope"), row("A-2", list_price="-1")])
    client.force_login(world.catalog_manager)
    body = client.get(f"{_base(world)}/imports/{imp.public_id}/").content.decode()
    assert "2 problems found — nothing was changed" in body
    assert "Unknown category" in body and "is negative" in body
    assert "errors.csv" in body


def test_preview_confirm_cancel_from_the_page(client, world, contract):
    from contracts.catalog.services.imports import catalog_import_create

    imp = catalog_import_create(contract=contract, actor=world.catalog_manager, file=upload(csv_bytes([row()])))
    catalog_import_validate(import_id=imp.pk)
    client.force_login(world.catalog_manager)
    client.post(f"{_base(world)}/imports/{imp.public_id}/confirm/")
    imp.refresh_from_db()
    assert imp.status == ImportStatus.APPLYING and imp.confirmed_by == world.catalog_manager
    assert OutboxTask.objects.filter(task_name="contracts.import_apply", args=[imp.pk]).exists()
    response = client.post(f"{_base(world)}/imports/{imp.public_id}/cancel/", follow=True)
    assert "cannot be cancelled" in response.content.decode()
    assert CatalogImport.objects.get(pk=imp.pk).status == ImportStatus.APPLYING


# --- API -------------------------------------------------------------------------------------------------


def test_api_upload_returns_202_and_the_job(client, world, contract):
    client.force_login(world.catalog_manager)
    response = client.post(
        _api(world), {"contract": contract.number, "mode": "replace", "file": upload(csv_bytes([row()]))}
    )
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["mode"] == "replace" and job["contract"] == "CT-ALPHA"
    assert job["progress"] == {"rows_done": 0, "rows_total": 0, "percent": 0}
    assert job["url"] == f"{_api(world)}{job['id']}/"

    imp = CatalogImport.objects.get(public_id=job["id"])
    catalog_import_validate(import_id=imp.pk)
    detail = client.get(job["url"]).json()
    assert detail["status"] == "preview" and detail["preview"]["counts"]["added"] == 1
    assert detail["progress"]["percent"] == 100 and detail["errors"] == []

    confirmed = client.post(job["url"] + "confirm/")
    assert confirmed.status_code == 202 and confirmed.json()["status"] == "applying"


def test_api_rejected_import_has_errors(client, world, run):
    imp = run([row("A", category="Nope")])
    client.force_login(world.supplier_admin)
    detail = client.get(f"{_api(world)}{imp.public_id}/").json()
    assert detail["status"] == "rejected" and detail["error_count"] == 1
    assert detail["errors"] == [
        {
            "row": 2,
            "column": "category",
            "value": "Nope",
            "reason": "Unknown category: use a category's name, full path or slug.",
        }
    ]
    assert detail["error_report_url"].endswith("/errors.csv")


def test_api_refuses_confirm_while_another_applies(client, world, contract):
    from contracts.catalog.services.imports import catalog_import_confirm, catalog_import_create

    jobs = []
    for sku in ("A", "B"):
        imp = catalog_import_create(contract=contract, actor=world.catalog_manager, file=upload(csv_bytes([row(sku)])))
        catalog_import_validate(import_id=imp.pk)
        jobs.append(imp)
    catalog_import_confirm(imp=jobs[0], actor=world.catalog_manager)
    client.force_login(world.catalog_manager)

    response = client.post(f"{_api(world)}{jobs[1].public_id}/confirm/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "import_in_progress"
    assert CatalogImport.objects.get(pk=jobs[1].pk).status == ImportStatus.PREVIEW


def test_api_upload_validation_errors(client, world, contract):
    client.force_login(world.catalog_manager)
    response = client.post(_api(world), {"contract": contract.number, "mode": "sideways"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"mode", "file"}
    response = client.post(_api(world), {"contract": contract.number, "file": upload(b"x", "catalog.pdf")})
    assert response.json()["error"]["code"] == "wrong_file_type"
    assert not CatalogImport.objects.exists()


def test_api_other_suppliers_import_is_404(client, world, other_contract, run):
    imp = run([row()], on=other_contract, actor=world.other_supplier_admin)
    client.force_login(world.supplier_admin)
    assert client.get(f"{_api(world)}{imp.public_id}/").status_code == 404
    assert client.post(f"{_api(world)}{imp.public_id}/retry/").status_code == 404


# --- query counts ----------------------------------------------------------------------------------------


def _grow(world, contract, n, start):
    for i in range(start, start + n):
        CatalogImport.objects.create(
            supplier=world.supplier,
            contract=contract,
            file="catalog-imports/x.csv",
            original_name=f"f{i}.csv",
            status="applied",
            created_by=world.catalog_manager,
            confirmed_by=world.supplier_admin,
            counts={"added": 1, "changed": 0},
        )
        other = ContractFactory(cooperative=world.coop, supplier=world.supplier)
        item = make_item(other, f"Q-{i}")
        PriceChange.objects.create(
            item=item, old_price="14.00", new_price="13.00", status="pending", requested_by=world.catalog_manager
        )


@pytest.mark.parametrize(
    ("user_attr", "url"),
    [
        ("catalog_manager", "/suppliers/alpha-cells/catalog/"),
        ("catalog_manager", "/api/v1/suppliers/alpha-cells/catalog-imports/"),
        ("coop_staff", "/coops/alpha-coop/price-changes/"),
        ("coop_staff", "/api/v1/coops/alpha-coop/price-changes/"),
    ],
)
def test_same_query_count_for_1_and_50_rows(
    client, world, contract, user_attr, url, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(getattr(world, user_attr))
    _grow(world, contract, 1, 0)
    with django_assert_max_num_queries(QUERY_BUDGET) as one:
        assert client.get(url).status_code == 200
    _grow(world, contract, 49, 1)
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
    assert CatalogItem.objects.count() == 50
