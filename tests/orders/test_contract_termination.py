"""Terminating a contract asks first, on a page that says what it affects: open carts, orders waiting, no undo."""

from __future__ import annotations

import pytest

from contracts.models import Contract
from marketplace.core.models import AuditEvent, Notification
from orders.purchase_orders.models import POStatus
from tests.orders.factories import purchase_order
from tests.orders.shopping import make_shop, put_in_cart

pytestmark = pytest.mark.django_db

URL = "/coops/alpha-coop/contracts/ct-batt/terminate/"


@pytest.fixture
def shop(world):
    return make_shop(world)


def _state():
    return (
        tuple(Contract.objects.values_list("pk", "status").order_by("pk")),
        AuditEvent.objects.filter(action="contract.terminated").count(),
        Notification.objects.count(),
    )


def test_confirmation_page_counts_carts_and_waiting_orders(client, world, shop):
    put_in_cart(world, shop.battery, 2)
    put_in_cart(world, shop.battery, 1, user=world.agency_admin)
    put_in_cart(world, shop.lamp, 1)  # another contract: not counted
    purchase_order(world=world, status=POStatus.PENDING_APPROVAL, contract=shop.contract)
    purchase_order(world=world, status=POStatus.SENT, lines=0, contract=shop.contract)  # already sent: not waiting
    before = _state()
    client.force_login(world.coop_staff)

    page = client.get(URL).content.decode()

    assert "Terminate contract CT-BATT?" in page
    assert "2 lines in 2 open carts (1 agency) hold its items" in page
    assert "1 purchase order is on it waiting for approval or to be sent. Terminating does not cancel it" in page
    assert "This cannot be undone." in page
    assert _state() == before


def test_terminate_needs_a_reason_then_terminates(client, world, shop):
    before = _state()
    client.force_login(world.coop_staff)

    refused = client.post(URL, {"reason": "  "})

    assert refused.status_code == 400
    assert "Give the reason for terminating the contract." in refused.content.decode()
    assert _state() == before

    response = client.post(URL, {"reason": "Insurance lapsed"}, follow=True)

    assert "Contract CT-BATT is terminated. Member agencies can no longer order on it." in response.content.decode()
    shop.contract.refresh_from_db()
    assert shop.contract.status == "terminated"
    event = AuditEvent.objects.get(action="contract.terminated")
    assert event.after == {"status": "terminated", "reason": "Insurance lapsed"}
    # done once: the page now sends staff back to the contract, and a second POST changes nothing
    assert client.get(URL).status_code == 302
    after = _state()
    assert client.post(URL, {"reason": "Again"}).status_code == 400
    assert _state() == after


def test_another_coops_contract_cannot_be_terminated_here(client, world, shop):
    other = Contract.objects.create(
        number="CT-BETA",
        slug="ct-beta",
        title="Beta lighting",
        cooperative=world.other_coop,
        supplier=world.supplier,
        term_start=shop.contract.term_start,
        term_end=shop.contract.term_end,
        status="active",
    )
    other.available_to.add(world.coop)  # readable by Alpha's staff, but not theirs to terminate
    before = _state()
    client.force_login(world.coop_admin)
    assert client.get("/coops/alpha-coop/contracts/ct-beta/terminate/").status_code == 404
    assert client.post("/coops/alpha-coop/contracts/ct-beta/terminate/", {"reason": "No"}).status_code == 404
    assert _state() == before
