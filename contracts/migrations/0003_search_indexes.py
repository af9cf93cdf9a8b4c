"""Indexes for buyer catalog search on large catalogs (see contracts/search/engine.py).

Partial indexes over *active* items, in the orders the browse window is taken in (name, price, savings)
and for the manufacturer filter. They are plain SQL (not in the model state): the savings index is on the
exact expression the search statement sorts by, and `seed_catalog_bulk` drops and rebuilds them around a
bulk COPY.
"""

from django.db import migrations

SAVINGS = "((list_price - contract_price) / NULLIF(list_price, 0))"

INDEXES = {
    "catalogitem_active_name": "(name, id)",
    "catalogitem_active_price": "(contract_price, id)",
    "catalogitem_active_savings": f"({SAVINGS} DESC NULLS LAST, id)",
    "catalogitem_active_manufacturer": "(manufacturer, name, id)",
    "catalogitem_active_category_price": "(category_id, contract_price, id)",
}


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_category_tree")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON contracts_catalogitem {columns} WHERE status = 'active'",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
