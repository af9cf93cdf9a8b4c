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
