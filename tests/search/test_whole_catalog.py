"""Search over the whole catalog (issue 11): one relevance order whatever the load order and whatever the plan,
edit-distance, sound-alike and real-word typo corrections, relaxation to the best subset of the words, and a
zero-results page that always offers something."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.db import transaction

from agencies import selectors
from contracts.catalog.search.engine import catalog_search, savings_percent
from contracts.catalog.search.query import parse_params
from contracts.catalog.search.words import search_words_refresh
from contracts.models import CatalogItem
from tests.search.conftest import api, make_item, skus

pytestmark = pytest.mark.django_db

BRANDS = ["Duracell", "Energizer", "Rayovac", "Panasonic", "Maxell"]
KINDS = [
    ("AA Alkaline Battery", "alkaline-lithium-cells", "9"),
    ("AAA Alkaline Battery", "alkaline-lithium-cells", "8"),
    ("AA Lithium Battery", "alkaline-lithium-cells", "14"),
    ("CR2032 Coin Cell", "coin-button-cells", "3"),
    ("LED Flashlight", "flashlights", "40"),
    ("A19 LED Lamp", "led-lamps", "4"),
    ("12V 7Ah Sealed Lead-Acid Battery", "sealed-lead-acid", "30"),
]
PACKS = [1, 4, 12, 24]


def _catalog_rows():
    """140 items: every brand x kind x pack, each a distinct SKU."""
    rows = []
    for n, (brand, (kind, category, price), pack) in enumerate(itertools.product(BRANDS, KINDS, PACKS)):
        name = f"{brand} {kind}" + (f", {pack}-pack" if pack > 1 else "")
        list_price = str(int(price) * pack + n % 7)
        contract_price = str(int(price) * pack * 7 // 10 + n % 5)
        rows.append((f"GEN-{n:04d}", name, category, brand, f"MPN{n:04d}", list_price, contract_price))
    return rows


def _load(contract, rows):
    CatalogItem.objects.filter(contract=contract).delete()
    for row in rows:
        make_item(contract, *row, description="Sold on the cooperative contract.")
    search_words_refresh()


def _first_page(agency, plan="auto", **params):
    scope = selectors.catalog_scope(agency=agency)
    with transaction.atomic():
        result = catalog_search(scope=scope, params=parse_params(params, page_size=10), plan=plan)
    return [hit.item.sku for hit in result.hits], result


QUERIES = [
    {"q": "battery"},
    {"q": "aa battery"},
    {"q": "alkaline"},
    {"q": "duracell"},
    {"q": "led"},
    {"q": "battery", "sort": "price"},
    {"q": "battery", "sort": "-price"},
    {"q": "battery", "sort": "savings"},
    {"q": "battery", "category": "alkaline-lithium-cells"},
    {"q": "battery", "page": "2"},
    {"category": "alkaline-lithium-cells"},
    {"sort": "savings"},
    # a top-level category: one ordered range per child category, merged
    {"category": "batteries"},
    {"category": "batteries", "sort": "price"},
    {"category": "batteries", "sort": "-price", "page": "2"},
    {"category": "lighting", "sort": "savings"},
    {"category": "batteries", "sort": "price", "max_price": "20"},
]


@pytest.fixture
def big_shop(shop):
    shop.rows = _catalog_rows()
    _load(shop.contract, shop.rows)
    return shop


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_the_first_page_does_not_depend_on_the_order_items_were_loaded_in(big_shop, params):
    loaded_forward, _ = _first_page(big_shop.agency, **params)
    _load(big_shop.contract, list(reversed(big_shop.rows)))  # the same items, new ids, the other way round

    loaded_backward, _ = _first_page(big_shop.agency, **params)

    assert loaded_forward and loaded_forward == loaded_backward


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_the_walk_for_common_words_ranks_exactly_as_ranking_every_match(big_shop, params):
    walked, walk = _first_page(big_shop.agency, plan="walk", **params)
    ranked, exhaustive = _first_page(big_shop.agency, plan="exhaustive", **params)

    assert walked == ranked
    assert exhaustive.count_is_exact and walk.plan in ("walk", "walk-tiers", "browse", "walk+exhaustive")


def test_items_with_every_word_in_their_title_come_before_items_that_mention_them_elsewhere(client, big_shop):
    make_item(big_shop.contract, "DESC-1", "Battery tester", "chargers", description="Tests alkaline cells.")

    rows = api(client, big_shop.requester, q="alkaline", page_size=200).json()["results"]

    titled = [r["sku"] for r in rows if "Alkaline" in r["name"]]
    assert len(titled) == 40  # they come first, then the rest
    assert [r["sku"] for r in rows[: len(titled)]] == titled
    assert "DESC-1" in [r["sku"] for r in rows[len(titled) :]]


def test_a_broad_walk_estimates_counts_and_every_facet_value_leads_to_items(client, big_shop):
    _skus, result = _first_page(big_shop.agency, plan="walk", q="battery")

    assert result.count_is_exact is False and result.has_more is True
    assert result.facets.category, "the sample must describe the matches"
    for value in result.facets.category + result.facets.manufacturer:
        dimension = "category" if value in result.facets.category else "manufacturer"
        assert _first_page(big_shop.agency, q="battery", **{dimension: value.value})[0]


def test_a_short_typo_trigrams_miss_is_corrected_by_edit_distance(client, big_shop):
    response = api(client, big_shop.requester, q="lithuim")

    assert response.json()["did_you_mean"] == "lithium"
    assert all("Lithium" in r["name"] for r in response.json()["results"][:20])  # then 'lithium cells' items


def test_a_word_that_sounds_the_same_is_searched_too(client, big_shop):
    make_item(big_shop.contract, "EM-1", "Emergency Light with Battery Backup", "exit-emergency-lights")
    search_words_refresh()

    response = api(client, big_shop.requester, q="emergancy lite")

    assert response.json()["did_you_mean"] == "emergency light"
    assert skus(response)[0] == "EM-1"  # then the items filed under emergency lighting


def test_a_real_word_is_corrected_when_nothing_matches_as_typed(client, big_shop):
    response = api(client, big_shop.requester, q="sealed led acid")

    body = response.json()
    assert body["did_you_mean"] == "sealed lead acid" and body["relaxed"] is False
    assert skus(response) and all("Sealed Lead-Acid" in r["name"] for r in body["results"][:20])


def test_real_words_that_match_together_are_not_corrected(client, big_shop):
    response = api(client, big_shop.requester, q="led flashlight")

    assert response.json()["did_you_mean"] is None
    assert all("LED Flashlight" in r["name"] for r in response.json()["results"][:20])


def test_a_plain_request_is_relaxed_to_the_words_that_match_and_says_so(client, big_shop):
    response = api(client, big_shop.requester, q="aa batteries for smoke detectors")

    body = response.json()
    assert body["relaxed"] is True
    assert body["matched_words"] == ["aa", "batteries"] and body["dropped_words"] == ["smoke", "detectors"]
    assert all(" AA " in r["name"] for r in body["results"][:20])

    client.force_login(big_shop.requester)
    html = client.get("/agencies/city-of-alpha/catalog/", {"q": "aa batteries for smoke detectors"}).content.decode()
    assert "Showing items that match some of your words: <strong>aa batteries</strong>" in html
    assert "so these were left out: smoke, detectors" in html


def test_relaxation_keeps_the_thing_asked_for_before_its_purpose(client, big_shop):
    body = api(client, big_shop.requester, q="need a lithium battery for flashlight").json()

    assert body["relaxed"] is True and "flashlight" in body["dropped_words"]
    assert all("Lithium Battery" in r["name"] for r in body["results"][:20])


def test_a_code_that_matches_nothing_is_not_relaxed(client, big_shop):
    body = api(client, big_shop.requester, q="GEN-99999").json()

    assert body["results"] == [] and body["relaxed"] is False


def test_nothing_found_offers_categories_and_items_never_an_empty_page(client, big_shop):
    body = api(client, big_shop.requester, q="zqxv wibblefrump").json()

    assert body["count"] == 0 and body["results"] == []
    hints = body["suggestions"]
    assert {c["value"] for c in hints["categories"]} >= {"batteries", "lighting"}
    shown = [Decimal(i["savings_percent"]) for i in hints["items"]]
    scope = selectors.catalog_scope(agency=big_shop.agency)
    best = max(savings_percent(i) for i in CatalogItem.objects.filter(contract_id__in=scope.contract_ids))
    assert len(shown) == 4 and shown == sorted(shown, reverse=True) and shown[0] == best

    client.force_login(big_shop.requester)
    html = client.get("/agencies/city-of-alpha/catalog/", {"q": "zqxv wibblefrump"}).content.decode()
    assert "No items found" in html and "Try instead" in html and "Items with the biggest savings" in html
    assert 'href="?category=batteries"' in html
    assert "Filter results" not in html  # no empty facet heading


def test_nothing_found_names_the_categories_that_share_a_word(client, big_shop):
    hints = api(client, big_shop.requester, q="flashlights for zqxv").json()

    assert hints["results"] and hints["relaxed"] is True  # 'flashlights' alone matches
    hints = api(client, big_shop.requester, q="recycling zqxvw").json()  # a category with no items here
    assert hints["results"] == []
    assert [c["value"] for c in hints["suggestions"]["categories"]] == ["battery-recycling"]


def test_ranking_every_match_after_a_partial_sample_keeps_the_exact_count_and_page_and_estimates_the_facets(big_shop):
    """When the sample says a walk would not pay, every match is ranked (exact count, exact page) and the facets
    come from the sample already taken: flagged as estimates, never above the count, never zero."""
    from contracts.catalog.search import engine

    scope = selectors.catalog_scope(agency=big_shop.agency)
    params = parse_params({"q": "battery"}, page_size=10)
    categories = engine.category_map()
    st = engine.search_statement(
        scope=scope, params=params, text=engine.text_query_build(params=params), categories=categories
    )
    with transaction.atomic():
        sample = engine._run(engine.sample_sql(st), {**st.args, "percent": 100.0})
        result = engine.SearchResult(params=params)
        rows = engine._exhaustive_after_sample(st, result, [r for r in sample if r[0] != "title"], 50.0)
        exact = catalog_search(scope=scope, params=params, plan="exhaustive")

    total = next(n for kind, _k, _r, n in rows if kind == "total")
    hits = sorted((n, int(key)) for kind, key, _r, n in rows if kind == "hit")
    facets = [(kind, key, n) for kind, key, _r, n in rows if kind not in ("hit", "total")]
    assert total == exact.count and [item_id for _n, item_id in hits] == [h.item.id for h in exact.hits]
    assert result.facets_exact is False
    assert facets and all(1 <= n <= total for _kind, _key, n in facets)
    shown = {c.value for c in exact.facets.category}
    assert {categories[int(key)].slug for kind, key, _n in facets if kind == "category"} == shown
