"""Terminating a contract, as co-op staff confirm it: the page shows what the termination affects downstream (open
carts, orders not yet sent), which only `orders` may read, so the page lives here (docs/architecture.md: a page goes
in the lowest app whose imports allow it). The status change itself is `contracts.services.contract_transition`."""
