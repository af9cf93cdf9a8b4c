"""The co-op's price-change queue: list prices old → new and the resulting discount off list, the supplier's
reason, pending oldest first but history newest first, and buttons whose visible text is short."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from contracts.models import PriceChange
from tests.catalog_imports.conftest import make_item

pytestmark = pytest.mark.django_db


def _url(world):
    return f"/coops/{world.coop.slug}/price-changes/"


def _change(contract, sku, *, status="pending", days_ago=0, decided_days_ago=None, **prices):
    item = make_item(contract, sku, price="12.00", list_price="20.00")
    PriceChange.objects.filter(item=item).delete()  # its initial price: history of its own, not under test
    values = {"old_price": "12.00", "new_price": "13.00", "old_list_price": "20.00", "new_list_price": "20.00"}
    values.update(prices)
    change = PriceChange.objects.create(item=item, status=status, **values)
    now = timezone.now()
    decided = None if decided_days_ago is None else now - timedelta(days=decided_days_ago)
    PriceChange.objects.filter(pk=change.pk).update(requested_at=now - timedelta(days=days_ago), decided_at=decided)
    return change


def _skus(body: str) -> list[str]:
    return re.findall(r'<th scope="row"><span class="text-bold text-no-wrap">([^<]+)</span>', body)


def test_list_prices_discount_and_reason_are_shown(client, world, contract):
    _change(contract, "LP-1", new_price="15.00", new_list_price="25.00")
    PriceChange.objects.filter(item__sku="LP-1", status="pending").update(request_reason="New list from Acme")
    client.force_login(world.coop_staff)

    body = client.get(_url(world)).content.decode()

    assert "$20.00 → $25.00" in body  # list price, old → new
    assert "$12.00 → $15.00" in body and "+25.0%" in body  # contract price and its change
    assert ">40.0% off list<" in body and "was 40.0%" not in body  # 15 of 25 is 40% off list, as 12 of 20 was
    assert ">New list from Acme</td>" in body


def test_discount_falls_when_the_list_price_stays(client, world, contract):
    _change(contract, "LP-2")  # 12 → 13 on a list of 20: 40% → 35% off
    client.force_login(world.coop_staff)
    body = client.get(_url(world)).content.decode()
    assert ">35.0% off list<" in body and "was 40.0%" in body and "(unchanged)" in body


def test_buttons_show_a_short_word_and_name_the_sku_to_screen_readers(client, world, contract):
    _change(contract, "BCB-100589")
    client.force_login(world.coop_staff)
    body = client.get(_url(world)).content.decode()
    assert 'text-no-wrap" type="submit">Approve<span class="usa-sr-only"> BCB-100589</span></button>' in body
    assert 'text-no-wrap" type="submit">Reject<span class="usa-sr-only"> BCB-100589</span></button>' in body


def test_pending_is_a_queue_oldest_first(client, world, contract):
    _change(contract, "NEW", days_ago=1)
    _change(contract, "OLD", days_ago=9)
    client.force_login(world.coop_staff)
    assert _skus(client.get(_url(world)).content.decode()) == ["OLD", "NEW"]
    api = client.get(f"/api/v1/coops/{world.coop.slug}/price-changes/").json()
    assert [c["item"]["sku"] for c in api["results"]] == ["OLD", "NEW"]


def test_history_is_newest_decision_first_and_paginated(client, world, contract):
    _change(contract, "DECIDED-LONG-AGO", status="approved", days_ago=30, decided_days_ago=29)
    _change(contract, "ASKED-LONG-AGO-DECIDED-TODAY", status="rejected", days_ago=40, decided_days_ago=0)
    _change(contract, "APPLIED-YESTERDAY", status="applied", days_ago=1, new_price="11.00")
    _change(contract, "STILL-PENDING", days_ago=50)
    client.force_login(world.coop_staff)

    body = client.get(_url(world), {"status": ""}).content.decode()

    assert _skus(body)[:4] == ["ASKED-LONG-AGO-DECIDED-TODAY", "APPLIED-YESTERDAY", "DECIDED-LONG-AGO", "STILL-PENDING"]
    api = client.get(f"/api/v1/coops/{world.coop.slug}/price-changes/", {"status": "approved"}).json()
    assert [c["item"]["sku"] for c in api["results"]] == ["DECIDED-LONG-AGO"]

    for n in range(51):
        _change(contract, f"H-{n:02d}", status="applied", days_ago=2, new_price="11.00")
    first = client.get(_url(world), {"status": ""}).content.decode()
    second = client.get(_url(world), {"status": "", "page": 2}).content.decode()
    assert len(_skus(first)) == 50 and _skus(first)[0] == "ASKED-LONG-AGO-DECIDED-TODAY"
    assert "STILL-PENDING" in _skus(second)


def test_api_gives_the_discount_off_list(client, world, contract):
    _change(contract, "API-1", new_price="15.00", new_list_price="25.00")
    client.force_login(world.coop_staff)
    result = client.get(f"/api/v1/coops/{world.coop.slug}/price-changes/").json()["results"][0]
    assert (result["new_list_price"], result["discount_off_list"], result["percent_change"]) == (
        "25.00",
        "40.0",
        "25.0",
    )
