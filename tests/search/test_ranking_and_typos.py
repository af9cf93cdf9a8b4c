"""Ranking, exact and prefix SKU / MPN, typo tolerance through the unique-words table."""

import pytest

from contracts.catalog.search.words import search_words_refresh
from contracts.models import SearchWord
from tests.search.conftest import api, skus

pytestmark = pytest.mark.django_db


def test_exact_sku_comes_first_even_when_another_item_mentions_it(client, shop):
    found = skus(api(client, shop.requester, q="PS-12180-NB"))

    assert found[0] == "PS-12180-NB"
    assert "TRAY-1" in found


def test_exact_mpn_comes_first(client, shop):
    assert skus(api(client, shop.requester, q="rbc7"))[0] == "APC-RBC7"


@pytest.mark.parametrize(
    ("q", "sku"), [("PS-121", "PS-12180-NB"), ("pc15", "DUR-AA24"), ("JEBL", "JEBL-24L"), ("apc-rb", "APC-RBC7")]
)
def test_prefix_of_a_sku_or_mpn_finds_the_item(client, shop, q, sku):
    assert sku in skus(api(client, shop.requester, q=q))


def test_aa_batery_finds_aa_batteries_and_says_what_it_searched(client, shop):
    response = api(client, shop.requester, q="aa batery")

    assert skus(response) == ["DUR-AA24"]
    assert response.json()["did_you_mean"] == "aa battery"


def test_flashlite_finds_the_flashlight(client, shop):
    response = api(client, shop.requester, q="flashlite")

    assert skus(response) == ["SL-78100"]
    assert response.json()["did_you_mean"] == "flashlight"


def test_correct_words_are_not_corrected(client, shop):
    response = api(client, shop.requester, q="duracell battery")

    assert skus(response) == ["DUR-AA24"]
    assert response.json()["did_you_mean"] is None


def test_the_last_word_matches_as_a_prefix_while_typing(client, shop):
    assert skus(api(client, shop.requester, q="stream")) == ["SL-78100"]
    assert set(skus(api(client, shop.requester, q="alkaline batt"))) == {"DUR-AA24", "EN-AAA24", "FL-1"}


def test_name_words_rank_above_description_words(client, shop):
    shop.items["PHL-A19-9W"].description = "Not a flashlight."
    shop.items["PHL-A19-9W"].save()

    assert skus(api(client, shop.requester, q="flashlight")) == ["SL-78100", "PHL-A19-9W"]


def test_search_words_refresh_collects_words_without_digits_and_is_idempotent(shop):
    words = set(SearchWord.objects.values_list("word", flat=True))

    assert {"battery", "duracell", "flashlight", "alkaline", "lithonia"} <= words
    assert not any(ch.isdigit() for word in words for ch in word)
    assert search_words_refresh() == 0
    assert search_words_refresh(contract_ids=[]) == 0
