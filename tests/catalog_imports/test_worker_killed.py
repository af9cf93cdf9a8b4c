"""A worker killed (SIGKILL) in the middle of applying an import: PostgreSQL rolls the transaction back,
the reaper marks the import failed, nothing partial is visible, and a retry applies the whole file."""

import signal
import time
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.catalog.services.imports import (
    catalog_import_confirm,
    catalog_import_create,
    catalog_import_reap,
    catalog_import_retry,
)
from contracts.models import CatalogImport, CatalogItem, ImportStatus, PriceChange
from tests.catalog_imports.conftest import csv_bytes, row

ROWS = 30_000  # enough that applying takes seconds on a 2-core machine


def _wait(predicate, timeout=120.0, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting")


def _status(imp):
    return CatalogImport.objects.unscoped().values_list("status", "started_at").get(pk=imp.pk)


def test_killed_worker_leaves_nothing_partial_and_retry_applies_everything(worker, world, contract):
    data = csv_bytes([row(sku=f"KILL-{i:06d}", mpn=f"K{i:06d}") for i in range(ROWS)])
    imp = catalog_import_create(
        contract=contract, actor=world.catalog_manager, file=SimpleUploadedFile("big.csv", data, "text/csv")
    )
    _wait(lambda: _status(imp)[0] == ImportStatus.PREVIEW)  # validated by the worker
    catalog_import_confirm(imp=imp, actor=world.catalog_manager)
    _wait(lambda: _status(imp)[1] is not None)  # the worker started applying

    time.sleep(0.5)
    worker.proc.send_signal(signal.SIGKILL)
    worker.proc.wait(10)

    # PostgreSQL notices the dropped connection, rolls back and frees the import's lock; the reaper then
    # fails it (a zero grace period instead of the production two minutes).
    _wait(lambda: catalog_import_reap(stale_after=timedelta(0)) == 1, timeout=30, step=0.5)
    failed = CatalogImport.objects.unscoped().get(pk=imp.pk)
    assert failed.status == ImportStatus.FAILED
    assert "Retry" in failed.failure
    assert not CatalogItem.objects.filter(contract=contract).exists()
    assert not PriceChange.objects.filter(item__contract=contract).exists()

    worker.ensure_running()
    retry = catalog_import_retry(imp=failed, actor=world.catalog_manager)
    _wait(lambda: _status(retry)[0] == ImportStatus.PREVIEW)
    catalog_import_confirm(imp=retry, actor=world.catalog_manager)
    _wait(lambda: _status(retry)[0] == ImportStatus.APPLIED)
    assert CatalogItem.objects.filter(contract=contract).count() == ROWS
