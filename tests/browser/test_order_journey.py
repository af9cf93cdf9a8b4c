"""The ordering journey in a real browser: a requester searches, fills a cart from the search results without a
page reload, checks out to a fire station (one purchase order picked up at the supplier's locally owned store, one
delivered), the approver approves from the queue, both orders are released with their PO numbers and the PO page
says the PDF is being prepared until the (real) worker has made it; then a second checkout is rejected with a
reason the requester reads in their notifications.

Approvals are per requisition: one decision covers every purchase order of a checkout. "The approver approves
one and rejects the other" is therefore two checkouts, the first approved and the second rejected.

Every page the journey visits is screenshotted and scanned by axe at 1280 and 390 px (`look`); the cart,
checkout and approvals pages must not scroll sideways on a phone. The supplier order desk
(`/suppliers/<org>/orders/`) does not exist yet, so the journey ends with the agency's side.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.core.dates import organization_today
from orders.models import CartLine, POStatus, PurchaseOrder, Requisition
from orders.purchase_orders.models import Fulfilment
from orders.purchase_orders.services.release import fiscal_year
from tests.browser.ordering import REASON, look, make_ordering_world


def _badge(ui):
    return ui.page.locator("#cart-badge")


def _add_from_results(ui, item, quantity: int, expected_lines: int) -> None:
    form = ui.page.locator(f"#cart-add-{item.id}")
    form.get_by_label(re.compile(r"^Quantity")).fill(str(quantity))
    form.get_by_role("button", name=re.compile(r"^Add to cart")).click()
    expect(form.get_by_role("status")).to_contain_text(f"✓ Added. {quantity} in your cart")
    expect(_badge(ui)).to_contain_text(re.compile(rf"Cart\s*{expected_lines}\s*line"))


def _search(ui, words: str, count: str) -> None:
    box = ui.page.get_by_label("Search items, SKUs or part numbers")
    box.fill(words)
    box.press("End")  # a key up with a changed value: htmx swaps only the results (one request)
    expect(ui.page.locator("#results-heading")).to_contain_text(f"{count} for “{words}”")
    ui.page.wait_for_function("document.querySelectorAll('.htmx-request').length === 0")


def _open_notification(ui, title, look_label: str = "") -> None:
    ui.page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name=re.compile(r"^Notifications")
    ).click()
    ui.page.wait_for_load_state()
    if look_label:
        look(ui, look_label)
    else:
        ui.shot("notifications")
    ui.page.get_by_role("link", name=title).click()
    ui.page.wait_for_load_state()


def _pause_worker(worker, consuming: bool) -> None:
    """Stop (or resume) the worker taking tasks from the queue, as if it were down at approval time."""
    from marketplace.celery import app

    if consuming:
        app.control.add_consumer("celery", destination=[worker.hostname], reply=True, timeout=10)
    else:
        app.control.cancel_consumer("celery", destination=[worker.hostname], reply=True, timeout=10)


def test_requester_orders_approver_approves_and_rejects(ui, world, make_member, password, worker):
    shop = make_ordering_world(world, make_member)
    agency = world.agency
    fy = fiscal_year(agency=agency, day=organization_today(agency))

    # --- The requester searches and fills the cart from the results, without a page reload.
    ui.sign_in(world.requester.email, password)
    expect(_badge(ui)).to_contain_text(re.compile(r"Cart\s*0"))
    ui.page.get_by_role("link", name="Browse the whole catalog").click()
    ui.page.wait_for_load_state()
    ui.page.evaluate("window.__journeyNoReload = true")  # gone if the page is ever reloaded
    _search(ui, "alkaline battery", "2 items")
    look(ui, "search-batteries")
    _add_from_results(ui, shop.aa, 2, expected_lines=1)
    _add_from_results(ui, shop.aaa, 1, expected_lines=2)
    _search(ui, "led lamp", "1 item")
    expect(ui.page.get_by_role("link", name=shop.aa.name)).to_have_count(0)
    _add_from_results(ui, shop.lamp, 10, expected_lines=3)
    assert ui.page.evaluate("window.__journeyNoReload === true"), "adding to the cart reloaded the page"
    ui.shot("search-after-adds")
    look(ui, "search-lamps-added")
    assert CartLine.objects.filter(cart__user=world.requester, cart__agency=agency).count() == 3

    # --- The cart: both contracts, list total, contract total and savings.
    _badge(ui).click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Your cart")
    alpha = ui.page.get_by_role("region", name="Alpha Cells", exact=True)
    expect(alpha).to_contain_text("Contract CT-BATT-2026")
    expect(alpha).to_contain_text("Subtotal $38.00")
    expect(ui.page.get_by_role("region", name="Beta Lamps", exact=True)).to_contain_text("Subtotal $32.00")
    summary = ui.page.get_by_role("region", name="Order summary")
    expect(summary).to_contain_text("Items (3)")
    expect(summary).to_contain_text("List price$108.00")
    expect(summary).to_contain_text("You save$38.00 (35.2%)")
    expect(summary.locator("#cart-total")).to_have_text("$70.00")
    expect(summary).to_contain_text("2 purchase orders, one per contract")
    look(ui, "cart", no_scroll=True)

    # --- Checkout: ship to Fire Station 3, whose local Alpha Cells store can fulfil the batteries.
    summary.get_by_role("link", name="Check out").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Check out")
    expect(ui.page.get_by_label("Ship to")).to_have_value(str(shop.warehouse.id))  # the requester's default
    expect(ui.page.get_by_label("Charge every line to")).to_have_value(str(shop.fund.id))
    fulfilment = ui.page.locator("#fulfilment")
    expect(fulfilment.get_by_text("No locally owned store of this supplier serves Central Warehouse.")).to_have_count(2)
    ui.page.get_by_label("Ship to").select_option(str(shop.station.id))  # htmx: the stores for that facility
    pickup = fulfilment.get_by_label(re.compile(r"^Pick up at Alpha Cells of Orlando"))
    expect(pickup).to_have_count(1)
    expect(fulfilment.locator(f"#fulfilment-{shop.batteries.id}")).to_contain_text("mi from Fire Station 3")
    expect(fulfilment.locator(f"#fulfilment-{shop.lighting.id}")).to_contain_text(
        "No locally owned store of this supplier serves Fire Station 3."
    )
    fulfilment.locator(f"label[for='ful-{shop.batteries.id}-pickup']").click()
    expect(pickup).to_be_checked()
    look(ui, "checkout", no_scroll=True)
    ui.page.get_by_role("button", name="Place order").click()
    ui.page.wait_for_load_state()

    # --- What the checkout made: one requisition, two purchase orders, one routed to the local store.
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Order sent for approval")
    expect(ui.page.locator("#main-content")).to_contain_text("It needs 1 approval under “Every order”")
    expect(ui.page.get_by_role("region", name="Alpha Cells", exact=True)).to_contain_text(
        "Pickup at the local store: Alpha Cells of Orlando, 41 Colonial Dr, Orlando"
    )
    expect(ui.page.get_by_role("region", name="Beta Lamps", exact=True)).to_contain_text(
        "Delivery by the supplier to Fire Station 3"
    )
    expect(_badge(ui)).to_contain_text(re.compile(r"Cart\s*0"))
    look(ui, "checkout-done")
    first = Requisition.objects.get(requester=world.requester)
    pos = {po.contract_id: po for po in PurchaseOrder.objects.filter(requisition=first)}
    assert first.status == "pending_approval" and first.total == 70 and len(pos) == 2
    assert pos[shop.batteries.id].fulfilment == Fulfilment.STORE_PICKUP and pos[shop.batteries.id].store == shop.store
    assert pos[shop.lighting.id].fulfilment == Fulfilment.DELIVERY and pos[shop.lighting.id].store is None
    assert all(po.facility == shop.station and po.status == POStatus.PENDING_APPROVAL for po in pos.values())
    ui.sign_out()

    # --- The approver finds it in the queue with its lines, totals and savings, and approves it.
    ui.sign_in(shop.approver.email, password)
    _open_notification(ui, "Order to approve: $70.00 from Rita Requester", look_label="approver-notifications")
    assert ui.path == f"/agencies/{agency.slug}/approvals/"
    request = ui.page.get_by_role("article", name="Rita Requester — $70.00")
    expect(request).to_contain_text("0 of 1 approval (Every order)")
    expect(request).to_contain_text("List price$108.00")
    expect(request).to_contain_text("Savings$38.00 (35.2%)")
    expect(request).to_contain_text("Ship toFire Station 3, Orlando, FL")
    expect(request).to_contain_text("001-4100-5230")
    batteries = request.get_by_role("table", name=re.compile(r"Alpha Cells · contract CT-BATT-2026"))
    expect(batteries.locator("caption")).to_contain_text("Pickup at the local store (Alpha Cells of Orlando)")
    expect(batteries.get_by_role("row", name=re.compile("DUR-AA24"))).to_contain_text("$13.00$20.00$26.00")
    expect(batteries.get_by_role("row", name=re.compile("EN-AAA24"))).to_contain_text("$12.00")
    expect(batteries.locator("tfoot")).to_contain_text("Subtotal (list $58.00)$38.00")
    lamps = request.get_by_role("table", name=re.compile(r"Beta Lamps · contract CT-LED-2026"))
    expect(lamps.get_by_role("row", name=re.compile("PHL-A19-9W"))).to_contain_text("10$3.20$5.00$32.00")
    look(ui, "approvals-queue", no_scroll=True)

    _pause_worker(worker, consuming=False)  # the PDF is "being prepared" until a worker takes the task
    try:
        request.get_by_role("button", name=re.compile(r"^Approve\W+Rita Requester")).click()
        ui.page.wait_for_load_state()
        expect(ui.page.get_by_text("Approved: Rita Requester's requisition is approved")).to_be_visible()
        expect(ui.page.get_by_text("Nothing is waiting for your approval.")).to_be_visible()
        look(ui, "approvals-queue-empty")
        released = list(PurchaseOrder.objects.filter(requisition=first).order_by("pk"))
        assert [po.status for po in released] == [POStatus.SENT, POStatus.SENT]
        assert [po.number for po in released] == [f"{agency.code}-{fy}-00001", f"{agency.code}-{fy}-00002"]
        store_po, delivery_po = released
        assert store_po.store == shop.store

        # --- The PO page: number, sent, routed to the store; the PDF is being prepared.
        _open_notification(ui, f"Purchase orders {store_po.number}, {delivery_po.number} sent to the supplier")
        assert ui.path == f"/agencies/{agency.slug}/orders/{store_po.public_id}/"
        expect(ui.page.get_by_role("heading", level=1)).to_have_text(f"Purchase order {store_po.number}")
        expect(ui.page.locator("#main-content")).to_contain_text("Sent to supplier")
        expect(ui.page.locator("#main-content")).to_contain_text("Pickup at the local store")
        expect(ui.page.locator(".po-facts")).to_contain_text("Alpha Cells")
        expect(ui.page.locator("#po-pdf")).to_contain_text("Being prepared…")
        expect(ui.page.get_by_role("table", name=re.compile("Lines"))).to_contain_text("DUR-AA24")
        look(ui, "po-store-being-prepared")
        ui.goto(f"/agencies/{agency.slug}/orders/{delivery_po.public_id}/", "po-delivery")
        expect(ui.page.get_by_role("heading", level=1)).to_have_text(f"Purchase order {delivery_po.number}")
        expect(ui.page.locator("#main-content")).to_contain_text("Delivery by the supplier")
        expect(ui.page.locator("#po-pdf")).to_contain_text("Being prepared…")
        look(ui, "po-delivery-being-prepared")
    finally:
        _pause_worker(worker, consuming=True)
    # The worker is back: the page, polling by itself, offers the PDF.
    expect(ui.page.get_by_role("link", name=f"Download PO {delivery_po.number} (PDF)")).to_be_visible(timeout=90_000)
    ui.shot("po-delivery-pdf-ready")
    ui.sign_out()

    # --- The supplier's order desk: the store order is in the inbox; the desk acknowledges it and ships part.
    desk_user = make_member(store_po.supplier, "order_desk", email="desk@journey.test", full_name="Dan Desk")
    ui.sign_in(desk_user.email, password)
    ui.goto(f"/suppliers/{store_po.supplier.slug}/orders/", "desk-inbox")
    expect(ui.page.locator("#main-content")).to_contain_text(store_po.number)
    look(ui, "desk-inbox", no_scroll=True)
    ui.goto(f"/suppliers/{store_po.supplier.slug}/orders/{store_po.public_id}/", "desk-order")
    expect(ui.page.get_by_role("heading", level=1)).to_contain_text(store_po.number)
    ui.page.get_by_role("button", name="Acknowledge order").click()
    ui.page.wait_for_load_state()
    store_po.refresh_from_db()
    assert store_po.status == POStatus.ACKNOWLEDGED
    line = store_po.lines.order_by("pk").first()
    ui.page.locator(f"#ship-line-{line.id}").fill("1")
    ui.page.locator("#ship-carrier").fill("Store van")
    ui.page.get_by_role("button", name="Record shipment").click()
    ui.page.wait_for_load_state()
    store_po.refresh_from_db()
    line.refresh_from_db()
    assert store_po.status == POStatus.PARTIALLY_SHIPPED and line.quantity_shipped == 1
    expect(ui.page.locator("#main-content")).to_contain_text("Partially shipped")
    look(ui, "desk-order-partially-shipped")
    ui.sign_out()

    # --- A second checkout by the requester, which the approver rejects with a reason.
    ui.sign_in(world.requester.email, password)
    ui.goto(f"/agencies/{agency.slug}/catalog/?q=led+lamp", "search-again")
    _add_from_results(ui, shop.lamp, 5, expected_lines=1)
    _badge(ui).click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("#cart-total")).to_have_text("$16.00")
    ui.shot("cart-second")
    ui.page.get_by_role("region", name="Order summary").get_by_role("link", name="Check out").click()
    ui.page.wait_for_load_state()
    ui.shot("checkout-second")
    ui.page.get_by_role("button", name="Place order").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Order sent for approval")
    expect(ui.page.get_by_role("region", name="Beta Lamps", exact=True)).to_contain_text(
        "Delivery by the supplier to Central"
    )
    ui.shot("checkout-done-second")
    ui.sign_out()

    ui.sign_in(shop.approver.email, password)
    _open_notification(ui, "Order to approve: $16.00 from Rita Requester")
    second = ui.page.get_by_role("article", name="Rita Requester — $16.00")
    expect(second).to_contain_text("Ship toCentral Warehouse, Tallahassee, FL")
    look(ui, "approvals-queue-second", no_scroll=True)
    second.get_by_label("Reason for rejecting").fill(REASON)
    second.get_by_role("button", name=re.compile(r"^Reject\W+Rita Requester")).click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_text("Rejected: Rita Requester has been told why.")).to_be_visible()
    ui.shot("approvals-after-reject")
    rejected = Requisition.objects.exclude(pk=first.pk).get(requester=world.requester)
    assert rejected.status == "rejected"
    assert list(rejected.purchase_orders.values_list("status", "number")) == [(POStatus.REJECTED, "")]
    ui.sign_out()

    # --- The requester reads why.
    ui.sign_in(world.requester.email, password)
    ui.page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name=re.compile(r"^Notifications")
    ).click()
    ui.page.wait_for_load_state()
    notice = ui.page.locator("li", has=ui.page.get_by_role("heading", name=re.compile("was rejected")))
    expect(notice).to_contain_text(f"Ada Approver rejected it: {REASON}")
    look(ui, "requester-notifications")
    assert not ui.console_errors, ui.console_errors
