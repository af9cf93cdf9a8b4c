"""Catalog search for buyers: the SQL.

One request runs a fixed number of queries whatever the page size:

1. the scope: active contracts that one of the agency's *active* co-op memberships makes available and
   that may be used in the agency's state (a handful of rows; their ids are passed on as an array);
2. the categories (a small table: filter by a top-level category = its children too; facet labels);
3. only when there is text: the *words* query — each query word is looked up in `SearchWord` (the
   catalog's unique words, trigram-indexed); a word that is not there is corrected to the most similar
   word (pg_trgm `%`), and the tsquery is built from plain lexemes, the English stem and the word itself
   (the vector is English-stemmed for names and 'simple' for manufacturer / MPN / SKU); the last word
   also matches as a prefix (search-as-you-type);
4. the *main* query: a materialised window of at most `RANK_WINDOW` matching items (full text OR SKU /
   MPN prefix through the trigram indexes, with the filters), ranked by `ts_rank_cd` plus a boost for an
   exact SKU / MPN; from that window one statement returns the page (in order), the count and every
   facet (GROUPING SETS);
5. the page's items with their contract and category.

The rank window is the documented trade-off that keeps a broad query on a million items fast: when more
than `RANK_WINDOW` items match, relevance, the sort, the count and the facet counts are computed over
the first `RANK_WINDOW` matches and the result says so (`count_is_exact: false`). Without text, the
window is taken in the order asked for (name, price or savings) from an index, so browsing a category
by price shows the cheapest items exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q

from contracts.catalog.search.facets import Facets, facets_from_rows
from contracts.catalog.search.query import MAX_TOKENS, PRICE_BANDS, SearchParams
from contracts.models import CatalogItem, Category, Contract, ItemStatus
from marketplace.core.models import Organization

RANK_WINDOW = 1000
MIN_SIMILARITY = 0.4
EXACT_CODE_BOOST = 100.0
PREFIX_CODE_BOOST = 1.0


# --- Scope ----------------------------------------------------------------------------------------


@dataclass
class SearchScope:
    """What an agency may buy: contracts by id (with supplier), for the agency's state."""

    agency: Organization
    state: str
    contracts: dict[int, Contract]

    @property
    def contract_ids(self) -> list[int]:
        return sorted(self.contracts)

    def contract_by_key(self, key: str) -> Contract | None:
        key = key.lower()
        return next((c for c in self.contracts.values() if key in (c.slug.lower(), c.number.lower())), None)


def search_scope(*, agency: Organization, state: str) -> SearchScope:
    """Active contracts available to `agency` through an active co-op membership, usable in `state`."""
    states_ok = Q(states=[])
    if state:
        states_ok |= Q(states__contains=[state.upper()])
    contracts = (
        Contract.objects.available_to_agency(agency)
        .filter(states_ok)
        .select_related("supplier")
        .only("id", "number", "slug", "title", "term_end", "supplier__id", "supplier__name", "supplier__slug")
    )
    return SearchScope(agency=agency, state=state, contracts={c.id: c for c in contracts})


# --- Text ----------------------------------------------------------------------------------------


# Tokens come from PostgreSQL's own parser (ts_debug), so a query splits exactly as the item text did
# ("PS-12180" is 'ps' and '-12180' on both sides). Only plain words are stemmed, checked and corrected.
_WORDS_SQL = """
WITH tok AS (
    SELECT d.n, lower(d.token) AS t, d.alias IN ('asciiword', 'word', 'hword_asciipart', 'hword_part') AS is_word
    FROM ts_debug('simple', %(q)s) WITH ORDINALITY AS d(alias, description, token, dictionaries, dictionary, lexemes, n)
    WHERE cardinality(d.dictionaries) > 0  -- token types the text configurations index (no blanks, tags)
    ORDER BY d.n
    LIMIT %(max_tokens)s
)
SELECT u.n, u.t, u.is_word,
       CASE WHEN u.is_word THEN ts_lexize('english_stem', u.t) ELSE ARRAY[u.t] END AS stem,
       EXISTS (SELECT 1 FROM contracts_searchword w WHERE w.word = u.t) AS known,
       (u.is_word AND u.n = (SELECT max(n) FROM tok)
        AND EXISTS (SELECT 1 FROM contracts_searchword w WHERE w.word LIKE u.t || '%%')) AS prefix_known,
       fix.word, fix.sim, ts_lexize('english_stem', fix.word) AS fix_stem
FROM tok u
LEFT JOIN LATERAL (
    SELECT w.word, similarity(w.word, u.t) AS sim
    FROM contracts_searchword w
    WHERE u.is_word AND length(u.t) >= 3 AND u.t !~ '[0-9]' AND w.word %% u.t
    ORDER BY similarity(w.word, u.t) DESC, w.word
    LIMIT 1
) fix ON true
ORDER BY u.n
"""


@dataclass
class TextQuery:
    tsquery: str  # tsquery text made of quoted lexemes only ('' when nothing searchable is left)
    code: str | None  # the query as a SKU / MPN, upper-cased
    did_you_mean: str | None


def _lexeme(word: str, prefix: bool) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def text_query_build(*, params: SearchParams) -> TextQuery:
    words = params.tokens
    if not words:
        return TextQuery(tsquery="", code=None, did_you_mean=None)
    with connection.cursor() as cursor:
        cursor.execute(_WORDS_SQL, {"q": params.q, "max_tokens": MAX_TOKENS})
        rows = cursor.fetchall()
    stopword_only = all(stem == [] for _n, _t, _w, stem, *_rest in rows)
    last = rows[-1][0] if rows else None
    terms: list[str] = []
    shown: list[str] = []
    corrected = False
    for n, token, is_word, stem, known, prefix_known, fix, sim, fix_stem in rows:
        if stem == [] and not stopword_only:
            shown.append(token)
            continue  # an English stop word: not among the name's lexemes, it would only exclude
        prefix = n == last
        lexemes: dict[str, bool] = dict.fromkeys([token, *(stem or [])], prefix)
        needs_fix = is_word and not known and not prefix_known
        if needs_fix and fix and sim is not None and sim >= MIN_SIMILARITY and fix != token:
            corrected = True
            shown.append(fix)
            for word in [fix, *(fix_stem or [])]:
                lexemes.setdefault(word, False)
        else:
            shown.append(token)
        terms.append("(" + " | ".join(_lexeme(w, p) for w, p in lexemes.items()) + ")")
    return TextQuery(
        tsquery=" & ".join(terms),
        code=params.code,
        did_you_mean=" ".join(shown) if corrected else None,
    )


# --- Results --------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    item: CatalogItem
    rank: float

    @property
    def savings_amount(self) -> Decimal:
        return self.item.list_price - self.item.contract_price

    @property
    def savings_percent(self) -> Decimal:
        return savings_percent(self.item)


def savings_percent(item: CatalogItem) -> Decimal:
    if not item.list_price:
        return Decimal("0.0")
    ratio = (item.list_price - item.contract_price) * 100 / item.list_price
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class SearchResult:
    params: SearchParams
    hits: list[SearchHit] = field(default_factory=list)
    count: int = 0
    count_is_exact: bool = True
    facets: Facets = field(default_factory=Facets)
    did_you_mean: str | None = None
    categories: dict[int, Category] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.params.page_size))

    @property
    def has_next(self) -> bool:
        return self.params.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1


_SAVINGS = "(i.list_price - i.contract_price) / NULLIF(i.list_price, 0)"
_ORDER = {
    # (order inside the window, order that picks the window when there is no text)
    "relevance": ("rank DESC, name, id", "i.name, i.id"),
    "name": ("name, id", "i.name, i.id"),
    "price": ("contract_price, id", "i.contract_price, i.id"),
    "-price": ("contract_price DESC, id DESC", "i.contract_price DESC, i.id DESC"),
    "savings": ("savings DESC NULLS LAST, id", f"{_SAVINGS} DESC NULLS LAST, i.id"),
}


def _band_case() -> str:
    parts = []
    for key, _label, _low, high in PRICE_BANDS:
        if high is None:
            parts.append(f"ELSE '{key}'")
        else:
            parts.append(f"WHEN contract_price < {high} THEN '{key}'")
    return "CASE " + " ".join(parts) + " END"


def category_map() -> dict[int, Category]:
    return {c.id: c for c in Category.objects.all()}


def _category_ids(slug: str, categories: dict[int, Category]) -> list[int] | None:
    chosen = next((c for c in categories.values() if c.slug == slug), None)
    if chosen is None:
        return None
    return [chosen.id, *(c.id for c in categories.values() if c.parent_id == chosen.id)]


def _in(column: str, name: str, values: list[int]) -> str:
    return f"{column} = %({name})s" if len(values) == 1 else f"{column} = ANY(%({name})s)"


def search_sql(*, scope: SearchScope, params: SearchParams, text: TextQuery | None, categories) -> tuple[str, dict]:
    """The main statement and its parameters (also used by the benchmark and EXPLAIN checks)."""
    # A one-element list is passed as `=`: `= ANY('{7}')` hides the ordered index paths from the planner.
    where = ["i.status = %(status)s", _in("i.contract_id", "contracts", scope.contract_ids)]
    args: dict = {"status": ItemStatus.ACTIVE, "contracts": scope.contract_ids, "window": RANK_WINDOW}
    if len(scope.contract_ids) == 1:
        args["contracts"] = scope.contract_ids[0]
    rank = "0.0::float4"
    if text is not None:
        match = ["i.search_vector @@ %(tsq)s::tsquery"] if text.tsquery else []
        args["tsq"] = text.tsquery
        rank = "ts_rank_cd(i.search_vector, %(tsq)s::tsquery)" if text.tsquery else "0.0::float4"
        if text.code and len(text.code) >= 3:
            args["code"] = text.code
            args["prefix"] = text.code.replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
            match += ["upper(i.sku) LIKE %(prefix)s", "upper(i.mpn) LIKE %(prefix)s"]
            rank = (
                f"{rank} + CASE WHEN upper(i.sku) = %(code)s OR upper(i.mpn) = %(code)s THEN {EXACT_CODE_BOOST} "
                f"WHEN upper(i.sku) LIKE %(prefix)s OR upper(i.mpn) LIKE %(prefix)s THEN {PREFIX_CODE_BOOST} "
                "ELSE 0 END"
            )
        where.append("(" + " OR ".join(match) + ")")
    if params.category:
        ids = _category_ids(params.category, categories) or [0]
        where.append(_in("i.category_id", "categories", ids))
        args["categories"] = ids[0] if len(ids) == 1 else ids
    if params.manufacturer:
        args["manufacturer"] = params.manufacturer
        where.append("i.manufacturer = %(manufacturer)s")
    if params.contract:
        chosen = scope.contract_by_key(params.contract)
        args["contract"] = chosen.id if chosen else 0
        where.append("i.contract_id = %(contract)s")
    if params.min_price is not None:
        args["min_price"] = params.min_price
        where.append("i.contract_price >= %(min_price)s")
    if params.max_price is not None:
        args["max_price"] = params.max_price
        where.append("i.contract_price <= %(max_price)s")
    inner_order, window_order = _ORDER[params.sort]
    window_sql = "" if text is not None else f"ORDER BY {window_order}"
    args["limit"] = params.page_size
    args["offset"] = (params.page - 1) * params.page_size
    # Only constants and fixed fragments are formatted in; every user value is a bound parameter.
    sql = f"""
WITH cand AS MATERIALIZED (
    SELECT i.id, i.name, i.contract_price, i.category_id, i.manufacturer, i.contract_id,
           {_SAVINGS} AS savings, ({rank})::float8 AS rank
    FROM contracts_catalogitem i
    WHERE {" AND ".join(where)}
    {window_sql}
    LIMIT %(window)s
), page AS (
    SELECT id, rank, row_number() OVER (ORDER BY {inner_order}) AS position
    FROM cand ORDER BY {inner_order} LIMIT %(limit)s OFFSET %(offset)s
)
SELECT 'hit' AS kind, id::text AS key, rank AS rank, position AS n FROM page
UNION ALL
SELECT 'total', NULL, NULL, count(*) FROM cand
UNION ALL
SELECT CASE WHEN GROUPING(category_id) = 0 THEN 'category'
            WHEN GROUPING(manufacturer) = 0 THEN 'manufacturer'
            WHEN GROUPING(contract_id) = 0 THEN 'contract' ELSE 'price_band' END,
       COALESCE(category_id::text, manufacturer, contract_id::text, band), NULL, count(*)
FROM (SELECT category_id, manufacturer, contract_id, {_band_case()} AS band FROM cand) f
GROUP BY GROUPING SETS ((category_id), (manufacturer), (contract_id), (band))
"""  # noqa: S608
    return sql, args


def catalog_search(*, scope: SearchScope, params: SearchParams) -> SearchResult:
    """Search the catalog an agency may buy from. Hostile text gives results or an empty page."""
    categories = category_map()
    result = SearchResult(params=params, categories=categories)
    text = text_query_build(params=params) if params.q else None
    if not scope.contracts or (text is not None and not text.tsquery and not text.code):
        return result
    if text is not None:
        result.did_you_mean = text.did_you_mean
    sql, args = search_sql(scope=scope, params=params, text=text, categories=categories)
    with connection.cursor() as cursor:
        planner_hints = connection.in_atomic_block
        if planner_hints:
            # A LIMIT makes a sequential scan look cheap to the planner, but when matches are rare it reads
            # the whole table; the GIN / index paths have a bounded cost. JIT only adds compile time here.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
        cursor.execute(sql, args)
        rows = cursor.fetchall()
        if planner_hints:  # only this statement: later queries of the request plan as usual
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL jit TO DEFAULT")
    hits: list[tuple[int, int, float]] = []
    facet_rows = []
    for kind, key, rank, n in rows:
        if kind == "hit":
            hits.append((n, int(key), rank))
        elif kind == "total":
            result.count = n
        else:
            facet_rows.append((kind, key, n))
    result.count_is_exact = result.count < RANK_WINDOW
    result.facets = facets_from_rows(
        facet_rows, categories=categories, contracts=scope.contracts, exact=result.count_is_exact
    )
    hits.sort()
    items = catalog_items_by_id(scope=scope, ids=[item_id for _n, item_id, _r in hits])
    result.hits = [SearchHit(item=items[item_id], rank=rank) for _n, item_id, rank in hits if item_id in items]
    return result


def catalog_items_by_id(*, scope: SearchScope, ids: list[int]) -> dict[int, CatalogItem]:
    if not ids:
        return {}
    items = (
        CatalogItem.objects.filter(id__in=ids, contract_id__in=scope.contract_ids, status=ItemStatus.ACTIVE)
        .select_related("category", "image")
        .defer("search_vector", "description", "attributes")
    )
    for item in items:
        item.contract = scope.contracts[item.contract_id]
    return {item.id: item for item in items}


def catalog_item_get(*, scope: SearchScope, item_id: int) -> CatalogItem | None:
    """One item the agency may see (active, on a contract in scope), or None (the view answers 404)."""
    item = (
        CatalogItem.objects.filter(id=item_id, contract_id__in=scope.contract_ids, status=ItemStatus.ACTIVE)
        .select_related(
            "category", "image", "contract", "contract__supplier", "contract__cooperative", "contract__lead_agency"
        )
        .defer("search_vector")
        .first()
    )
    return item
