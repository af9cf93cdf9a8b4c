"""axe scans (1280 and 390 px) of the ordering pages the order journey does not reach: the empty cart and
checkout, a cart whose prices changed, checkout with errors (the error summary), and the approval e-mail link's
confirm, error and "already used" pages. The cart and checkout pages must not scroll sideways on a phone.

The agency set-up pages are scanned in test_accessibility.py; the pages the journey visits (search, full cart,
checkout, order placed, approvals queue, PO page, notifications) are scanned by test_order_journey.py.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from contracts.models import CatalogItem, PriceChange
from marketplace.core.dates import organization_today
from orders.approvals.services.links import approval_link_path
from orders.carts.services import cart_line_add
from orders.models import ApprovalRequest, CartLine, Requisition
from orders.requisitions.services.checkout import CheckoutInput, checkout_submit
from tests.browser.ordering import look, make_ordering_world


def test_empty_cart_and_checkout(ui, world, make_member, password):
    make_ordering_world(world, make_member)
    ui.sign_in(world.requester.email, password)

    ui.goto(f"/agencies/{world.agency.slug}/cart/")
    expect(ui.page.get_by_text("Your cart is empty.")).to_be_visible()
    look(ui, "cart-empty", no_scroll=True)

    ui.goto(f"/agencies/{world.agency.slug}/checkout/")
    expect(ui.page.get_by_text("Your cart has nothing to order.")).to_be_visible()
    expect(ui.page.get_by_role("button", name="Place order")).to_have_count(0)
    look(ui, "checkout-empty", no_scroll=True)


def test_changed_prices_in_the_cart_and_the_checkout_error_summary(ui, world, make_member, password):
    shop = make_ordering_world(world, make_member)
    agency = world.agency
    for item, quantity in ((shop.aa, 2), (shop.lamp, 10)):
        cart_line_add(agency=agency, user=world.requester, item_id=item.id, quantity=quantity)
    aa_line = CartLine.objects.get(item=shop.aa)
    # The supplier's price for the AA batteries rose after they were put in the cart.
    PriceChange.objects.create(
        item=shop.aa, old_price="13.00", new_price="14.50", status="approved", effective_date=organization_today(agency)
    )
    CatalogItem.objects.filter(pk=shop.aa.pk).update(contract_price="14.50")
    ui.sign_in(world.requester.email, password)

    ui.goto(f"/agencies/{agency.slug}/cart/")
    expect(ui.page.get_by_role("region", name="Changes since you added items")).to_be_visible()
    expect(ui.page.get_by_role("button", name=re.compile(r"^Accept the new price"))).to_have_count(1)
    look(ui, "cart-price-changed", no_scroll=True)

    ui.goto(f"/agencies/{agency.slug}/checkout/")
    ui.page.get_by_label("Requested delivery date").fill("2020-01-02")
    ui.page.get_by_text("This is a declared emergency").click()
    ui.page.get_by_role("button", name="Place order").click()
    ui.page.wait_for_load_state()

    summary = ui.page.get_by_role("alert")
    expect(summary).to_contain_text("Nothing was ordered: 3 problems to fix first.")
    expect(summary).to_contain_text("rose from $13.00 to $14.50")
    expect(summary).to_contain_text("cannot be in the past")
    expect(summary).to_contain_text("Say what the emergency is")
    for link in summary.get_by_role("link").all():  # each error leads to its field
        target = link.get_attribute("href")
        assert target.startswith("#") and ui.page.locator(target).count() == 1, target
    expect(ui.page.locator(f"#line-{aa_line.id}")).to_contain_text("rose from $13.00 to $14.50")
    assert not Requisition.objects.exists()
    look(ui, "checkout-with-errors", no_scroll=True)


def test_approval_link_confirm_error_and_used_pages(ui, world, make_member, password):
    shop = make_ordering_world(world, make_member)
    agency = world.agency
    cart_line_add(agency=agency, user=world.requester, item_id=shop.aaa.id, quantity=3)
    requisition = checkout_submit(agency=agency, user=world.requester, data=CheckoutInput(facility_id=shop.station.id))
    link = approval_link_path(approval_request=ApprovalRequest.objects.get(requisition=requisition))
    ui.sign_in(shop.approver.email, password)

    ui.goto(link, "approval-link")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Approve or reject?")
    expect(ui.page.get_by_role("article")).to_contain_text("Rita Requester — $36.00")
    expect(ui.page.get_by_role("table")).to_contain_text("EN-AAA24")
    look(ui, "approval-link-confirm", no_scroll=True)

    ui.page.get_by_role("button", name="Reject").click()  # without the reason a rejection needs
    ui.page.wait_for_load_state()
    expect(ui.page.locator("#id_reason-error")).to_have_text("A reason is required to reject.")
    look(ui, "approval-link-with-error", no_scroll=True)

    ui.page.get_by_role("button", name="Approve").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_text("You approved Rita Requester's requisition.")).to_be_visible()

    response = ui.goto(link, "approval-link-used")
    assert response.status == 410
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("This approval link has already been used")
    look(ui, "approval-link-used", no_scroll=True)
