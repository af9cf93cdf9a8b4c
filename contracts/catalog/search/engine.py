"""Catalog search for buyers: the SQL (see decision 0016 for the reasons and the measurements).

**Relevance is one total order, the same for every plan**, so the first page never depends on the order items
were loaded in:

    tier DESC, hashtext(sku), sku, id

- `tier`: 4 an exact SKU / MPN, 3 a SKU / MPN prefix, 2 every query word in the item's *title* (name,
  manufacturer, MPN, SKU: the A and B weights of `search_vector`), 1 the words found elsewhere too (category,
  description). Other sorts (price, savings, name) order by their column and ignore the tier.
- then a fixed shuffle of the items (the hash of the SKU): within a tier no supplier, import batch or name is
  favoured, and the page shows a spread of products rather than 24 pack sizes of one. It is a fact of the item,
  never of its position on disk. A popularity score from order history can take its place (decision 0016).

**Two plans compute that order exactly**, chosen per query from PostgreSQL's own statistics of the lexemes
(`pg_stats.most_common_elems`: the share of items that use each word), then from a sample:

- *exhaustive* (rare words, codes, few rows): every match is read through the GIN / trigram / filter indexes,
  ranked, and counted; the facets are exact.
- otherwise a `TABLESAMPLE SYSTEM` sample of the matches runs first: it gives the count and facets shown
  (`count_is_exact: false`: estimates, but every facet value shown belongs to at least one real match, so a facet
  never leads to an empty page) and tells how many items match and how many have every word in the title.
  Few matches, and too few titles for a walk to fill the page: every match is ranked (facets from the sample).
- *walk*: the index in the sort's order (`catalogitem_active_static` for relevance) is read in order with the
  text as a filter until the page is full, for at most as many rows as the sample says there are matches
  (`WALK_BOUND`..`WALK_MAX`): reading a row costs about what ranking a match does. For relevance the title tier is
  walked; if that does not fill the page, every match is ranked (up to `WALK_MAX` matches), or above that the
  title tier is read whole and the rest walked from tier 1; the exhaustive plan is the last resort.
- Without text (browse), the page comes straight from the sort's index (category indexes make a category a
  range scan; a top-level category merges one range per child); counts and facets are exact up to
  `EXHAUSTIVE_MAX` rows, sampled above.

One request runs a bounded number of queries whatever the page size: the scope (contracts in reach), the
categories, the words (typo correction over the unique-words table), the main statement(s), and the page's
items. When no item matches every word, a real word one edit away that makes them all match is tried
('sealed led acid' -> 'lead'), else the query is *relaxed*: the best subset of the words that matches something
is searched instead (`relaxed`, `matched_words`). A search that finds nothing comes with `suggestions`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from django.db import connections, transaction
from django.db.models import Q

from contracts.catalog.search.facets import Facets, facets_from_rows
from contracts.catalog.search.query import MAX_TOKENS, PRICE_BANDS, SearchParams
from contracts.catalog.search.reference import reference_cached
from contracts.models import CatalogItem, Category, Contract, ItemStatus
from marketplace.core.db import read_alias, read_connection
from marketplace.core.models import Organization

EXHAUSTIVE_MAX = 8_000  # estimated matches up to which every match is read and ranked
WALK_BOUND = 6_000  # rows of an ordered index a walk may always read before the exhaustive plan takes over …
WALK_MAX = 60_000  # … and at most, when the sample says the matches are that many (reading a row in order costs
# about what ranking one match costs, so a walk may read as many rows as there are matches)
PREFIX_EXACT_NDOC = 5_000  # a last word used by this many items is taken as typed in full (no prefix match)
SAMPLE_MATCHES = 400  # matches a count / facet sample aims for
SAMPLE_PERCENT = (0.05, 0.5)  # bounds of the share of the table's pages a sample reads
SAMPLE_MIN_ROWS = 2_000  # … but at least about this many rows (all of a small table)
MIN_SIMILARITY = 0.4
STATS_SECONDS = 300  # how long a process keeps PostgreSQL's lexeme statistics
MAX_RELAX_TRIES = 24

# Words that carry no product meaning in a plain request ("I need some batteries for…"): dropped first when
# the query is relaxed. English stop words ("for", "the") are dropped by the text search dictionary already.
FILLER_WORDS = frozenset(
    [
        "need",
        "needs",
        "want",
        "wanted",
        "looking",
        "look",
        "buy",
        "buying",
        "purchase",
        "get",
        "please",
        "some",
        "any",
        "good",
        "best",
        "new",
        "cheap",
        "item",
        "items",
        "product",
        "products",
        "thing",
        "things",
        "stuff",
        "kind",
        "type",
        "use",
        "used",
        "using",
        "replace",
    ]
)


# --- Scope ----------------------------------------------------------------------------------------


@dataclass
class SearchScope:
    """What an agency may buy: contracts by id (with supplier), for the agency's state."""

    agency: Organization
    state: str
    contracts: dict[int, Contract]
    reference_version: int | None = None  # the version it was built for (reference.py): the categories' too

    @property
    def contract_ids(self) -> list[int]:
        return sorted(self.contracts)

    def contract_by_key(self, key: str) -> Contract | None:
        key = key.lower()
        return next((c for c in self.contracts.values() if key in (c.slug.lower(), c.number.lower())), None)


def search_scope(*, agency: Organization, state: str, reference_version: int | None = None) -> SearchScope:
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
    return SearchScope(
        agency=agency, state=state, contracts={c.id: c for c in contracts}, reference_version=reference_version
    )


# --- Text ----------------------------------------------------------------------------------------


# Tokens come from PostgreSQL's own parser (ts_parse, keeping the token types the 'simple' configuration indexes:
# what ts_debug returns, without its per-token dictionary calls, a tenth of the time), so a query splits exactly as
# the item text did ("PS-12180" is 'ps' and '-12180' on both sides). Only plain words are stemmed, checked and
# corrected, and only a word the catalog does not use is looked up for a correction: it is corrected to the
# closest word among those that sound the same (double metaphone: 'lite' / 'light'), are within an edit distance
# of 1-2 with the same first letter and a similar length (the short typos trigrams miss: 'lithuim'), or are
# similar by trigrams; the most used word wins a tie.
_WORDS_SQL = """
WITH tok AS MATERIALIZED (
    SELECT p.n, lower(p.token) AS t, k.alias IN ('asciiword', 'word', 'hword_asciipart', 'hword_part') AS is_word
    FROM ts_parse('default', %(q)s) WITH ORDINALITY AS p(tokid, token, n)
    JOIN ts_token_type('default') k ON k.tokid = p.tokid
    WHERE p.tokid IN (SELECT m.maptokentype FROM pg_ts_config_map m WHERE m.mapcfg = 'simple'::regconfig)
    ORDER BY p.n
    LIMIT %(max_tokens)s
), known AS MATERIALIZED (
    SELECT u.*, (SELECT w.ndoc FROM contracts_searchword w WHERE w.word = u.t) AS ndoc FROM tok u
)
SELECT u.n, u.t, u.is_word,
       CASE WHEN u.is_word THEN ts_lexize('english_stem', u.t) ELSE ARRAY[u.t] END AS stem,
       u.ndoc AS known_ndoc,
       (u.is_word AND u.n = (SELECT max(n) FROM tok)
        AND EXISTS (SELECT 1 FROM contracts_searchword w WHERE w.word LIKE u.t || '%%')) AS prefix_known,
       fix.word, fix.phonetic, ts_lexize('english_stem', fix.word) AS fix_stem
FROM known u
LEFT JOIN LATERAL (
    SELECT c.word, dmetaphone(c.word) = dmetaphone(u.t) AS phonetic FROM (
        SELECT w.word, similarity(w.word, u.t) AS sim, levenshtein(w.word, u.t) AS dist, w.ndoc
        FROM contracts_searchword w
        WHERE w.word %% u.t
        UNION
        SELECT w.word, similarity(w.word, u.t), levenshtein(w.word, u.t), w.ndoc
        FROM contracts_searchword w
        WHERE left(w.word, 1) = left(u.t, 1) AND length(w.word) BETWEEN length(u.t) - 2 AND length(u.t) + 2
    ) c
    WHERE u.is_word AND u.ndoc IS NULL AND length(u.t) >= 3 AND u.t !~ '[0-9]'
      AND (c.sim >= %(min_sim)s OR c.dist <= CASE WHEN length(u.t) <= 4 THEN 1 ELSE 2 END
           OR dmetaphone(c.word) = dmetaphone(u.t))
    ORDER BY dmetaphone(c.word) = dmetaphone(u.t) DESC, LEAST(c.dist, 3), c.sim DESC, c.ndoc DESC, c.word
    LIMIT 1
) fix ON true
ORDER BY u.n
"""

# Real words one edit away (same first letter), most used first: 'led' -> 'lead' when 'sealed led acid' matches
# nothing as typed.
_NEIGHBOURS_SQL = """
SELECT u.t, w.word, ts_lexize('english_stem', w.word), w.ndoc
FROM unnest(%(words)s::text[]) AS u(t)
JOIN contracts_searchword w
  ON left(w.word, 1) = left(u.t, 1) AND length(w.word) BETWEEN length(u.t) - 1 AND length(u.t) + 1
WHERE w.word <> u.t AND length(u.t) >= 3 AND levenshtein(w.word, u.t) = 1 AND w.ndoc > 0
ORDER BY w.ndoc DESC, w.word
LIMIT 12
"""


@dataclass
class Term:
    """One query word: the lexemes that match it (the word, its stem, a correction) and how it is shown."""

    shown: str
    lexemes: dict[str, bool]  # lexeme -> match as a prefix
    ndoc: int = 0  # items using the word (unique-words table); 0 for unknown words and codes
    filler: bool = False
    purpose: bool = False  # after "for": what the item is for, not what it is ("aa batteries for smoke detectors")

    def tsquery(self, weights: str = "") -> str:
        return "(" + " | ".join(_lexeme(w, p, weights) for w, p in self.lexemes.items()) + ")"


@dataclass
class TextQuery:
    terms: list[Term]
    code: str | None  # the query as a SKU / MPN, upper-cased
    did_you_mean: str | None
    relaxed: bool = False
    dropped: list[str] = field(default_factory=list)  # words left out by relaxation

    @property
    def tsquery(self) -> str:
        """Every word anywhere ('' when nothing searchable is left)."""
        return " & ".join(t.tsquery() for t in self.terms)

    @property
    def title_tsquery(self) -> str:
        """Every word in the title fields (name: A, manufacturer / MPN / SKU: B)."""
        return " & ".join(t.tsquery("AB") for t in self.terms)

    @property
    def shown(self) -> str:
        return " ".join(t.shown for t in self.terms)

    def replaced(self, index: int, term: Term) -> TextQuery:
        terms = [*self.terms]
        terms[index] = term
        return TextQuery(terms=terms, code=self.code, did_you_mean=None)


def _lexeme(word: str, prefix: bool, weights: str = "") -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    suffix = ("*" if prefix else "") + weights
    return quoted + (":" + suffix if suffix else "")


def text_query_build(*, params: SearchParams) -> TextQuery:
    words = params.tokens
    if not words:
        return TextQuery(terms=[], code=None, did_you_mean=None)
    with read_connection().cursor() as cursor:
        cursor.execute(_WORDS_SQL, {"q": params.q, "max_tokens": MAX_TOKENS, "min_sim": MIN_SIMILARITY})
        rows = cursor.fetchall()
    stopword_only = all(stem == [] for _n, _t, _w, stem, *_rest in rows)
    last = rows[-1][0] if rows else None
    terms: list[Term] = []
    shown: list[str] = []
    corrected = False
    purpose = False
    for n, token, is_word, stem, known_ndoc, prefix_known, fix, phonetic, fix_stem in rows:
        if stem == [] and not stopword_only:
            shown.append(token)
            purpose = purpose or token == "for"
            continue  # an English stop word: not among the name's lexemes, it would only exclude
        # The last word is matched as a prefix while typing ('lite' finds 'lites'), unless it is a common word
        # already ('battery': its stem finds 'batteries'; a prefix would make the index union every word that
        # begins with it, 80 ms at 1M items). A word that sounds the same is searched for too ('light').
        prefix = n == last and (known_ndoc or 0) < PREFIX_EXACT_NDOC
        lexemes: dict[str, bool] = dict.fromkeys([token, *(stem or [])], prefix)
        needs_fix = is_word and known_ndoc is None and (not prefix_known or (phonetic and len(token) >= 4))
        ndoc = known_ndoc or 0
        if needs_fix and fix and fix != token:
            corrected = True
            shown.append(fix)
            for word in [fix, *(fix_stem or [])]:
                lexemes.setdefault(word, False)
            term = Term(shown=fix, lexemes=lexemes, ndoc=1)
        else:
            shown.append(token)
            term = Term(shown=token, lexemes=lexemes, ndoc=ndoc if is_word else 0)
        term.filler = token in FILLER_WORDS
        term.purpose = purpose
        terms.append(term)
    return TextQuery(terms=terms, code=params.code, did_you_mean=" ".join(shown) if corrected else None)


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
class Suggestions:
    """What a page that found nothing offers instead: never empty while the agency has a contract."""

    did_you_mean: str | None = None
    categories: list[Category] = field(default_factory=list)
    items: list[SearchHit] = field(default_factory=list)  # the biggest savings in the agency's catalog


@dataclass
class SearchResult:
    params: SearchParams
    hits: list[SearchHit] = field(default_factory=list)
    count: int = 0
    count_is_exact: bool = True
    facets_exact: bool = True  # False also when the count is exact but the facets come from the sample
    facets: Facets = field(default_factory=Facets)
    did_you_mean: str | None = None
    categories: dict[int, Category] = field(default_factory=dict)
    has_more: bool | None = None  # known from the page query when the count is an estimate
    plan: str = ""  # 'exhaustive', 'walk', 'walk-tiers', 'browse', '…+exhaustive' (what ran; for the benchmark)
    relaxed: bool = False  # no item matched every word: these match some of them
    matched_words: list[str] = field(default_factory=list)
    dropped_words: list[str] = field(default_factory=list)
    suggestions: Suggestions | None = None  # only when nothing was found

    @property
    def num_pages(self) -> int:
        pages = max(1, -(-self.count // self.params.page_size))
        if self.has_more is not None:
            pages = max(pages, self.params.page + (1 if self.has_more else 0))
        return pages

    @property
    def has_next(self) -> bool:
        if self.has_more is not None:
            return self.has_more
        return self.params.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1


_SAVINGS = "(i.list_price - i.contract_price) / NULLIF(i.list_price, 0)"
_STATIC = "hashtext(i.sku), i.sku, i.id"
# sort -> (order over the candidate rows `c`, order of the index a walk reads on the item table `i`). Ties are
# broken by SKU before id: ids follow the load order.
_ORDER = {
    "relevance": ("tier DESC, shuffle, sku, id", _STATIC),
    "name": ("name, sku, id", "i.name, i.sku, i.id"),
    "price": ("contract_price, sku, id", "i.contract_price, i.sku, i.id"),
    "-price": ("contract_price DESC, sku DESC, id DESC", "i.contract_price DESC, i.sku DESC, i.id DESC"),
    "savings": ("savings DESC NULLS LAST, sku, id", f"{_SAVINGS} DESC NULLS LAST, i.sku, i.id"),
}


def _band_case() -> str:
    parts = []
    for key, _label, _low, high in PRICE_BANDS:
        if high is None:
            parts.append(f"ELSE '{key}'")
        else:
            parts.append(f"WHEN contract_price < {high} THEN '{key}'")
    return "CASE " + " ".join(parts) + " END"


_FACETS = f"""
SELECT CASE WHEN GROUPING(category_id) = 0 THEN 'category'
            WHEN GROUPING(manufacturer) = 0 THEN 'manufacturer'
            WHEN GROUPING(contract_id) = 0 THEN 'contract'
            WHEN GROUPING(band) = 0 THEN 'price_band' ELSE 'total' END,
       COALESCE(category_id::text, manufacturer, contract_id::text, band), NULL::float8, count(*)
FROM (SELECT category_id, manufacturer, contract_id, {_band_case()} AS band FROM {{source}}) f
GROUP BY GROUPING SETS ((category_id), (manufacturer), (contract_id), (band), ())
"""  # noqa: S608


def category_map(*, version: int | None = None) -> dict[int, Category]:
    """The category tree by id; with search's reference `version`, the one this process built for it."""
    return reference_cached("categories", None, lambda: {c.id: c for c in Category.objects.all()}, version=version)


def _category_ids(slug: str, categories: dict[int, Category]) -> list[int] | None:
    chosen = next((c for c in categories.values() if c.slug == slug), None)
    if chosen is None:
        return None
    return [chosen.id, *(c.id for c in categories.values() if c.parent_id == chosen.id)]


def _in(column: str, name: str, values: list[int]) -> str:
    return f"{column} = %({name})s" if len(values) == 1 else f"{column} = ANY(%({name})s)"


@dataclass
class Statement:
    """The SQL pieces of one search: filters, the text match, the tier and the order."""

    where: list[str]
    args: dict
    match: str | None  # the text (or code) condition, None without text
    title_match: str | None  # every word in the title fields
    tier: str  # SQL for the tier ('0' without text)
    sort: str
    text: TextQuery | None
    estimate: float | None = None  # the planner's row estimate (browse), once asked

    @property
    def need(self) -> int:
        return self.args["offset"] + self.args["limit"] + 1  # one more than the page: is there a next page?

    def conditions(self, *, title_only: bool = False) -> str:
        parts = [*self.where]
        if title_only and self.title_match:
            parts.append(self.title_match)
        elif self.match:
            parts.append(self.match)
        return " AND ".join(parts)


def search_statement(*, scope: SearchScope, params: SearchParams, text: TextQuery | None, categories) -> Statement:
    # A one-element list is passed as `=`: `= ANY('{7}')` hides the ordered index paths from the planner.
    where = ["i.status = %(status)s", _in("i.contract_id", "contracts", scope.contract_ids)]
    args: dict = {"status": ItemStatus.ACTIVE, "contracts": scope.contract_ids}
    if len(scope.contract_ids) == 1:
        args["contracts"] = scope.contract_ids[0]
    match = title_match = None
    tier = "0"
    if text is not None:
        parts, tiers = [], []
        if text.code and len(text.code) >= 3:
            args["code"] = text.code
            args["prefix"] = text.code.replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
            tiers += [
                "WHEN upper(i.sku) = %(code)s OR upper(i.mpn) = %(code)s THEN 4",
                "WHEN upper(i.sku) LIKE %(prefix)s OR upper(i.mpn) LIKE %(prefix)s THEN 3",
            ]
            parts += ["upper(i.sku) LIKE %(prefix)s", "upper(i.mpn) LIKE %(prefix)s"]
        if text.tsquery:
            args["tsq"] = text.tsquery
            args["tsq_title"] = text.title_tsquery
            parts.insert(0, "i.search_vector @@ %(tsq)s::tsquery")
            title_match = "i.search_vector @@ %(tsq_title)s::tsquery"
            tiers.append(f"WHEN {title_match} THEN 2")
        match = "(" + " OR ".join(parts) + ")"
        tier = "CASE " + " ".join(tiers) + " ELSE 1 END"
    if params.category:
        ids = _category_ids(params.category, categories) or [0]
        where.append(_in("i.category_id", "categories", ids))
        args["categories"] = ids[0] if len(ids) == 1 else ids
        args.update({f"category_{k}": category_id for k, category_id in enumerate(ids)})  # browse_sql's ranges
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
    args["limit"] = params.page_size
    args["offset"] = (params.page - 1) * params.page_size
    sort = params.sort if (text is not None or params.sort != "relevance") else "name"
    return Statement(where=where, args=args, match=match, title_match=title_match, tier=tier, sort=sort, text=text)


def exhaustive_sql(st: Statement, *, facets: bool = True) -> str:
    """Every match, ranked in the one order; the page, the exact count and (`facets`) exact facets in one
    statement."""
    inner_order = _ORDER[st.sort][0]
    relevance = st.sort == "relevance"
    # Only what the sort needs is computed for every match (numeric division, the title check, the hash cost a
    # few microseconds a row); the rank is the tier for relevance and 0 for the other sorts, as in the walk.
    # Only constants and fixed fragments are formatted in; every user value is a bound parameter.
    return f"""
WITH cand AS MATERIALIZED (
    SELECT i.id, {"i.name" if st.sort == "name" else "NULL"} AS name, i.sku,
           {"hashtext(i.sku)" if relevance else "NULL::int"} AS shuffle, i.contract_price, i.category_id,
           i.manufacturer, i.contract_id, {_SAVINGS if st.sort == "savings" else "NULL::numeric"} AS savings,
           ({st.tier if relevance else "0"})::float8 AS tier
    FROM contracts_catalogitem i
    WHERE {st.conditions()}
), page AS (
    SELECT id, tier, row_number() OVER (ORDER BY {inner_order}) AS position
    FROM cand ORDER BY {inner_order} LIMIT %(limit)s OFFSET %(offset)s
)
SELECT 'hit' AS kind, id::text AS key, tier AS rank, position AS n FROM page
UNION ALL
{_FACETS.format(source="cand") if facets else "SELECT 'total', NULL, NULL, count(*) FROM cand"}
"""  # noqa: S608


def _walk(st: Statement, order: str, text_filter: str) -> str:
    """The first %(bound)s rows of the filtered table in `order` (an index read in order), kept where `text_filter`
    holds: the walk of walk_sql and of tiers_sql's tier 1."""
    return f"""
SELECT i.id FROM (
    SELECT i.id, i.search_vector, i.sku, i.mpn FROM contracts_catalogitem i
    WHERE {" AND ".join(st.where)}
    ORDER BY {order}
    LIMIT %(bound)s
) i
WHERE {text_filter}
"""  # noqa: S608


def walk_sql(st: Statement) -> str:
    """Read the index in the sort's order with the text as a filter, at most %(bound)s rows (the sample's count of
    matches, WALK_BOUND..WALK_MAX), until `need` match.

    For relevance the walk reads the title tier only: when it fills the page, no tier-1 item can come before."""
    table_order = _ORDER[st.sort][1]
    title_only = st.sort == "relevance"
    text_filter = st.title_match if title_only else st.match
    tier = "2" if title_only else "0"
    walk = _walk(st, table_order, text_filter or "true")
    if not (title_only and "code" in st.args):
        return f"SELECT 'hit', w.id::text, {tier}::float8, row_number() OVER () FROM ({walk} LIMIT %(need)s) w"  # noqa: S608
    # A code that is also a common word ('CR2032'): the exact SKU / MPN matches first, then the walk. (Prefix
    # matches are ranked with the title tier here: a code common enough to walk is in their names too.)
    return f"""
WITH exact AS MATERIALIZED (
    SELECT i.id, row_number() OVER (ORDER BY hashtext(i.sku), i.sku, i.id) AS n FROM contracts_catalogitem i
    WHERE {" AND ".join(st.where)} AND (upper(i.sku) = %(code)s OR upper(i.mpn) = %(code)s)
)
SELECT 'hit', id::text, 4::float8, n FROM exact
UNION ALL
SELECT 'hit', w.id::text, 2::float8, (SELECT count(*) FROM exact) + row_number() OVER ()
FROM ({walk} AND i.id NOT IN (SELECT id FROM exact) LIMIT %(need)s) w
"""  # noqa: S608


def tiers_sql(st: Statement) -> str:
    """The title tier is small: read it whole (through the GIN index) and walk tier 1 for the rest of the page."""
    return f"""
WITH title AS MATERIALIZED (
    SELECT i.id, hashtext(i.sku) AS shuffle, i.sku FROM contracts_catalogitem i
    WHERE {st.conditions(title_only=True)}
    ORDER BY hashtext(i.sku) + 0, i.sku, i.id  -- "+ 0": sort the matches, do not walk the whole index
    LIMIT %(need)s
), rest AS (
    {_walk(st, _STATIC, f"{st.match} AND NOT {st.title_match}")}
    LIMIT %(need)s
), hits AS (
    SELECT id, 2::float8 AS rank, row_number() OVER (ORDER BY shuffle, sku, id) AS n FROM title
    UNION ALL
    SELECT id, 1::float8, (SELECT count(*) FROM title) + row_number() OVER () FROM rest
)
SELECT 'hit' AS kind, id::text AS key, rank, n FROM hits ORDER BY n LIMIT %(need)s
"""  # noqa: S608


def browse_sql(st: Statement) -> str:
    """No text: the page straight from the index in the sort's order (exact); counts come from a sample.

    A top-level category is several categories: one ordered index range each (`(category_id, <sort>)`), merged, so
    that 'Lighting by price' does not walk the whole price index past every cheaper battery."""
    table_order = _ORDER[st.sort][1]
    categories = st.args.get("categories")
    if isinstance(categories, list) and len(categories) > 1 and st.sort != "relevance":
        parts = []
        for k in range(len(categories)):
            where = [w if not w.startswith("i.category_id") else f"i.category_id = %(category_{k})s" for w in st.where]
            parts.append(
                f"(SELECT i.id, i.name, i.sku, i.contract_price, {_SAVINGS} AS savings FROM contracts_catalogitem i "  # noqa: S608
                f"WHERE {' AND '.join(where)} ORDER BY {table_order} LIMIT %(need)s)"
            )
        order = _ORDER[st.sort][0]
        return f"""
SELECT 'hit' AS kind, u.id::text AS key, 0::float8 AS rank, row_number() OVER (ORDER BY {order}) AS n
FROM ({" UNION ALL ".join(parts)}) u
ORDER BY {order} LIMIT %(need)s
"""  # noqa: S608
    return f"""
SELECT 'hit' AS kind, i.id::text AS key, 0::float8 AS rank, row_number() OVER () AS n
FROM (SELECT i.id FROM contracts_catalogitem i WHERE {st.conditions()}
      ORDER BY {table_order} LIMIT %(need)s) i
"""  # noqa: S608


def sample_sql(st: Statement) -> str:
    """Count and facets over a sample of the table's pages (every item equally likely, wherever it lies), and with
    text the sampled matches that have every word in their title (row kind 'title': how far a walk must read)."""
    title = st.title_match or "false"
    sample = f"""
WITH s AS MATERIALIZED (
    SELECT i.category_id, i.manufacturer, i.contract_id, i.contract_price, {title} AS in_title
    FROM contracts_catalogitem i TABLESAMPLE SYSTEM (%(percent)s) REPEATABLE (16)
    WHERE {st.conditions()}
)"""  # noqa: S608
    titles = "SELECT 'title', NULL, NULL, count(*) FROM s WHERE in_title"
    return f"{sample}\n{_FACETS.format(source='s')}\nUNION ALL {titles}"


# --- Statistics: how common each lexeme is -----------------------------------------------------------

_stats_cache: dict[str, object] = {}


def lexeme_stats() -> tuple[dict[str, float], float, float]:
    """(lexeme -> share of items using it, share below which a lexeme is not listed, rows in the table)."""
    cached = _stats_cache.get("stats")
    if cached and time.monotonic() - cached[0] < STATS_SECONDS:  # type: ignore[index]
        return cached[1]  # type: ignore[index]
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs, "
            "(SELECT reltuples FROM pg_class WHERE oid = 'contracts_catalogitem'::regclass) "
            "FROM pg_stats WHERE tablename = 'contracts_catalogitem' AND attname = 'search_vector'"
        )
        row = cursor.fetchone()
    freqs: dict[str, float] = {}
    floor, rows = 0.0, 0.0
    if row and row[0]:
        elems, values, rows = row
        freqs = {e: float(f) for e, f in zip(elems, values, strict=False)}
        floor = float(values[len(elems)]) if len(values) > len(elems) else min(freqs.values())  # the minimum
        rows = float(rows or 0)
    elif row:
        rows = float(row[2] or 0)
    stats = (freqs, floor, max(rows, 0.0))
    _stats_cache["stats"] = (time.monotonic(), stats)
    return stats


def estimate_matches(text: TextQuery, *, words_only: bool = False) -> float:
    """At most how many items match every word: the rarest word's share (prefixes add their lexemes) x rows.
    A code query is estimated at 0 (exact and prefix codes are read through their indexes) unless `words_only`:
    a code can be a common word too ('CR2032')."""
    if text.code and len(text.code) >= 3 and not words_only:
        return 0.0
    freqs, floor, rows = lexeme_stats()
    if not rows:
        return 0.0
    shares = []
    for term in text.terms:
        share = 0.0
        for lexeme, prefix in term.lexemes.items():
            if prefix:
                share += sum(f for e, f in freqs.items() if e.startswith(lexeme)) or floor
            else:
                share += freqs.get(lexeme, floor)
        shares.append(min(1.0, share))
    return min(shares, default=0.0) * rows


# --- The search -----------------------------------------------------------------------------------


def _run(sql: str, args: dict) -> list[tuple]:
    with read_connection().cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


# A LIMIT makes a sequential scan look cheap to the planner, but when matches are rare it reads the whole table;
# the index paths have a bounded cost. JIT only adds compile time here. Set for the search's statements only.
_HINTS = "SET LOCAL enable_seqscan = off; SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1"
_HINTS_RESET = "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL jit TO DEFAULT; SET LOCAL random_page_cost TO DEFAULT"


def _browse_estimate(st: Statement) -> float:
    if st.estimate is not None:
        return st.estimate
    with read_connection().cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM contracts_catalogitem i WHERE {st.conditions()}", st.args)  # noqa: S608
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    st.estimate = float(plan[0]["Plan"]["Plan Rows"])
    return st.estimate


def choose_plan(st: Statement) -> str:
    if st.text is None:
        return "browse" if _browse_estimate(st) > EXHAUSTIVE_MAX else "exhaustive"
    if not st.text.tsquery:
        return "exhaustive"
    if estimate_matches(st.text, words_only=True) <= EXHAUSTIVE_MAX:
        return "exhaustive"  # few matches at most (the rarest word's share of the table)
    return "walk"  # many, or words common apart: a sample then tells how many match together


def catalog_search(*, scope: SearchScope, params: SearchParams, plan: str = "auto") -> SearchResult:
    """Search the catalog an agency may buy from. Hostile text gives results or an empty page.

    `plan` is 'auto' (the engine chooses), 'exhaustive' (rank every match: the benchmark's reference) or 'walk'
    (the plan for common words whatever the estimate: tests compare it with the exhaustive one).

    Runs on the read replica inside `replica_reads()` (in one transaction there too: the planner hints are
    `SET LOCAL`)."""
    alias = read_alias()
    with transaction.atomic(using=alias, savepoint=False):  # no savepoint inside the request's transaction
        with connections[alias].cursor() as cursor:
            cursor.execute(_HINTS)
        result = _catalog_search(scope=scope, params=params, plan=plan)
        with connections[alias].cursor() as cursor:  # later queries of the request plan as usual
            cursor.execute(_HINTS_RESET)
    return result


def _catalog_search(*, scope: SearchScope, params: SearchParams, plan: str) -> SearchResult:
    categories = category_map(version=scope.reference_version)
    result = SearchResult(params=params, categories=categories)
    text = text_query_build(params=params) if params.q else None
    if not scope.contracts or (text is not None and not text.tsquery and not text.code):
        return result
    if text is not None:
        result.did_you_mean = text.did_you_mean
    st = search_statement(scope=scope, params=params, text=text, categories=categories)
    rows = _search_rows(st, result, plan)
    if text is not None and result.count == 0 and not rows_have_hits(rows):
        better = _rescue(scope=scope, st=st, text=text)
        if better is not None:
            st = search_statement(scope=scope, params=params, text=better, categories=categories)
            rows = _search_rows(st, result, plan)
            result.did_you_mean = better.did_you_mean
            result.relaxed = better.relaxed
            result.matched_words = [t.shown for t in better.terms]
            result.dropped_words = better.dropped
    _fill(result, rows, scope=scope, categories=categories)
    if not result.hits and params.page == 1:
        result.suggestions = search_suggestions(scope=scope, params=params, categories=categories, text=text)
    return result


def _similar(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b[:4]) or b.startswith(a[:4])))


def search_suggestions(*, scope: SearchScope, params: SearchParams, categories, text: TextQuery | None) -> Suggestions:
    """Corrections, categories whose names share a word with the query (else every top-level category) and the
    items with the biggest savings, for a search that found nothing."""
    suggestions = Suggestions(did_you_mean=text.did_you_mean if text else None)
    if not scope.contracts:
        return suggestions
    words = [w for w in params.tokens if len(w) >= 3]
    named = [
        c
        for c in categories.values()
        if c.parent_id is not None
        and any(_similar(w, n) for w in words for n in c.path.lower().replace(">", " ").split())
    ]
    tops = [c for c in categories.values() if c.parent_id is None]
    suggestions.categories = sorted(named or tops, key=lambda c: (c.position, c.path))[:8]
    picks = SearchParams(sort="savings", page_size=4)
    st = search_statement(scope=scope, params=picks, text=None, categories=categories)
    rows = _run(browse_sql(st), {**st.args, "need": picks.page_size})
    items = catalog_items_by_id(scope=scope, ids=[int(key) for _k, key, _r, _n in rows], categories=categories)
    suggestions.items = [SearchHit(item=items[int(key)], rank=0.0) for _k, key, _r, _n in rows if int(key) in items]
    return suggestions


def rows_have_hits(rows) -> bool:
    return any(kind == "hit" for kind, *_ in rows)


def _search_rows(st: Statement, result: SearchResult, plan: str) -> list[tuple]:
    chosen = plan if plan in ("exhaustive", "walk") else choose_plan(st)
    if chosen == "walk" and (st.text is None or not st.text.tsquery):
        chosen = "browse"
    result.count_is_exact = True
    result.facets_exact = True
    result.has_more = None
    if chosen == "exhaustive":
        result.plan = "exhaustive"
        return _run(exhaustive_sql(st), st.args)
    # Measure before walking: a sample of the table's pages gives the count and facets shown, and how many items
    # really match (words can be common apart and rare together, or the reverse), which decides whether to walk
    # at all and how far a walk may read.
    estimate = estimate_matches(st.text) if st.text is not None else _browse_estimate(st)
    sample, percent, seen = _sample(st, estimate)
    matches = seen.get("total", 0) * 100.0 / percent
    bound = int(min(WALK_MAX, max(WALK_BOUND, matches)))
    args = {**st.args, "need": st.need, "bound": bound}
    _freqs, _floor, table_rows = lexeme_stats()
    # How many items with every word in the title a walk of `bound` rows meets (relevance walks the title tier).
    title_met = seen.get("title", 0) * 100.0 / percent / max(table_rows, 1.0) * bound
    walk_fills = st.sort != "relevance" or title_met >= 2 * st.need
    if chosen == "walk" and plan == "auto" and ((matches <= EXHAUSTIVE_MAX and not walk_fills) or matches == 0):
        result.plan = "sample+exhaustive"  # fewer matches than the statistics said: rank them all
        return _exhaustive_after_sample(st, result, sample, percent)
    hits: list[tuple] = []
    if chosen == "browse" or walk_fills or plan != "auto":
        hits = _run(browse_sql(st) if chosen == "browse" else walk_sql(st), args)
    if len(hits) < st.need and chosen == "walk" and st.sort == "relevance":
        if matches <= WALK_MAX and plan == "auto":
            result.plan = "walk+exhaustive"  # ranking every match costs about what the title tier would
            return _exhaustive_after_sample(st, result, sample, percent)
        chosen = "walk-tiers"
        hits = _run(tiers_sql(st), args)
    if len(hits) < st.need and chosen != "browse":
        result.plan = f"{chosen}+exhaustive"  # rarer together than apart: rank every match instead
        return _run(exhaustive_sql(st), st.args)
    result.plan = chosen
    page = [h for h in hits if st.args["offset"] < h[3] <= st.args["offset"] + st.args["limit"]]
    page = [(kind, key, rank, n - st.args["offset"]) for kind, key, rank, n in page]
    result.has_more = len(hits) >= st.need
    scale = 100.0 / percent
    # A page-level sample is noisy where similar items sit together on disk: no estimate above the statistics'
    # upper bound (the rarest word's share of the table, or the planner's rows when browsing).
    ceiling = estimate if estimate > 0 else float("inf")
    scaled = [(kind, key, rank, _round_estimate(min(n * scale, ceiling))) for kind, key, rank, n in sample]
    result.count_is_exact = False
    floor = st.args["offset"] + len(page) + (1 if result.has_more else 0)
    scaled = [(k, key, r, max(n, floor) if k == "total" else max(n, 1)) for k, key, r, n in scaled]
    if not any(k == "total" for k, *_ in scaled):
        scaled.append(("total", None, None, floor))
    return page + scaled


def _exhaustive_after_sample(st: Statement, result: SearchResult, sample: list[tuple], percent: float) -> list[tuple]:
    """Every match ranked, the exact count, and the facets of the sample already taken (aggregating every match
    again costs about a sixth of the statement). Small match sets (under SAMPLE_MIN_ROWS sampled rows' worth,
    i.e. a sample that read the whole table) keep exact facets from the sample itself."""
    rows = _run(exhaustive_sql(st, facets=False), st.args)
    total = next((n for kind, _k, _r, n in rows if kind == "total"), 0)
    if percent >= 100.0:
        return rows + [row for row in sample if row[0] != "total"]  # the sample read every row: exact
    result.facets_exact = False
    scale = 100.0 / percent
    estimated = [(kind, key, rank, _round_estimate(n * scale)) for kind, key, rank, n in sample if kind != "total"]
    return rows + [(kind, key, rank, max(1, min(total, n))) for kind, key, rank, n in estimated]


def _sample(st: Statement, estimate: float) -> tuple[list[tuple], float, dict[str, int]]:
    """The count / facet rows of a sample of the matches, the share of the table's pages read (percent), and how
    many sampled rows matched (`total`)."""
    percent = min(SAMPLE_PERCENT[1], max(SAMPLE_PERCENT[0], 100.0 * SAMPLE_MATCHES / max(estimate, 1.0)))
    _freqs, _floor, table_rows = lexeme_stats()
    percent = min(100.0, max(percent, 100.0 * SAMPLE_MIN_ROWS / max(table_rows, 1.0)))  # a small table: read it
    rows = _run(sample_sql(st), {**st.args, "percent": percent})
    seen = {kind: n for kind, _key, _rank, n in rows if kind in ("total", "title")}
    return [row for row in rows if row[0] != "title"], percent, seen


def _round_estimate(value: float) -> int:
    """Two significant figures: an estimate should not look exact."""
    if value < 100:
        return round(value)
    digits = math.floor(math.log10(value)) - 1
    return int(round(value, -digits))


def _fill(result: SearchResult, rows: list[tuple], *, scope: SearchScope, categories) -> None:
    hits: list[tuple[int, int, float]] = []
    facet_rows = []
    result.count = 0
    for kind, key, rank, n in rows:
        if kind == "hit":
            hits.append((n, int(key), rank))
        elif kind == "total":
            result.count = n
        else:
            facet_rows.append((kind, key, n))
    result.facets = facets_from_rows(
        facet_rows,
        categories=categories,
        contracts=scope.contracts,
        exact=result.count_is_exact and result.facets_exact,
    )
    hits.sort()
    items = catalog_items_by_id(scope=scope, ids=[item_id for _n, item_id, _r in hits], categories=categories)
    result.hits = [SearchHit(item=items[item_id], rank=rank) for _n, item_id, rank in hits if item_id in items]


# --- When nothing matches every word ---------------------------------------------------------------


def _any_match_sql(st: Statement) -> str:
    """The index (1-based) of the first tsquery in %(candidates)s that some item in scope matches, or none."""
    return f"""
SELECT q.k FROM unnest(%(candidates)s::text[]) WITH ORDINALITY AS q(tsq, k)
WHERE EXISTS (SELECT 1 FROM contracts_catalogitem i WHERE {" AND ".join(st.where)}
              AND i.search_vector @@ q.tsq::tsquery)
ORDER BY q.k LIMIT 1
"""  # noqa: S608


def _first_matching(st: Statement, candidates: list[TextQuery]) -> TextQuery | None:
    candidates = [c for c in candidates if c.tsquery][:MAX_RELAX_TRIES]
    if not candidates:
        return None
    rows = _run(_any_match_sql(st), {**st.args, "candidates": [c.tsquery for c in candidates]})
    return candidates[rows[0][0] - 1] if rows else None


def _rescue(*, scope: SearchScope, st: Statement, text: TextQuery) -> TextQuery | None:
    """Nothing matched every word: first a real word one edit away that makes every word match ('sealed led
    acid' -> 'lead'), else the best subset of the words (relaxation)."""
    if text.code:
        return None  # a SKU or part number that matches nothing is not a sentence to take apart
    words = [t.shown for t in text.terms]
    with read_connection().cursor() as cursor:
        cursor.execute(_NEIGHBOURS_SQL, {"words": words})
        neighbours = cursor.fetchall()
    corrections = []
    for word, neighbour, stem, ndoc in neighbours:
        index = words.index(word)
        lexemes = dict.fromkeys([neighbour, *(stem or [])], False)
        candidate = text.replaced(index, Term(shown=neighbour, lexemes=lexemes, ndoc=ndoc))
        candidate.did_you_mean = candidate.shown
        corrections.append(candidate)
    found = _first_matching(st, corrections)
    if found is not None:
        return found
    return _first_matching(st, _relaxations(text))


def _relaxations(text: TextQuery) -> list[TextQuery]:
    """Subsets of the words, best first: more words before fewer; among as many, the rarer (more telling)
    words kept; filler and unknown words are the first to go, then the words of a purpose ("for …")."""
    terms = text.terms
    if len(terms) < 2:
        return []

    def weight(term: Term) -> float:
        if term.filler:
            return 0.0
        if term.ndoc <= 0:
            return 0.5  # not in names, makers or categories: it can only match a description or a code
        telling = 1.0 + math.log(1e6 / term.ndoc)
        return telling * (0.25 if term.purpose else 1.0)

    out: list[TextQuery] = []
    for size in range(len(terms) - 1, 0, -1):
        subsets = sorted(combinations(range(len(terms)), size), key=lambda keep: -sum(weight(terms[i]) for i in keep))
        for keep in subsets:
            kept = [terms[i] for i in keep]
            if all(t.filler or not any(ch.isalpha() for ch in t.shown) for t in kept):
                continue  # filler words or bare numbers alone say nothing
            out.append(
                TextQuery(
                    terms=kept,
                    code=None,
                    did_you_mean=text.did_you_mean,
                    relaxed=True,
                    dropped=[terms[i].shown for i in range(len(terms)) if i not in keep],
                )
            )
            if len(out) >= MAX_RELAX_TRIES:
                return out
    return out


def catalog_items_by_id(
    *, scope: SearchScope, ids: list[int], categories: dict[int, Category] | None = None
) -> dict[int, CatalogItem]:
    """The page's items, with their contract (from the scope) and category (from `categories` when the caller has
    them already, else joined)."""
    if not ids:
        return {}
    items = CatalogItem.objects.filter(id__in=ids, contract_id__in=scope.contract_ids, status=ItemStatus.ACTIVE).defer(
        "search_vector", "description", "attributes"
    )
    items = items.select_related("image") if categories else items.select_related("category", "image")
    for item in items:
        item.contract = scope.contracts[item.contract_id]
        if categories:
            item.category = categories[item.category_id]
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
