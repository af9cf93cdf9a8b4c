"""Card payments (agency pages and API), the Stripe webhook, and supplier credit memos with their refunds."""
