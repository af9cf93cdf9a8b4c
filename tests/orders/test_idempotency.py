"""Checkout with an Idempotency-Key: replayed, refused when reused with another body, and race-safe with real
threads and real transactions (20 concurrent checkouts with one key make exactly one requisition)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from orders.models import IdempotencyRecord, PurchaseOrder, Requisition
from tests.orders.shopping import make_shop, put_in_cart

API = "/api/v1/agencies/city-of-alpha/checkout/"


@pytest.mark.django_db
def test_same_key_replays_the_first_answer(client, world):
    shop = make_shop(world)
    put_in_cart(world, shop.battery, 2)
    client.force_login(world.requester)
    first = client.post(API, {"notes": "x"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    put_in_cart(world, shop.lamp, 1)  # the cart changed; a replay still answers the first checkout
    again = client.post(API, {"notes": "x"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert Requisition.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused(client, world):
    shop = make_shop(world)
    put_in_cart(world, shop.battery, 2)
    client.force_login(world.requester)
    assert client.post(API, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    put_in_cart(world, shop.lamp, 1)
    response = client.post(API, {"notes": "other"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Requisition.objects.count() == 1


@pytest.mark.django_db
def test_refused_checkout_is_not_recorded_so_the_key_can_be_retried(client, world):
    shop = make_shop(world)
    client.force_login(world.requester)
    empty = client.post(API, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert empty.status_code == 400 and not IdempotencyRecord.objects.exists()
    put_in_cart(world, shop.battery, 1)
    assert client.post(API, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_checkouts_with_one_key_make_one_requisition(world):
    shop = make_shop(world)
    put_in_cart(world, shop.battery, 1)
    put_in_cart(world, shop.lamp, 1)
    barrier = threading.Barrier(20)
    results: list = []
    lock = threading.Lock()

    def checkout():
        try:
            client = Client()
            client.force_login(world.requester)
            barrier.wait(timeout=30)
            response = client.post(API, {"notes": "race"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="race")
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert Requisition.objects.count() == 1
    assert PurchaseOrder.objects.count() == 2
    statuses = sorted(status for status, _ in results)
    assert len(results) == 20 and set(statuses) <= {201, 409}
    created = [body for status, body in results if status == 201]
    assert created and all(body == created[0] for body in created)
