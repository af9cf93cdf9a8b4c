"""The front page and the buyer home in a real browser: no serious axe violations at 1280 and 390 px, no sideways
scrolling at 320 px, and the paths they offer lead where they say."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.factories import CatalogItemFactory, ContractFactory, StoreLocationFactory

PHONE = {"width": 390, "height": 844}
SMALLEST = {"width": 320, "height": 720}  # WCAG 1.4.10 reflow


def _scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def _demo_like(world):
    contract = ContractFactory(
        number="GA-2026-017",
        title="Batteries, power and lighting products",
        cooperative=world.coop,
        supplier=world.supplier,
        featured=True,
    )
    for n, (list_price, price) in enumerate((("3.11", "2.13"), ("709.99", "495.85"), ("28.99", "18.59"))):
        CatalogItemFactory(contract=contract, name=f"Sample item {n}", list_price=list_price, contract_price=price)
    for state in ("FL", "GA"):
        StoreLocationFactory(supplier=world.supplier, state=state)
    return contract


def test_front_page_tells_the_story_and_works_on_a_phone(ui, world):
    _demo_like(world)

    ui.goto("/")

    expect(ui.page.get_by_role("heading", level=1)).to_have_text(
        "Buy on vetted cooperative contracts — as easily as shopping online"
    )
    figures = ui.page.locator(".front-figures")
    expect(figures).to_contain_text("Contract in force")
    expect(figures).to_contain_text("Average discount off list")
    expect(ui.page.get_by_role("heading", name="Featured contract")).to_be_visible()
    expect(ui.page.get_by_role("link", name="Read contract GA-2026-017")).to_be_visible()
    ui.assert_accessible("front-page")

    ui.page.set_viewport_size(PHONE)
    ui.assert_accessible("front-page-390")
    ui.page.set_viewport_size(SMALLEST)
    assert not _scrolls_sideways(ui.page), "the front page scrolls sideways at 320 px"

    ui.page.get_by_role("link", name="Join a co-op").click()  # two co-ops: to the list of them
    expect(ui.page).to_have_url(re.compile(r"/#join$"))
    ui.page.get_by_role("link", name="Apply to join Alpha Co-op").click()
    expect(ui.page).to_have_url(re.compile(r"/coops/alpha-coop/join/$"))
    ui.page.go_back()
    ui.page.get_by_role("link", name="Browse contracts").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Cooperative contracts")


def test_empty_front_page_reads_plainly_and_is_accessible(ui):
    ui.goto("/")

    expect(ui.page.get_by_role("heading", name="No contracts are open to members yet")).to_be_visible()
    ui.assert_accessible("front-page-empty")
    ui.page.set_viewport_size(PHONE)
    ui.assert_accessible("front-page-empty-390")
    ui.page.set_viewport_size(SMALLEST)
    assert not _scrolls_sideways(ui.page)


def test_buyer_home_puts_search_first_and_searches(ui, world, password):
    _demo_like(world)
    ui.sign_in(world.requester.email, password)

    assert ui.path == f"/agencies/{world.agency.slug}/"
    expect(ui.page.get_by_role("heading", name="What your orders have saved")).to_be_visible()
    expect(ui.page.get_by_text("No approved orders yet.")).to_be_visible()
    ui.assert_accessible("buyer-home")
    ui.page.set_viewport_size(PHONE)
    expect(ui.page.get_by_role("button", name="Search")).to_be_visible()  # the icon button keeps its name
    ui.assert_accessible("buyer-home-390")
    ui.page.set_viewport_size(SMALLEST)
    assert not _scrolls_sideways(ui.page), "the buyer home scrolls sideways at 320 px"

    box = ui.page.get_by_role("searchbox", name="Search the catalog")
    box.fill("Sample item 1")
    box.press("Enter")

    expect(ui.page).to_have_url(re.compile(rf"/agencies/{world.agency.slug}/catalog/\?q=Sample"))
