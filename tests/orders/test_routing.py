"""Approval routing at checkout: amount, emergency and category rules, eligible approvers (never the
requester), too few approvers, and the split-purchase guard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import Category
from marketplace.core.models import Membership, Notification
from orders.models import ApprovalRequest, PurchaseOrder, Requisition
from tests.orders.factories import ApprovalRuleFactory
from tests.orders.shopping import make_shop, put_in_cart

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha/checkout/"


@pytest.fixture
def shop(world):
    return make_shop(world)


@pytest.fixture
def approvers(world, make_member):
    return [make_member(world.agency, "approver", email=f"approver{n}@alpha.test") for n in range(3)]


def _checkout(client, world, body=None):
    client.force_login(world.requester)
    response = client.post(API, body or {}, content_type="application/json")
    assert response.status_code == 201, response.json()
    return Requisition.objects.get(public_id=response.json()["public_id"])


def test_below_the_lowest_threshold_is_approved_at_once(client, world, shop, approvers):
    ApprovalRuleFactory(agency=world.agency, name="Over $500", min_amount="500.00", approvals_required=1)
    put_in_cart(world, shop.battery, 3)
    requisition = _checkout(client, world)
    assert requisition.status == "approved" and requisition.approvals_required == 0
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) == {"sent"}  # released at once
    assert not ApprovalRequest.objects.exists()


def test_highest_amount_rule_asks_each_eligible_approver_but_not_the_requester(
    client, world, shop, approvers, make_member
):
    ApprovalRuleFactory(agency=world.agency, name="Small", min_amount="0.00", approvals_required=0)
    ApprovalRuleFactory(agency=world.agency, name="Over $100", min_amount="100.00", approvals_required=1)
    ApprovalRuleFactory(agency=world.agency, name="Over $1,000", min_amount="1000.00", approvals_required=2)
    Membership.objects.create(user=world.requester, organization=world.agency, role="approver")
    put_in_cart(world, shop.battery, 20)  # $200
    requisition = _checkout(client, world)
    assert (requisition.status, requisition.approvals_required, requisition.approval_rule_name) == (
        "pending_approval",
        1,
        "Over $100",
    )
    asked = set(ApprovalRequest.objects.values_list("approver__email", flat=True))
    assert asked == {a.email for a in approvers}
    request = ApprovalRequest.objects.first()
    assert dt.timedelta(days=6, hours=23) < request.expires_at - timezone.now() <= dt.timedelta(days=7)
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) == {"pending_approval"}
    assert (
        Notification.objects.filter(user=approvers[0], title__contains="Order to approve").get().kind
        == "approval_needed"
    )
    assert not Notification.objects.filter(user=world.requester, title__contains="Order to approve").exists()


def test_emergency_rule_applies_to_an_emergency(client, world, shop, approvers):
    ApprovalRuleFactory(agency=world.agency, name="Over $100", min_amount="100.00", approvals_required=2)
    ApprovalRuleFactory(
        agency=world.agency, name="Emergency", min_amount="0.00", approvals_required=1, is_emergency=True
    )
    put_in_cart(world, shop.battery, 20)
    requisition = _checkout(client, world, {"is_emergency": True, "emergency_reason": "Hurricane Milton"})
    assert (requisition.approval_rule_name, requisition.approvals_required) == ("Emergency", 1)
    assert requisition.is_emergency and PurchaseOrder.objects.get().is_emergency


def test_category_rule_can_only_raise(client, world, shop, approvers):
    lamps = Category.objects.get(slug="led-lamps")
    parent = lamps.parent or lamps
    ApprovalRuleFactory(agency=world.agency, name="Base", min_amount="0.00", approvals_required=1)
    ApprovalRuleFactory(agency=world.agency, name="Lighting", category=parent, approvals_required=2)
    put_in_cart(world, shop.battery, 1)  # priced_item puts items in led-lamps (under `parent`)
    requisition = _checkout(client, world)
    assert (requisition.approval_rule_name, requisition.approvals_required) == ("Lighting", 2)


def test_no_rules_at_all_is_approved_at_once(client, world, shop):
    put_in_cart(world, shop.battery, 1)
    requisition = _checkout(client, world)
    assert requisition.status == "approved" and requisition.approval_rule_name == ""


def test_too_few_approvers_still_routes_and_says_so(client, world, shop, approvers):
    ApprovalRuleFactory(agency=world.agency, name="Big", min_amount="0.00", approvals_required=5)
    put_in_cart(world, shop.battery, 1)
    requisition = _checkout(client, world)
    assert requisition.status == "pending_approval"
    assert "needs 5 approvals" in requisition.routing_note and "only 3 eligible" in requisition.routing_note
    assert ApprovalRequest.objects.count() == 3
    assert Notification.objects.filter(user=world.agency_admin, title__contains="cannot get its approvals").exists()


def test_split_purchase_guard_flags_and_routes(client, world, shop, approvers, settings):
    settings.SPLIT_PURCHASE_WINDOW_DAYS = 14
    ApprovalRuleFactory(agency=world.agency, name="Over $500", min_amount="500.00", approvals_required=1)
    put_in_cart(world, shop.battery, 30)  # $300: under the threshold alone
    first = _checkout(client, world)
    assert first.status == "approved" and first.split_flag == {}
    put_in_cart(world, shop.battery, 30)  # another $300 to the same supplier: $600 together
    put_in_cart(world, shop.lamp, 1)  # another supplier: not part of the sum
    second = _checkout(client, world)
    assert second.status == "pending_approval" and second.approvals_required == 1
    assert second.split_flag["threshold"] == "500.00"
    assert Decimal(second.split_flag["sum"]) == Decimal("600.00")
    assert second.split_flag["related"] == [str(first.public_id)]
    assert second.split_flag["window_days"] == 14


def test_split_guard_ignores_orders_outside_the_window(client, world, shop, approvers):
    ApprovalRuleFactory(agency=world.agency, name="Over $500", min_amount="500.00", approvals_required=1)
    put_in_cart(world, shop.battery, 30)
    first = _checkout(client, world)
    Requisition.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=15))
    put_in_cart(world, shop.battery, 30)
    second = _checkout(client, world)
    assert second.status == "approved" and second.split_flag == {}
