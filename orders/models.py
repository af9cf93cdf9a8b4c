"""Orders: carts, requisitions, purchase orders, shipments, invoices and payments (built in the ordering issue)."""
