"""The contract-price guard in the database: a purchase-order line can only carry the contract price in effect
for its item on the order's date.

BEFORE INSERT OR UPDATE on orders_purchaseorderline, the trigger refuses (SQLSTATE 23514, check_violation,
which Django raises as IntegrityError) unless NEW.price_change_id
- exists, belongs to NEW.item_id and took effect (status `applied`, or `approved` for an increase the co-op
  approved: both are prices in effect, see contracts.catalog.services.pricing),
- has new_price = NEW.unit_price, and
- is the latest such change effective on or before the PO's order_date (ties by id; a PO without an
  order_date is checked against the latest change).
An UPDATE that leaves unit_price, price_change_id and item_id alone (shipping and cancelling quantities) is not
re-checked: a price change that took effect after the order must not block its fulfilment.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION orders_po_line_price_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pc RECORD;
    order_day date;
    latest_id bigint;
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.unit_price = OLD.unit_price
       AND NEW.price_change_id = OLD.price_change_id
       AND NEW.item_id = OLD.item_id THEN
        RETURN NEW;
    END IF;
    SELECT id, item_id, new_price, status INTO pc FROM contracts_pricechange WHERE id = NEW.price_change_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'contract price guard: price change % does not exist', NEW.price_change_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF pc.item_id <> NEW.item_id THEN
        RAISE EXCEPTION 'contract price guard: price change % is for item %, not item %',
            pc.id, pc.item_id, NEW.item_id USING ERRCODE = 'check_violation';
    END IF;
    IF pc.status NOT IN ('applied', 'approved') THEN
        RAISE EXCEPTION 'contract price guard: price change % is not in effect (status %)', pc.id, pc.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.unit_price IS DISTINCT FROM pc.new_price THEN
        RAISE EXCEPTION 'contract price guard: unit price % is not the contract price % (price change %)',
            NEW.unit_price, pc.new_price, pc.id USING ERRCODE = 'check_violation';
    END IF;
    SELECT order_date INTO order_day FROM orders_purchaseorder WHERE id = NEW.purchase_order_id;
    SELECT id INTO latest_id FROM contracts_pricechange
     WHERE item_id = NEW.item_id
       AND status IN ('applied', 'approved')
       AND effective_date <= COALESCE(order_day, 'infinity'::date)
     ORDER BY effective_date DESC, id DESC
     LIMIT 1;
    IF latest_id IS DISTINCT FROM pc.id THEN
        RAISE EXCEPTION 'contract price guard: price change % is not the price in effect for item % on % (% is)',
            pc.id, NEW.item_id, COALESCE(order_day::text, 'the order date'), latest_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER orders_po_line_price_guard
BEFORE INSERT OR UPDATE ON orders_purchaseorderline
FOR EACH ROW EXECUTE FUNCTION orders_po_line_price_guard();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS orders_po_line_price_guard ON orders_purchaseorderline;
DROP FUNCTION IF EXISTS orders_po_line_price_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
