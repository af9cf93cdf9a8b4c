"""The import pipeline end to end, synchronously (the same services the worker runs)."""

from decimal import Decimal

import pytest

from contracts.models import CatalogItem, ImportStatus, PriceChange, SearchWord
from tests.catalog_imports.conftest import row

pytestmark = pytest.mark.django_db


def test_clean_file_is_applied_with_initial_price_history(run, contract, world):
    imp = run([row("AA-1"), row("AA-2", name="Lantern battery 6V", contract_price="$1,234.50", list_price="$2,000.00")])

    assert imp.status == ImportStatus.APPLIED, (imp.errors, imp.failure)
    assert imp.counts["added"] == 2
    items = {i.sku: i for i in CatalogItem.objects.filter(contract=contract)}
    assert items["AA-2"].contract_price == Decimal("1234.50")
    assert items["AA-1"].attributes == {"chemistry": "alkaline", "voltage": "1.5 V"}
    assert items["AA-1"].category_path == "Batteries > Alkaline & lithium cells"
    history = PriceChange.objects.get(item=items["AA-1"])
    assert history.status == "applied" and history.old_price is None and history.new_price == Decimal("14.00")
    assert history.source_import_id == imp.pk
    words = dict(SearchWord.objects.values_list("word", "ndoc"))
    assert words["lantern"] == 1 and words["battery"] == 2  # with how many imported items use each (typo ranking)


def _analyze_counts() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pg_stat_get_analyze_count('contracts_catalogitem'::regclass), "
            "pg_stat_get_analyze_count('contracts_pricechange'::regclass)"
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_a_large_import_is_followed_by_analyze_of_the_item_and_price_tables(run, monkeypatch):
    """Statistics that never saw a big import's rows made the planner join them by nested loops (a delete of a
    100,000-row contract's history ran for minutes): an import of ANALYZE_AFTER_ROWS rows or more analyzes both
    tables once it has committed; a smaller one leaves it to autovacuum."""
    from contracts.catalog.services import imports

    monkeypatch.setattr(imports, "ANALYZE_AFTER_ROWS", 3)  # the threshold, not the behaviour, is made small
    before = _analyze_counts()
    small = run([row("AA-1"), row("AA-2")])
    after_small = _analyze_counts()
    large = run([row("AA-1"), row("AA-2"), row("AA-3")])
    after_large = _analyze_counts()

    assert small.status == large.status == ImportStatus.APPLIED
    assert after_small == before
    assert after_large == (before[0] + 1, before[1] + 1)
