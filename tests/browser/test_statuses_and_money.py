"""Checks that fail on what issue 10 found: money in one format on every buyer page and in notifications, and
contract statuses that follow the term (a contract that has not started reads "Starts …", cannot be bought on, and a
checkout holding it is refused with that reason, writing nothing). Screenshots of the pages also go to
/work/shots/status/ when that folder exists (the lead's review), at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import expect

from contracts.models import Contract
from marketplace.core.dates import organization_today
from marketplace.core.formatting import long_date
from orders.models import CartLine, PurchaseOrder, Requisition
from tests.browser.ordering import DESKTOP, PHONE, look, make_ordering_world

MONEY = re.compile(r"^−?\$\d{1,3}(,\d{3})*\.\d{2}$")
# Anything that reads as an amount of dollars: a dollar sign with digits, with or without a sign before it.
DOLLARS = re.compile(r"[-−]?\$\s?\d[\d,]*(?:\.\d+)?")
REVIEW = Path("/work/shots/status")


def _amounts(ui) -> list[str]:
    return DOLLARS.findall(ui.page.locator("#main-content").inner_text())


def _one_format(ui, where: str, *, at_least: int) -> list[str]:
    amounts = _amounts(ui)
    assert len(amounts) >= at_least, f"{where}: expected at least {at_least} amounts, found {amounts}"
    wrong = [a for a in amounts if not MONEY.match(a)]
    assert not wrong, f"{where} shows money in another format: {wrong}"
    return amounts


def _review(ui, name: str) -> None:
    """Full-page screenshots at both widths for the lead's review folder (skipped when it does not exist)."""
    if not REVIEW.is_dir():
        return
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        ui.page.set_viewport_size(size)
        ui.page.screenshot(path=str(REVIEW / f"{name}-{label}.png"), full_page=True, caret="initial")
    ui.page.set_viewport_size(DESKTOP)


def test_money_reads_one_way_on_buyer_pages_and_in_notifications(ui, world, make_member, password):
    shop = make_ordering_world(world, make_member)
    org = world.agency.slug
    ui.sign_in(world.requester.email, password)

    ui.goto(f"/agencies/{org}/catalog/?q=alkaline+battery", "search")
    _one_format(ui, "search results", at_least=6)  # price, list price and savings of two items

    ui.goto(f"/agencies/{org}/catalog/items/{shop.aa.id}/", "item")
    _one_format(ui, "item page", at_least=4)
    quantity = ui.page.get_by_label(re.compile(r"^Quantity")).first
    quantity.fill("100")  # $1,300.00: an amount with a thousands separator
    ui.page.get_by_role("button", name=re.compile(r"^Add to cart")).first.click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("#cart-badge")).to_contain_text(re.compile(r"Cart\s*1"))

    ui.goto(f"/agencies/{org}/cart/", "cart")
    amounts = _one_format(ui, "cart", at_least=4)
    assert "$1,300.00" in amounts, amounts

    ui.goto(f"/agencies/{org}/checkout/", "checkout")
    _one_format(ui, "checkout", at_least=3)
    ui.page.get_by_role("button", name="Place order").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Order sent for approval")
    _one_format(ui, "checkout done", at_least=2)

    po = PurchaseOrder.objects.get(requisition__requester=world.requester)
    ui.goto(f"/agencies/{org}/orders/{po.public_id}/", "order")
    amounts = _one_format(ui, "order page", at_least=3)
    assert "$1,300.00" in amounts, amounts
    ui.sign_out()

    ui.sign_in(shop.approver.email, password)
    ui.goto("/notifications/", "approver-notifications")
    amounts = _one_format(ui, "approver's notifications", at_least=1)
    assert "$1,300.00" in amounts, amounts
    ui.goto(f"/agencies/{org}/approvals/", "approvals")
    _one_format(ui, "approvals", at_least=3)
    ui.page.get_by_role("button", name=re.compile(r"^Approve\W+Rita Requester")).click()
    ui.page.wait_for_load_state()
    ui.sign_out()

    ui.sign_in(world.requester.email, password)
    ui.goto("/notifications/", "requester-notifications")
    text = ui.page.locator("#main-content").inner_text()
    wrong = [a for a in DOLLARS.findall(text) if not MONEY.match(a)]
    assert not wrong, f"requester's notifications show money in another format: {wrong}"


def test_a_contract_that_has_not_started_says_so_and_cannot_be_bought_on(ui, world, make_member, password):
    shop = make_ordering_world(world, make_member)
    org, coop = world.agency.slug, world.coop.slug
    start = organization_today(world.agency) + dt.timedelta(days=31)
    starts = f"Starts {long_date(start)}"
    line = CartLine.objects.create(  # put in the cart before the co-op moved the term start (as a reorder would)
        cart_id=_cart(world).id,
        item=shop.aa,
        quantity=2,
        unit_price_snapshot=shop.aa.contract_price,
        list_price_snapshot=shop.aa.list_price,
    )
    Contract.objects.filter(pk=shop.batteries.pk).update(term_start=start)
    before = list(CartLine.objects.values_list("pk", "item_id", "quantity", "saved_for_later").order_by("pk"))

    # co-op staff: the list and the contract page say when it starts, never "Active"
    ui.sign_in(world.coop_staff.email, password)
    ui.goto(f"/coops/{coop}/contracts/", "coop-contracts")
    expect(ui.page.get_by_role("row", name=re.compile("CT-BATT-2026"))).to_contain_text(starts)
    ui.goto(f"/coops/{coop}/contracts/{shop.batteries.slug}/", "coop-contract")
    expect(ui.page.locator(".contract-status")).to_have_text(starts)
    expect(ui.page.locator(".contract-summary")).to_contain_text(starts)
    _review(ui, "contract-detail-coop-upcoming")
    ui.sign_out()

    # the public page and the API
    ui.goto(f"/contracts/{shop.batteries.slug}/", "public-contract")
    expect(ui.page.locator(".contract-status")).to_have_text(starts)
    expect(ui.page.locator("#main-content")).to_contain_text(f"This contract starts on {long_date(start)}.")
    _review(ui, "contract-detail-public-upcoming")
    api = ui.page.request.get(f"{ui.base_url}/api/v1/contracts/{shop.batteries.slug}/").json()
    assert (api["state"], api["display_status"], api["status"]) == ("upcoming", starts, "active")

    # the buyer: its items are not in search, its card says when it starts, checkout refuses with the reason
    ui.sign_in(world.requester.email, password)
    expect(ui.page.locator("#main-content")).to_contain_text("CT-BATT-2026 Batteries and power")
    expect(ui.page.locator("#main-content")).to_contain_text(starts)
    ui.goto(f"/agencies/{org}/catalog/?q=alkaline+battery", "search")
    expect(ui.page.get_by_role("link", name=shop.aa.name)).to_have_count(0)
    assert ui.page.request.get(f"{ui.base_url}/agencies/{org}/catalog/items/{shop.aa.id}/").status == 404
    ui.goto(f"/agencies/{org}/cart/", "cart")
    reason = f"Contract CT-BATT-2026 cannot be used yet: it starts on {long_date(start)}"
    expect(ui.page.locator("#main-content")).to_contain_text(reason)
    ui.goto(f"/agencies/{org}/checkout/", "checkout")
    ui.page.get_by_role("button", name="Place order").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("#error-summary")).to_contain_text(reason)
    look(ui, "checkout-refused")
    assert Requisition.objects.count() == 0 and PurchaseOrder.objects.count() == 0
    assert list(CartLine.objects.values_list("pk", "item_id", "quantity", "saved_for_later").order_by("pk")) == before
    assert line.pk in [row[0] for row in before]


def _cart(world):
    from orders.models import Cart

    cart, _ = Cart.objects.get_or_create(agency=world.agency, user=world.requester)
    return cart
