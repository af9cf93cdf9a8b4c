"""Checkout honours the membership agreement: the service, the API (409 `agreement_required`) and the page (error
summary with a link to the agreement page) refuse while the agency has not accepted its co-op's agreement (or its
re-acceptance date has passed), and create nothing. A co-op without an agreement blocks nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.core.dates import organization_today
from marketplace.core.errors import ApplicationError
from orders.models import IdempotencyRecord, PurchaseOrder, PurchaseOrderLine, Requisition
from orders.requisitions.services.checkout import CheckoutInput, checkout_submit
from tests.agreements import helpers
from tests.orders.shopping import cart_state, make_shop, put_in_cart

pytestmark = pytest.mark.django_db

API = "/api/v1/agencies/city-of-alpha/checkout/"
PAGE = "/agencies/city-of-alpha/checkout/"
UNSIGNED = (
    "Your agency must accept Alpha Co-op's membership agreement before its first order. "
    "An agency admin can sign it at /agencies/city-of-alpha/agreement/."
)


@pytest.fixture
def shop(world):
    shop = make_shop(world)
    put_in_cart(world, shop.battery, 2)
    return shop


def _created():
    return (
        Requisition.objects.count(),
        PurchaseOrder.objects.count(),
        PurchaseOrderLine.objects.count(),
        IdempotencyRecord.objects.count(),
    )


def _overdue(world):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    past = organization_today(world.coop) - dt.timedelta(days=1)
    return helpers.version(world.coop, label="2027-2", effective_on=past - dt.timedelta(days=30), reaccept_by=past)


def test_service_refuses_an_agency_that_never_signed(world, shop):
    helpers.version(world.coop)
    cart, before = cart_state(world), _created()
    with pytest.raises(ApplicationError) as caught:
        checkout_submit(agency=world.agency, user=world.requester, data=CheckoutInput())
    assert (caught.value.code, caught.value.status_code, caught.value.message) == ("agreement_required", 409, UNSIGNED)
    assert caught.value.fields == {"agreement": [UNSIGNED]}
    assert _created() == before and cart_state(world) == cart


def test_service_refuses_after_the_reacceptance_date(world, shop):
    _overdue(world)
    before = _created()
    with pytest.raises(ApplicationError) as caught:
        checkout_submit(agency=world.agency, user=world.requester, data=CheckoutInput())
    assert caught.value.code == "agreement_required" and "had to be accepted by" in caught.value.message
    assert _created() == before


def test_service_orders_before_the_reacceptance_date_and_without_any_agreement(world, shop):
    checkout_submit(agency=world.agency, user=world.requester, data=CheckoutInput())  # no agreement published
    put_in_cart(world, shop.battery, 1)
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    today = organization_today(world.coop)
    helpers.version(world.coop, label="2027-2", effective_on=today, reaccept_by=today + dt.timedelta(days=10))
    checkout_submit(agency=world.agency, user=world.requester, data=CheckoutInput())
    assert Requisition.objects.count() == 2


def test_api_refuses_with_the_documented_error_and_creates_nothing(client, world, shop):
    helpers.version(world.coop)
    client.force_login(world.requester)
    cart, before = cart_state(world), _created()
    response = client.post(API, {}, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 409
    assert response.json() == {
        "error": {"code": "agreement_required", "message": UNSIGNED, "fields": {"agreement": [UNSIGNED]}}
    }
    assert _created() == before and cart_state(world) == cart  # the key is free again once the agreement is signed


def test_api_checkout_works_once_the_agency_admin_signs(client, world, shop):
    version = helpers.version(world.coop)
    client.force_login(world.agency_admin)
    signed = client.post(
        f"/api/v1/agencies/city-of-alpha/agreements/{version.pk}/accept/",
        {"signer_name": "Pat Signer", "signer_title": "City Manager", "authorized": True},
        content_type="application/json",
    )
    assert signed.status_code == 201, signed.json()
    client.force_login(world.requester)
    response = client.post(API, {}, content_type="application/json", headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 201, response.json()
    assert Requisition.objects.count() == 1


def test_page_shows_the_block_before_and_after_submitting_and_creates_nothing(client, world, shop):
    helpers.version(world.coop)
    client.force_login(world.requester)
    page = client.get(PAGE).content.decode()
    assert "must accept Alpha Co-op&#x27;s membership agreement before its first order" in page
    assert "Ask an agency admin of City of Alpha to sign it." in page
    cart, before = cart_state(world), _created()
    response = client.post(PAGE, {"checkout_token": "t-1", "facility": shop.facility.pk, "fund_code": shop.fund.pk})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="error-summary"' in body and 'href="#agreement-required"' in body
    assert "Membership agreement: Your agency must accept Alpha Co-op&#x27;s membership agreement" in body
    assert _created() == before and cart_state(world) == cart


def test_page_links_an_agency_admin_to_the_agreement(client, world, shop):
    _overdue(world)
    put_in_cart(world, shop.battery, 1, user=world.agency_admin)
    client.force_login(world.agency_admin)
    response = client.post(PAGE, {"checkout_token": "t-2", "facility": shop.facility.pk, "fund_code": shop.fund.pk})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'href="/agencies/city-of-alpha/agreement/">Read and sign the membership agreement</a>' in body
    assert "had to be accepted by" in body
    assert _created() == (0, 0, 0, 0)


def test_warning_banner_on_cart_checkout_and_home_before_the_date(client, world, shop):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    today = organization_today(world.coop)
    due = dt.date(today.year + 1, 3, 1)
    helpers.version(world.coop, label="2027-2", effective_on=today, reaccept_by=due)
    client.force_login(world.requester)
    expected = (
        f"Accept Alpha Co-op&#x27;s new membership agreement (version 2027-2) by Mar 1, {due.year} "
        "or ordering will stop."
    )
    for path in ("/agencies/city-of-alpha/cart/", PAGE, "/agencies/city-of-alpha/"):
        assert expected in client.get(path).content.decode(), path


def test_no_banner_when_the_agency_is_in_good_standing(client, world, shop):
    helpers.acceptance(world.agency, helpers.version(world.coop), by=world.agency_admin)
    client.force_login(world.requester)
    for path in ("/agencies/city-of-alpha/cart/", PAGE, "/agencies/city-of-alpha/"):
        assert "agreement-notice" not in client.get(path).content.decode(), path
