"""Search over the whole catalog (decision 0016): indexes in the orders the engine walks, edit-distance typo
correction and document frequencies in the unique-words table.

- `catalogitem_active_static`: the static relevance order, `(length(name), name, sku, id)` over active items.
  A broad query walks it with the text as a filter, so its first page never depends on load order.
- `catalogitem_active_category_name` / `_category_savings`: browsing a category by name or savings reads the
  category's rows in order instead of filtering a whole-catalog index (the price order already exists).
- `fuzzystrmatch` (levenshtein) corrects short typos whose trigram similarity is too low (`lithuim`).
- `searchword_first_length` finds those candidates without reading every word.
- `SearchWord.ndoc`: how many items use the word, so a correction prefers the common word.
"""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models

SAVINGS = "((list_price - contract_price) / NULLIF(list_price, 0))"

INDEXES = {
    "catalogitem_active_static": "(hashtext(sku), sku, id)",
    "catalogitem_active_category_name": "(category_id, name, sku, id)",
    "catalogitem_active_category_savings": f"(category_id, {SAVINGS} DESC NULLS LAST, sku, id)",
}
# The browse orders of 0003 break ties by SKU before id, so equal names or prices list in the same order
# whatever the order items were loaded in (ids follow the load order). (name, before, after)
TIES = [
    ("catalogitem_active_name", "(name, id)", "(name, sku, id)"),
    ("catalogitem_active_price", "(contract_price, id)", "(contract_price, sku, id)"),
    ("catalogitem_active_savings", f"({SAVINGS} DESC NULLS LAST, id)", f"({SAVINGS} DESC NULLS LAST, sku, id)"),
    ("catalogitem_active_manufacturer", "(manufacturer, name, id)", "(manufacturer, name, sku, id)"),
    ("catalogitem_active_category_price", "(category_id, contract_price, id)", "(category_id, contract_price, sku, id)"),
]


def _index(name: str, columns: str) -> str:
    return f"DROP INDEX IF EXISTS {name}; CREATE INDEX {name} ON contracts_catalogitem {columns} WHERE status = 'active'"


class Migration(migrations.Migration):
    dependencies = [("contracts", "0007_kept_upload")]

    operations = [
        CreateExtension("fuzzystrmatch"),
        migrations.AddField(
            model_name="searchword",
            name="ndoc",
            field=models.PositiveIntegerField(default=0, help_text="Items whose text uses the word (at refresh)."),
        ),
        *(
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON contracts_catalogitem {columns} WHERE status = 'active'",
                f"DROP INDEX IF EXISTS {name}",
            )
            for name, columns in INDEXES.items()
        ),
        *(migrations.RunSQL(_index(name, after), _index(name, before)) for name, before, after in TIES),
        migrations.RunSQL(  # edit-distance candidates: same first letter, similar length
            "CREATE INDEX IF NOT EXISTS searchword_first_length ON contracts_searchword (left(word, 1), length(word))",
            "DROP INDEX IF EXISTS searchword_first_length",
        ),
    ]
