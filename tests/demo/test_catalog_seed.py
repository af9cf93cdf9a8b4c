"""The demo catalog: realistic, deterministic, idempotent, respecting the contract's minimum discount."""

from collections import Counter
from decimal import Decimal

import pytest

from contracts.catalog.categories import CATEGORY_TREE
from contracts.models import CatalogItem, PriceChange, SearchWord
from marketplace.demo.catalog import catalog_rows, seed_catalog, seed_catalog_bulk
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def _snapshot(contract):
    return list(
        CatalogItem.objects.filter(contract=contract)
        .order_by("sku")
        .values_list("sku", "name", "mpn", "list_price", "contract_price", "attributes")
    )


def test_2000_rows_cover_every_leaf_category_at_about_30_percent_off():
    contract = ContractFactory.build(min_discount_percent=Decimal("30.00"))

    rows = catalog_rows(contract, items=2000)

    leaves = {slug for _top, _name, children in CATEGORY_TREE for slug, _child in children}
    assert set(Counter(r["category"] for r in rows)) == leaves
    assert len({r["sku"] for r in rows}) == 2000 and len({r["name"] for r in rows}) == 2000
    discounts = [1 - r["contract_price"] / r["list_price"] for r in rows]
    assert min(discounts) >= Decimal("0.30")
    assert Decimal("0.30") < sum(discounts) / len(discounts) < Decimal("0.36")
    assert catalog_rows(contract, items=2000) == rows  # deterministic
    names = " ".join(r["name"] for r in rows)
    assert (
        "Duracell Procell AA Alkaline Battery, 24-pack" in names and "APC RBC7 Replacement Battery Cartridge" in names
    )


def test_seed_catalog_is_idempotent_with_one_initial_price_each():
    contract = ContractFactory()

    counts = seed_catalog(contract, items=60)
    first = _snapshot(contract)
    again = seed_catalog(contract, items=60)

    assert counts["items"] == 60 and counts["price_history_added"] == 60 and again["price_history_added"] == 0
    assert _snapshot(contract) == first
    assert PriceChange.objects.filter(item__contract=contract, status="applied").count() == 60
    assert SearchWord.objects.filter(word="battery").exists() or SearchWord.objects.filter(word="led").exists()


def test_bulk_tops_up_with_copy_and_keeps_existing_items():
    contract = ContractFactory()
    seed_catalog(contract, items=20)

    first = seed_catalog_bulk(contract, items=120, log=lambda *_: None)
    second = seed_catalog_bulk(contract, items=120, log=lambda *_: None)

    assert first["added"] == 100 and second["added"] == 0
    assert CatalogItem.objects.filter(contract=contract).count() == 120
    assert PriceChange.objects.filter(item__contract=contract).count() == 20  # no history for bulk items
    bulk = CatalogItem.objects.filter(contract=contract, sku__startswith="BCX-").first()
    assert bulk.search_vector and bulk.contract_price < bulk.list_price


@pytest.mark.django_db(transaction=True)
def test_bulk_load_outside_a_transaction_is_vacuumed_so_autovacuum_has_nothing_left_to_do():
    """A million fresh rows left to autovacuum meant minutes of vacuuming during the benchmark that followed, and
    index scans visiting the heap until it finished: the bulk load vacuums (and analyzes) the table itself."""
    from django.db import connection

    contract = ContractFactory()
    seed_catalog(contract, items=20)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_get_vacuum_count('contracts_catalogitem'::regclass)")
        before = cursor.fetchone()[0]
    logged = []

    seed_catalog_bulk(contract, items=520, log=logged.append)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pg_stat_get_vacuum_count('contracts_catalogitem'::regclass), relallvisible FROM pg_class "
            "WHERE oid = 'contracts_catalogitem'::regclass"
        )
        after, all_visible = cursor.fetchone()
    assert after == before + 1 and all_visible > 0
    assert any(line.strip().startswith("vacuumed and analyzed at") for line in logged)
