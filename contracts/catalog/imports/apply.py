"""Applying validated rows in one transaction, set-based: COPY the staged rows into a temporary table, then a
handful of statements over the whole set (no query per row).

Order inside the transaction:
1. COPY the staged rows into `import_rows` (progress reported through a separate connection).
2. Re-check the pricing rule in SQL (the contract may have changed since the preview).
3. Count added / changed / unchanged / increases / decreases against the current items.
4. Supersede pending increases the file no longer asks for; record pending increases and applied
   decreases (and list-price changes) as `PriceChange` rows.
5. INSERT … ON CONFLICT (contract_id, sku) DO UPDATE: increases keep today's prices (they wait for the
   co-op); then new items (created_at = this run's timestamp) get their initial applied price.
6. Replace mode: discontinue the contract's active items missing from the file.
7. Add the new words to `SearchWord` (what typo correction looks up).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connection, connections
from django.utils import timezone

from contracts.catalog.imports.validation import STAGED_COLUMNS
from contracts.catalog.search.words import SEARCH_WORDS_SQL
from contracts.models import Contract, PricingBasis
from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from marketplace.core.formatting import count_of

COPY_CHUNK_ROWS = 10_000

_CREATE_TEMP = """
CREATE TEMP TABLE import_rows (
    sku varchar(64) NOT NULL, name varchar(300) NOT NULL, description text NOT NULL,
    category_id bigint NOT NULL, category_path varchar(300) NOT NULL, manufacturer varchar(120) NOT NULL,
    mpn varchar(80) NOT NULL, unspsc varchar(8) NOT NULL, unit varchar(20) NOT NULL, pack_size integer NOT NULL,
    list_price numeric(12,2) NOT NULL, contract_price numeric(12,2) NOT NULL, lead_time_days integer,
    status varchar(20) NOT NULL, image_url varchar(500) NOT NULL, attributes jsonb NOT NULL,
    image_digest varchar(64), reason text NOT NULL
) ON COMMIT DROP
"""

# Fields whose difference makes a row "changed" (prices compared separately for increases/decreases). An item
# with an increase waiting for the co-op (pc) is compared with the prices it asks for: a row repeating the request
# is no change (validation.pending_prices says the same for the preview).
_DIFFERS = """(ci.name, ci.description, ci.category_id, ci.manufacturer, ci.mpn, ci.unspsc, ci.unit, ci.pack_size,
  coalesce(pc.new_list_price, ci.list_price), coalesce(pc.new_price, ci.contract_price), ci.lead_time_days,
  ci.status, ci.image_url, ci.attributes, ci.image_digest)
  IS DISTINCT FROM
 (t.name, t.description, t.category_id, t.manufacturer, t.mpn, t.unspsc, t.unit, t.pack_size,
  t.list_price, t.contract_price, t.lead_time_days, t.status, t.image_url, t.attributes,
  COALESCE(t.image_digest, ci.image_digest))"""

_COUNTS = f"""
SELECT count(*) FILTER (WHERE ci.id IS NULL),
       count(*) FILTER (WHERE ci.id IS NOT NULL AND {_DIFFERS}),
       count(*) FILTER (WHERE ci.id IS NOT NULL AND NOT ({_DIFFERS})),
       count(*) FILTER (WHERE t.contract_price > ci.contract_price AND (pc.id IS NULL
           OR (pc.new_price, coalesce(pc.new_list_price, ci.list_price))
              IS DISTINCT FROM (t.contract_price, t.list_price))),
       count(*) FILTER (WHERE t.contract_price < ci.contract_price)
FROM import_rows t LEFT JOIN contracts_catalogitem ci ON ci.contract_id = %(contract)s AND ci.sku = t.sku
LEFT JOIN contracts_pricechange pc ON pc.item_id = ci.id AND pc.status = 'pending'
"""  # noqa: S608 (built from constants only)

_PRICE_RULE = """
SELECT count(*) FROM import_rows
WHERE contract_price <= 0 OR list_price <= 0 OR contract_price > round(list_price * %(factor)s, 2)
"""

_SUPERSEDE = """
UPDATE contracts_pricechange pc
SET status = 'rejected', decided_at = %(now)s, reason = %(reason)s
FROM contracts_catalogitem ci JOIN import_rows t ON t.sku = ci.sku
WHERE ci.contract_id = %(contract)s AND pc.item_id = ci.id AND pc.status = 'pending'
  AND (pc.new_price, pc.new_list_price) IS DISTINCT FROM (t.contract_price, t.list_price)
"""

_INCREASES = """
INSERT INTO contracts_pricechange (item_id, old_price, new_price, old_list_price, new_list_price, status,
    requested_by_id, requested_at, source_import_id, reason, request_reason)
SELECT ci.id, ci.contract_price, t.contract_price, ci.list_price, t.list_price, 'pending',
    %(actor)s, %(now)s, %(import)s, '', t.reason
FROM import_rows t JOIN contracts_catalogitem ci ON ci.contract_id = %(contract)s AND ci.sku = t.sku
WHERE t.contract_price > ci.contract_price
  AND NOT EXISTS (SELECT 1 FROM contracts_pricechange p WHERE p.item_id = ci.id AND p.status = 'pending')
"""

_DECREASES = """
INSERT INTO contracts_pricechange (item_id, old_price, new_price, old_list_price, new_list_price, status,
    effective_date, requested_by_id, requested_at, source_import_id, reason, request_reason)
SELECT ci.id, ci.contract_price, t.contract_price, ci.list_price, t.list_price, 'applied',
    %(today)s, %(actor)s, %(now)s, %(import)s, '', t.reason
FROM import_rows t JOIN contracts_catalogitem ci ON ci.contract_id = %(contract)s AND ci.sku = t.sku
WHERE t.contract_price < ci.contract_price
   OR (t.contract_price = ci.contract_price AND t.list_price <> ci.list_price)
"""

_UPSERT = """
INSERT INTO contracts_catalogitem AS ci (contract_id, sku, name, description, category_id, category_path,
    manufacturer, mpn, unspsc, unit, pack_size, list_price, contract_price, lead_time_days, status, image_url,
    attributes, image_digest, created_at, updated_at)
SELECT %(contract)s, sku, name, description, category_id, category_path, manufacturer, mpn, unspsc, unit,
    pack_size, list_price, contract_price, lead_time_days, status, image_url, attributes, image_digest, %(now)s, %(now)s
FROM import_rows
ON CONFLICT (contract_id, sku) DO UPDATE SET
    name = EXCLUDED.name, description = EXCLUDED.description, category_id = EXCLUDED.category_id,
    category_path = EXCLUDED.category_path, manufacturer = EXCLUDED.manufacturer, mpn = EXCLUDED.mpn,
    unspsc = EXCLUDED.unspsc, unit = EXCLUDED.unit, pack_size = EXCLUDED.pack_size,
    lead_time_days = EXCLUDED.lead_time_days, status = EXCLUDED.status, image_url = EXCLUDED.image_url,
    attributes = EXCLUDED.attributes,
    -- an empty image cell keeps the item's picture
    image_digest = COALESCE(EXCLUDED.image_digest, ci.image_digest),
    -- an increase waits for the co-op: today's prices stay until it is approved
    list_price = CASE WHEN EXCLUDED.contract_price > ci.contract_price THEN ci.list_price
                      ELSE EXCLUDED.list_price END,
    contract_price = LEAST(EXCLUDED.contract_price, ci.contract_price),
    updated_at = EXCLUDED.updated_at
WHERE (ci.name, ci.description, ci.category_id, ci.category_path, ci.manufacturer, ci.mpn, ci.unspsc, ci.unit,
       ci.pack_size, ci.lead_time_days, ci.status, ci.image_url, ci.attributes, ci.image_digest, ci.list_price,
       ci.contract_price)
    IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.description, EXCLUDED.category_id, EXCLUDED.category_path, EXCLUDED.manufacturer,
       EXCLUDED.mpn, EXCLUDED.unspsc, EXCLUDED.unit, EXCLUDED.pack_size, EXCLUDED.lead_time_days,
       EXCLUDED.status, EXCLUDED.image_url, EXCLUDED.attributes, COALESCE(EXCLUDED.image_digest, ci.image_digest),
       CASE WHEN EXCLUDED.contract_price > ci.contract_price THEN ci.list_price ELSE EXCLUDED.list_price END,
       LEAST(EXCLUDED.contract_price, ci.contract_price))
"""

# New items are those the upsert created: their created_at is this run's timestamp (an updated item keeps its own).
_INITIAL_PRICES = """
INSERT INTO contracts_pricechange (item_id, old_price, new_price, old_list_price, new_list_price, status,
    effective_date, requested_by_id, requested_at, source_import_id, reason)
SELECT ci.id, NULL, ci.contract_price, NULL, ci.list_price, 'applied', %(today)s, %(actor)s, %(now)s, %(import)s, ''
FROM contracts_catalogitem ci
WHERE ci.contract_id = %(contract)s AND ci.created_at = %(now)s
"""

_DISCONTINUE = """
UPDATE contracts_catalogitem ci SET status = 'discontinued', updated_at = %(now)s
WHERE ci.contract_id = %(contract)s AND ci.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM import_rows t WHERE t.sku = ci.sku)
"""

# The words of the imported rows only (the same words and counts search_words_refresh keeps), so a small update to a
# large catalog stays cheap.
_IMPORTED_TEXT = (
    "SELECT to_tsvector('simple', name || ' ' || manufacturer || ' ' || category_path) "
    "FROM import_rows WHERE status = 'active'"
)


def price_factor(contract: Contract) -> Decimal:
    """list × factor is the highest contract price (the SQL twin of services.catalog.contract_price_limit)."""
    if contract.pricing_basis == PricingBasis.MIN_DISCOUNT and contract.min_discount_percent:
        return (Decimal(100) - Decimal(contract.min_discount_percent)) / Decimal(100)
    return Decimal(1)


@contextlib.contextmanager
def side_connection():
    """A second database connection in autocommit, for progress that others must see while the apply
    transaction is still open (rows written by an uncommitted transaction are invisible to them)."""
    wrapper = connections.create_connection("default")
    try:
        wrapper.set_autocommit(True)
        yield wrapper
    finally:
        wrapper.close()


def apply_rows(
    *,
    contract: Contract,
    import_id: int | None,
    actor_id: int | None,
    mode: str,
    staged: Iterable[str],
    total: int,
    progress: Callable[[int], None] | None = None,
    superseded_reason: str = "Superseded by a newer catalog import.",
) -> dict[str, int]:
    """Run inside the caller's transaction. Returns the counts. Raises ApplicationError if the pricing
    basis no longer allows a row (then the caller's transaction rolls back and nothing is applied)."""
    now = timezone.now()
    today = organization_today(contract.cooperative)
    params = {
        "contract": contract.pk,
        "import": import_id,
        "actor": actor_id,
        "now": now,
        "today": today,
        "factor": price_factor(contract),
        "reason": superseded_reason,
    }
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS import_rows")
        cursor.execute(_CREATE_TEMP)
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        done = 0
        with raw.copy(f"COPY import_rows ({', '.join(STAGED_COLUMNS)}) FROM STDIN") as copy:
            chunk: list[str] = []
            for line in staged:
                chunk.append(line)
                if len(chunk) == COPY_CHUNK_ROWS:
                    copy.write("\n".join(chunk) + "\n")
                    done += len(chunk)
                    chunk = []
                    if progress is not None:
                        progress(min(done, total))
            if chunk:
                copy.write("\n".join(chunk) + "\n")
                done += len(chunk)
        cursor.execute(_PRICE_RULE, params)
        (violations,) = cursor.fetchone()
        if violations:
            raise ApplicationError(
                "price_rule",
                f"{count_of(violations, 'row')} no longer {'fits' if violations == 1 else 'fit'} the contract's "
                "pricing basis (it changed after the preview). Upload the file again to see which.",
                status=409,
            )
        cursor.execute(_COUNTS, params)
        added, changed, unchanged, increases, decreases = cursor.fetchone()
        cursor.execute(_SUPERSEDE, params)
        cursor.execute(_INCREASES, params)
        pending_created = cursor.rowcount
        cursor.execute(_DECREASES, params)
        cursor.execute(_UPSERT, params)
        cursor.execute(_INITIAL_PRICES, params)
        discontinued = 0
        if mode == "replace":
            cursor.execute(_DISCONTINUE, params)
            discontinued = cursor.rowcount
        cursor.execute(SEARCH_WORDS_SQL, [_IMPORTED_TEXT])
        cursor.execute("DROP TABLE import_rows")
    if progress is not None:
        progress(total)
    return {
        "added": added,
        "changed": changed,
        "unchanged": unchanged,
        "increases": increases,
        "decreases": decreases,
        "discontinued": discontinued,
        "pending_created": pending_created,
    }
