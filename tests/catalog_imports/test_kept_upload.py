"""The upload form keeps the chosen file when it is refused for another reason (no contract chosen), and
preselects the contract when there is one (or the page was opened from a contract's link)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.storage import default_storage

from contracts.catalog.services.kept_uploads import (
    KEEP_FOR,
    KEEP_SALT,
    kept_upload_create,
    kept_upload_resolve,
    kept_upload_sweep,
    kept_upload_token,
)
from contracts.models import CatalogImport, KeptUpload
from tests.catalog_imports.conftest import csv_bytes, row, upload
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

DATA = csv_bytes([row("KEEP-1"), row("KEEP-2")])


def _new(world, org=None):
    return f"/suppliers/{(org or world.supplier).slug}/catalog/imports/new/"


def _token(body: str) -> str:
    match = re.search(r'name="kept_file" value="([^"]+)"', body)
    assert match, "the page carries no kept-file token"
    return match.group(1)


def _refused_with_file(client, world, contract_number=""):
    response = client.post(
        _new(world), {"contract": contract_number, "mode": "upsert", "file": upload(DATA, "catalog.csv")}
    )
    assert response.status_code == 400
    return response.content.decode()


def test_a_refused_form_keeps_the_file_and_the_resubmission_uses_it(client, world, contract):
    client.force_login(world.catalog_manager)
    ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-SECOND")  # two: none preselected

    body = _refused_with_file(client, world)

    assert "This field is required." in body
    text = re.sub(r"<[^>]+>", "", body).replace("\xa0", " ")
    assert f"Keeps: catalog.csv ({len(DATA)} bytes) — choose another file to replace it" in text
    assert not CatalogImport.objects.exists()
    kept = KeptUpload.objects.get()
    assert (kept.supplier, kept.created_by, kept.original_name) == (
        world.supplier,
        world.catalog_manager,
        "catalog.csv",
    )

    response = client.post(_new(world), {"contract": contract.number, "mode": "upsert", "kept_file": _token(body)})

    imp = CatalogImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{imp.public_id}/")
    assert (imp.contract, imp.original_name) == (contract, "catalog.csv")
    with imp.file.open("rb") as handle:
        assert handle.read() == DATA
    assert not KeptUpload.objects.exists()  # used: the record goes (and its file after commit)


def test_a_new_file_replaces_the_kept_one(client, world, contract):
    client.force_login(world.catalog_manager)
    token = _token(_refused_with_file(client, world))
    other = csv_bytes([row("NEW-1")])

    response = client.post(
        _new(world),
        {"contract": contract.number, "mode": "upsert", "kept_file": token, "file": upload(other, "fixed.csv")},
    )

    assert response.status_code == 302
    imp = CatalogImport.objects.get()
    assert imp.original_name == "fixed.csv"
    with imp.file.open("rb") as handle:
        assert handle.read() == other
    assert not KeptUpload.objects.exists()


def test_a_refused_file_is_not_kept(client, world):
    client.force_login(world.catalog_manager)
    response = client.post(_new(world), {"contract": "", "mode": "upsert", "file": upload(b"%PDF-1.7", "c.pdf")})
    body = response.content.decode()
    assert response.status_code == 400 and "Keeps:" not in body and 'name="kept_file"' not in body
    assert not KeptUpload.objects.exists() and not CatalogImport.objects.exists()


def test_without_a_file_or_a_kept_one_the_form_asks_for_one(client, world, contract):
    client.force_login(world.catalog_manager)
    response = client.post(_new(world), {"contract": contract.number, "mode": "upsert"})
    assert response.status_code == 400 and "Choose a catalog file." in response.content.decode()
    assert not CatalogImport.objects.exists()


def test_another_tenant_cannot_use_the_token(client, world, contract, other_contract):
    client.force_login(world.catalog_manager)
    token = _token(_refused_with_file(client, world))
    kept = KeptUpload.objects.get()

    # the other supplier's admin sends the token with their own contract, on their own organization's URL
    client.force_login(world.other_supplier_admin)
    response = client.post(
        _new(world, world.other_supplier), {"contract": other_contract.number, "mode": "upsert", "kept_file": token}
    )

    assert response.status_code == 400 and "Choose a catalog file." in response.content.decode()
    assert "catalog.csv" not in response.content.decode()
    assert not CatalogImport.objects.exists()
    assert KeptUpload.objects.get() == kept and default_storage.exists(kept.file.name)  # nothing changed
    # … and the service says the same for any organization or user but the owner's
    assert kept_upload_resolve(supplier=world.other_supplier, actor=world.other_supplier_admin, token=token) is None
    assert kept_upload_resolve(supplier=world.supplier, actor=world.supplier_admin, token=token) is None
    assert kept_upload_resolve(supplier=world.supplier, actor=world.catalog_manager, token=token) == kept


def test_a_forged_or_expired_token_is_ignored(client, world, contract, monkeypatch):
    client.force_login(world.catalog_manager)
    _refused_with_file(client, world)
    kept = KeptUpload.objects.get()
    # a token naming the kept file but not signed with the server's key, and a path instead of a token
    forged = signing.dumps(
        f"{world.supplier.pk}:{world.catalog_manager.pk}:{kept.public_id}", key="guess", salt=KEEP_SALT
    )
    for token in (forged, kept.file.name, kept_upload_token(kept) + "x", "x" * 5000):
        response = client.post(_new(world), {"contract": contract.number, "mode": "upsert", "kept_file": token})
        assert response.status_code == 400 and "Choose a catalog file." in response.content.decode()
    assert not CatalogImport.objects.exists()

    token = kept_upload_token(kept)
    later = time.time() + KEEP_FOR.total_seconds() + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert kept_upload_resolve(supplier=world.supplier, actor=world.catalog_manager, token=token) is None


def test_sweep_removes_files_nobody_came_back_for(world, django_capture_on_commit_callbacks):
    fresh = kept_upload_create(supplier=world.supplier, actor=world.catalog_manager, file=upload(DATA))
    old = kept_upload_create(supplier=world.supplier, actor=world.catalog_manager, file=upload(DATA))
    KeptUpload.objects.unscoped().filter(pk=old.pk).update(created_at=old.created_at - KEEP_FOR - timedelta(1))

    with django_capture_on_commit_callbacks(execute=True):
        assert kept_upload_sweep() == 1

    assert list(KeptUpload.objects.unscoped().all()) == [fresh]
    assert not default_storage.exists(old.file.name) and default_storage.exists(fresh.file.name)


def test_one_contract_is_preselected(client, world, contract):
    client.force_login(world.catalog_manager)
    body = client.get(_new(world)).content.decode()
    assert f'<option value="{contract.number}" selected>' in body


def test_with_several_contracts_the_link_preselects_or_none_is(client, world, contract):
    second = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CT-SECOND")
    client.force_login(world.catalog_manager)
    assert '<option value="" selected>' in client.get(_new(world)).content.decode()
    body = client.get(_new(world), {"contract": second.number}).content.decode()
    assert f'<option value="{second.number}" selected>' in body
