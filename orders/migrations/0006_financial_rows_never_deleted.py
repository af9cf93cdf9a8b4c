"""Nothing financial is ever hard-deleted (corrections are reversing rows): DELETE on invoices, their lines,
payments, credit memos, admin-fee accruals, Stripe events and receipts raises in the database; an admin-fee
accrual cannot be updated either (a later rate change never rewrites history)."""

from django.db import migrations

TABLES = [
    "orders_invoice",
    "orders_invoiceline",
    "orders_payment",
    "orders_creditmemo",
    "orders_adminfeeaccrual",
    "orders_stripeevent",
    "orders_receipt",
    "orders_receiptline",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION orders_financial_row_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are kept (% refused): record a reversing entry instead', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

FORWARD = FUNCTION + "".join(
    f"CREATE TRIGGER {table}_kept BEFORE {'UPDATE OR DELETE' if table == 'orders_adminfeeaccrual' else 'DELETE'} "
    f"ON {table} FOR EACH ROW EXECUTE FUNCTION orders_financial_row_kept();\n"
    for table in TABLES
)

BACKWARD = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_kept ON {table};\n" for table in TABLES)
    + "DROP FUNCTION IF EXISTS orders_financial_row_kept();\n"
)


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_receiving_billing")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
