"""Applying: upsert vs replace, decreases at once, increases pending, history, atomicity."""

from decimal import Decimal

import pytest

from contracts.models import CatalogItem, ImportStatus, PriceChange
from marketplace.core.models import AuditEvent, Notification
from tests.catalog_imports.conftest import catalog_state, make_item, row

pytestmark = pytest.mark.django_db


def _item(contract, sku):
    return CatalogItem.objects.get(contract=contract, sku=sku)


def test_upsert_adds_and_changes_and_leaves_others(run, contract):
    make_item(contract, "OLD-1")
    make_item(contract, "CHG-1", name="Old name")

    imp = run([row("CHG-1", name="New name"), row("NEW-1")])

    assert imp.status == ImportStatus.APPLIED
    assert imp.counts | {"pending_created": 0} == {
        "added": 1,
        "changed": 1,
        "unchanged": 0,
        "increases": 0,
        "decreases": 0,
        "discontinued": 0,
        "pending_created": 0,
    }
    assert _item(contract, "CHG-1").name == "New name"
    assert _item(contract, "OLD-1").status == "active"  # upsert never discontinues
    assert _item(contract, "NEW-1").status == "active"


def test_replace_discontinues_items_missing_from_the_file(run, contract):
    make_item(contract, "GONE-1")
    make_item(contract, "KEEP-1")

    imp = run([row("KEEP-1", name="AA battery")], mode="replace")

    assert imp.status == ImportStatus.APPLIED
    assert imp.counts["discontinued"] == 1
    assert _item(contract, "GONE-1").status == "discontinued"
    assert _item(contract, "KEEP-1").status == "active"


def test_preview_counts_match_what_is_applied(world, contract):
    from contracts.catalog.services.imports import catalog_import_create, catalog_import_validate
    from tests.catalog_imports.conftest import csv_bytes, upload

    make_item(contract, "UP-1", price="10.00", list_price="20.00")
    make_item(contract, "DOWN-1", price="12.00", list_price="20.00")
    make_item(contract, "SAME-1", name="AA battery")
    make_item(contract, "GONE-1")
    rows = [
        row("UP-1", contract_price="11.00"),
        row("DOWN-1", contract_price="9.00"),
        row(
            "SAME-1",
            name="AA battery",
            description="",
            manufacturer="",
            mpn="",
            unspsc="",
            unit="EA",
            pack_size="1",
            lead_time_days="",
            image_url="",
            attributes="",
        ),
        row("NEW-1"),
    ]
    imp = catalog_import_create(
        contract=contract, actor=world.catalog_manager, file=upload(csv_bytes(rows)), mode="replace", run_async=False
    )
    catalog_import_validate(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEW
    assert imp.preview["counts"] == {
        "added": 1,
        "changed": 2,
        "unchanged": 1,
        "increases": 1,
        "decreases": 1,
        "discontinued": 1,
    }
    assert imp.preview["samples"]["increases"][0]["sku"] == "UP-1"
    assert imp.preview["samples"]["discontinued"][0]["sku"] == "GONE-1"
    assert _item(contract, "DOWN-1").contract_price == Decimal("12.00")  # a preview changes nothing


def test_decrease_applies_at_once_with_history(run, contract):
    make_item(contract, "D-1", price="14.00")

    imp = run([row("D-1", contract_price="12.50")])

    item = _item(contract, "D-1")
    assert item.contract_price == Decimal("12.50")
    change = PriceChange.objects.filter(item=item).order_by("pk").last()
    assert (change.status, change.old_price, change.new_price) == ("applied", Decimal("14.00"), Decimal("12.50"))
    assert change.effective_date is not None and change.source_import_id == imp.pk
    assert imp.counts["decreases"] == 1


def test_increase_waits_for_the_coop(run, contract, world):
    make_item(contract, "I-1", price="12.00", list_price="20.00")

    imp = run([row("I-1", contract_price="13.00", list_price="21.00", name="Renamed")])

    item = _item(contract, "I-1")
    assert item.contract_price == Decimal("12.00") and item.list_price == Decimal("20.00")  # unchanged until approved
    assert item.name == "Renamed"  # other fields apply at once
    pending = PriceChange.objects.get(item=item, status="pending")
    assert (pending.old_price, pending.new_price, pending.new_list_price) == (
        Decimal("12.00"),
        Decimal("13.00"),
        Decimal("21.00"),
    )
    assert imp.counts["increases"] == 1 and imp.counts["pending_created"] == 1
    assert Notification.objects.filter(user=world.coop_staff, title__contains="price increase", kind="catalog").exists()


def test_a_new_file_supersedes_an_older_pending_increase(run, contract):
    make_item(contract, "I-1", price="12.00")
    run([row("I-1", contract_price="13.00")])
    run([row("I-1", contract_price="13.50")])

    changes = PriceChange.objects.filter(item__sku="I-1").order_by("pk")
    assert [c.status for c in changes] == ["applied", "rejected", "pending"]
    assert "Superseded" in changes[1].reason
    assert changes[2].new_price == Decimal("13.50")


def test_same_increase_again_keeps_the_one_request(run, contract):
    make_item(contract, "I-1", price="12.00")
    run([row("I-1", contract_price="13.00")])
    run([row("I-1", contract_price="13.00")])
    assert PriceChange.objects.filter(item__sku="I-1", status="pending").count() == 1
    assert PriceChange.objects.filter(item__sku="I-1", status="rejected").count() == 0


def test_rejected_file_leaves_the_catalog_exactly_as_it_was(run, contract):
    make_item(contract, "A-1", price="14.00")
    before = catalog_state(contract)

    imp = run([row("A-1", contract_price="10.00"), row("B-1"), row("C-1", list_price="oops")], mode="replace")

    assert imp.status == ImportStatus.REJECTED
    assert catalog_state(contract) == before


def test_apply_writes_audit_rows(run, contract, world):
    imp = run([row("A-1")])
    actions = set(
        AuditEvent.objects.filter(object_id=str(imp.pk), object_type="contracts.catalogimport").values_list(
            "action", flat=True
        )
    )
    assert {
        "catalog_import.upload",
        "catalog_import.preview",
        "catalog_import.confirm",
        "catalog_import.applied",
    } <= actions
    assert AuditEvent.objects.filter(action="catalog_import.applied", organization=world.supplier).exists()


def test_pricing_basis_changed_after_preview_fails_and_applies_nothing(world, contract):
    from contracts.catalog.services.imports import (
        catalog_import_apply,
        catalog_import_confirm,
        catalog_import_create,
        catalog_import_validate,
    )
    from tests.catalog_imports.conftest import csv_bytes, upload

    imp = catalog_import_create(
        contract=contract, actor=world.catalog_manager, file=upload(csv_bytes([row("A-1")])), run_async=False
    )
    catalog_import_validate(import_id=imp.pk)
    imp.refresh_from_db()
    catalog_import_confirm(imp=imp, actor=world.catalog_manager, run_async=False)
    contract.min_discount_percent = Decimal("40.00")  # 14.00 is no longer 40% off 20.00
    contract.save()

    catalog_import_apply(import_id=imp.pk)

    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED
    assert "pricing basis" in imp.failure and "Nothing was applied" in imp.failure
    assert not CatalogItem.objects.filter(contract=contract).exists()
