"""Limits (size, rows, zip bomb), the one-applying-import rule, the reaper and retry, the management command."""

import io
import os
import subprocess
import sys
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from contracts.catalog.imports import parsing, validation
from contracts.catalog.services.imports import (
    catalog_import_confirm,
    catalog_import_create,
    catalog_import_reap,
    catalog_import_retry,
    catalog_import_validate,
)
from contracts.models import CatalogImport, CatalogItem, ImportStatus
from marketplace.core.errors import ApplicationError
from marketplace.core.models import OutboxTask
from tests.catalog_imports.conftest import catalog_state, csv_bytes, make_item, row, upload
from tests.conftest import _test_database_url

pytestmark = pytest.mark.django_db


def _zip_bomb() -> bytes:
    """A valid-looking workbook with one member that unzips to 201 MB of zeros (about 200 KB zipped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(201):
                member.write(chunk)
    return out.getvalue()


def test_zip_bomb_is_refused_before_it_is_opened(run, contract):
    data = _zip_bomb()
    assert len(data) < 1024 * 1024
    imp = run(data, name="catalog.xlsx")
    assert imp.status == ImportStatus.REJECTED
    assert "expands to 201.0 MB" in imp.errors[0]["reason"] and "limit is 200.0 MB" in imp.errors[0]["reason"]
    assert not CatalogItem.objects.filter(contract=contract).exists()


def test_file_over_25_mb_is_refused(world, contract):
    big = b"sku,name,category,list_price,contract_price\n" + b"x" * parsing.MAX_FILE_BYTES
    with pytest.raises(parsing.FileRejected, match=r"the limit is 25\.0 MB"):
        parsing.open_table(big, "big.csv")
    with pytest.raises(ApplicationError) as raised:
        catalog_import_create(contract=contract, actor=world.catalog_manager, file=upload(big), run_async=False)
    assert raised.value.code == "file_too_large"
    assert not CatalogImport.objects.exists()


def test_row_limit(run, monkeypatch):
    monkeypatch.setattr(validation, "MAX_ROWS", 3)  # the real limit is 200,000; the rule is the same
    imp = run([row(f"R{n}") for n in range(5)])
    assert imp.status == ImportStatus.REJECTED
    assert "More than 3 rows" in imp.errors[-1]["reason"]


def _previewed(world, contract, sku="A-1"):
    imp = catalog_import_create(
        contract=contract, actor=world.catalog_manager, file=upload(csv_bytes([row(sku)])), run_async=False
    )
    catalog_import_validate(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEW
    return imp


def test_second_confirm_while_one_applies_is_refused(world, contract):
    first, second = _previewed(world, contract, "A-1"), _previewed(world, contract, "B-1")
    catalog_import_confirm(imp=first, actor=world.catalog_manager, run_async=False)
    before = catalog_state(contract)

    with pytest.raises(ApplicationError) as raised:
        catalog_import_confirm(imp=second, actor=world.supplier_admin, run_async=False)

    assert raised.value.code == "import_in_progress" and raised.value.status_code == 409
    assert "being applied" in raised.value.message
    second.refresh_from_db()
    assert second.status == ImportStatus.PREVIEW and second.confirmed_by is None
    assert catalog_state(contract) == before


def test_confirm_twice_is_refused(world, contract):
    imp = _previewed(world, contract)
    catalog_import_confirm(imp=imp, actor=world.catalog_manager, run_async=False)
    with pytest.raises(ApplicationError) as raised:
        catalog_import_confirm(imp=imp, actor=world.catalog_manager, run_async=False)
    assert raised.value.code == "not_confirmable"


def test_reaper_fails_stale_imports_and_retry_runs_the_file_again(world, contract):
    imp = _previewed(world, contract)
    catalog_import_confirm(imp=imp, actor=world.catalog_manager, run_async=False)
    CatalogImport.objects.filter(pk=imp.pk).update(
        started_at=timezone.now() - timedelta(minutes=5), heartbeat_at=timezone.now() - timedelta(minutes=3)
    )
    fresh = _previewed(world, contract, "B-1")  # previews are never reaped

    assert catalog_import_reap() == 1

    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED
    assert "worker stopped while applying" in imp.failure and "Retry" in imp.failure
    assert CatalogImport.objects.get(pk=fresh.pk).status == ImportStatus.PREVIEW
    assert not CatalogItem.objects.filter(contract=contract).exists()  # nothing partial

    retry = catalog_import_retry(imp=imp, actor=world.supplier_admin)
    assert retry.pk != imp.pk and retry.file.name == imp.file.name and retry.status == ImportStatus.QUEUED
    assert OutboxTask.objects.filter(task_name="contracts.import_validate", args=[retry.pk]).exists()
    catalog_import_validate(import_id=retry.pk)
    retry.refresh_from_db()
    assert retry.status == ImportStatus.PREVIEW and retry.counts["added"] == 1


def test_recent_heartbeat_is_not_reaped(world, contract):
    imp = _previewed(world, contract)
    catalog_import_confirm(imp=imp, actor=world.catalog_manager, run_async=False)
    assert catalog_import_reap() == 0
    assert CatalogImport.objects.get(pk=imp.pk).status == ImportStatus.APPLYING


def test_only_failed_imports_can_be_retried(world, contract):
    imp = _previewed(world, contract)
    with pytest.raises(ApplicationError) as raised:
        catalog_import_retry(imp=imp, actor=world.catalog_manager)
    assert raised.value.code == "not_retryable"
    assert CatalogImport.objects.count() == 1


# --- manage.py import_catalog ---------------------------------------------------------------------------


def test_command_applies_and_summarises(tmp_path, contract, world, capsys):
    path = tmp_path / "catalog.csv"
    path.write_bytes(csv_bytes([row("A-1"), row("A-2")]))
    call_command("import_catalog", str(path), "--contract", contract.number, "--as", world.catalog_manager.email)
    out = capsys.readouterr().out
    assert "Applied catalog.csv to CT-ALPHA (upsert): 2 rows — 2 added" in out
    assert CatalogItem.objects.filter(contract=contract).count() == 2


def test_command_lists_every_error_and_exits_non_zero(tmp_path, contract, capsys):
    make_item(contract, "KEEP-1")
    before = catalog_state(contract)
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([row("A-1", category="Nope"), row("A-2", list_price="x"), row("A-3")]))

    with pytest.raises(CommandError) as raised:
        call_command("import_catalog", str(path), "--contract", contract.number, "--mode", "replace")

    assert raised.value.returncode == 1
    assert "Rejected: 2 errors" in str(raised.value)
    err = capsys.readouterr().err
    assert "row 2, column category [Nope]: Unknown category" in err
    assert "row 3, column list_price [x]:" in err
    assert catalog_state(contract) == before


def test_command_exit_code_in_a_real_process(tmp_path):
    """The exit status a shell sees (call_command raises; manage.py turns that into exit 1)."""
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([row("A-1", category="Nope")]))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", "DATABASE_URL": _test_database_url()}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_catalog", str(path), "--contract", "NO-SUCH"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1 and "No contract numbered NO-SUCH" in result.stderr
