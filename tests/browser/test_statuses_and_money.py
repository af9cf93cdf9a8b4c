"""Checks that fail on what issue 10 found: money in one format on every buyer page and in notifications, and
contract statuses that follow the term (a contract that has not started reads "Starts …", cannot be bought on, and a
checkout holding it is refused with that reason, writing nothing). Screenshots of the pages also go to
/work/shots/status/ when that folder exists (the lead's review), at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import expect

from contracts.catalog.search.words import search_words_refresh
from contracts.models import CatalogImport, Contract
from contracts.services.documents import contract_document_upload
from marketplace.core.dates import organization_today
from marketplace.core.formatting import long_date
from orders.models import CartLine, PurchaseOrder, Requisition
from tests.browser.ordering import DESKTOP, PHONE, item_on, look, make_ordering_world
from tests.factories import ContractFactory

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
    ups = item_on(
        shop.batteries, "APC-1500", "APC Smart-UPS 1500VA battery backup", "ups-units", "APC", "2400.00", "1713.20"
    )
    search_words_refresh()
    org = world.agency.slug
    ui.sign_in(world.requester.email, password)

    ui.goto(f"/agencies/{org}/catalog/?q=battery", "search")
    amounts = _one_format(ui, "search results", at_least=9)  # price, list price and savings of three items
    assert "$1,713.20" in amounts, amounts  # was "$1713.20" on the results

    ui.goto(f"/agencies/{org}/catalog/items/{ups.id}/", "item-ups")
    assert "$1,713.20" in _one_format(ui, "item page", at_least=4)

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


def test_publish_and_terminate_ask_first(ui, world, password):
    contract = ContractFactory(
        cooperative=world.coop, supplier=world.supplier, number="CT-TERM", title="Emergency lighting", status="draft"
    )
    contract_document_upload(
        contract=contract, actor=world.coop_staff, kind="signed_contract", title="Signed", file=_pdf_upload()
    )
    Contract.objects.filter(pk=contract.pk).update(
        solicitation_number="RFP 1",
        solicitation_method="RFP",
        solicitation_issued_on=dt.date(2025, 9, 1),
        solicitation_closed_on=dt.date(2025, 10, 1),
        evaluation_summary="Best value.",
        award_date=dt.date(2025, 11, 1),
    )
    ui.sign_in(world.coop_staff.email, password)
    ui.goto(f"/coops/{world.coop.slug}/contracts/{contract.slug}/", "draft")
    ui.page.get_by_role("link", name="Publish contract").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Publish contract CT-TERM?")
    expect(ui.page.locator("#publish-outlook")).to_contain_text("member agencies of Alpha Co-op — 1 active member")
    _review(ui, "confirm-publish")
    look(ui, "confirm-publish", no_scroll=True)
    ui.page.get_by_role("button", name="Publish contract").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator(".contract-status")).to_have_text("Active")

    # terminate is a quiet link at the foot of the page, leading to what it affects and a required reason
    expect(ui.page.get_by_role("button", name="Terminate contract")).to_have_count(0)
    ui.page.get_by_role("link", name="Terminate contract CT-TERM").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("#terminate-outlook")).to_contain_text("This cannot be undone.")
    _review(ui, "confirm-terminate")
    look(ui, "confirm-terminate", no_scroll=True)
    ui.page.get_by_role("button", name="Terminate contract").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("#error-summary")).to_contain_text("Give the reason for terminating the contract.")
    assert Contract.objects.get(pk=contract.pk).status == "active"
    _review(ui, "confirm-terminate-refused")
    ui.page.get_by_label("Reason for terminating").fill("The supplier's insurance lapsed.")
    ui.page.get_by_role("button", name="Terminate contract").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator(".contract-status")).to_have_text("Terminated")
    assert Contract.objects.get(pk=contract.pk).status == "terminated"
    _review(ui, "contract-detail-coop-terminated")


def test_import_banners_follow_the_state_in_sentence_case(ui, world, password):
    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="CM-IMP")
    states = {
        "validating": ("Validating", "It is being checked"),
        "rejected": ("Rejected", "2 problems found"),
        "preview": ("Ready to review", "No problems found: review the changes"),
        "applying": ("Applying", "Confirmed. The changes are being applied"),
        "applied": ("Applied", "The catalog was updated"),
        "failed": ("Failed", "The import failed"),
        "cancelled": ("Cancelled", "Cancelled. Nothing was changed."),
    }
    imports = {}
    for status in states:
        imports[status] = CatalogImport.objects.create(
            supplier=world.supplier,
            contract=contract
            if status != "applying"
            else ContractFactory(cooperative=world.coop, supplier=world.supplier),
            file="imports/x.csv",
            original_name=f"{status}.csv",
            mode="upsert",
            status=status,
            rows_total=40,
            rows_done=12,
            counts={"added": 3, "changed": 1} if status == "applied" else {},
            errors=[{"row": 2, "column": "sku", "value": "", "reason": "SKU is required."}] * 2
            if status == "rejected"
            else [],
            error_count=2 if status == "rejected" else 0,
            failure="The worker stopped." if status == "failed" else "",
            created_by=world.catalog_manager,
        )
    ui.sign_in(world.catalog_manager.email, password)
    for status, (word, banner) in states.items():
        ui.goto(f"/suppliers/{world.supplier.slug}/catalog/imports/{imports[status].public_id}/", status)
        expect(ui.page.locator("#import-status")).to_have_text(word, use_inner_text=True)  # as shown: no capitals
        expect(ui.page.locator("#main-content")).to_contain_text(banner)
        running = status in ("validating", "applying")
        expect(ui.page.locator("#import-banner")).to_have_count(1 if running else 0)
        for other_status, (_, other_banner) in states.items():
            if other_status != status and other_status in ("validating", "applying"):
                expect(ui.page.locator("#main-content")).not_to_contain_text(other_banner)
        expect(ui.page.locator("#main-content")).to_contain_text("Mode: Add and update")
        _review(ui, f"import-{status}")
    ui.goto(f"/suppliers/{world.supplier.slug}/catalog/", "history")
    history = ui.page.get_by_role("region", name="Import history")
    expect(history).to_contain_text("Add and update")
    expect(history).not_to_contain_text("Upsert")
    expect(history.get_by_text("Ready to review")).to_have_text("Ready to review", use_inner_text=True)


def test_sign_in_page_in_sentence_case(ui):
    ui.goto("/accounts/login/", "sign-in")
    main = ui.page.locator("main")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(ui.page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    expect(ui.page.get_by_label("Remember me", exact=True)).to_have_count(1)
    for title_case in ("Sign In", "Remember Me", "Sign Up", "Forgot Password"):
        expect(main).not_to_contain_text(title_case)
    _review(ui, "sign-in")
    ui.goto("/accounts/signup/", "sign-up")
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Create account")
    _review(ui, "sign-up")


def _pdf_upload():
    from tests.contracts.conftest import make_pdf, upload

    return upload(make_pdf())
