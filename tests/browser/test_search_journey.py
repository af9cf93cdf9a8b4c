"""A buyer searches the catalog with a typo (htmx updates the results as they type), filters by a facet,
opens an item and sees its price history and contract."""

import re

from playwright.sync_api import expect

from contracts.models import PriceChange
from tests.factories import FacilityFactory, StoreLocationFactory
from tests.search.conftest import ITEMS, make_item


def test_buyer_searches_with_a_typo_filters_and_opens_an_item(ui, world, password):
    from contracts.catalog.search.words import search_words_refresh
    from tests.factories import ContractFactory

    contract = ContractFactory(cooperative=world.coop, supplier=world.supplier, number="AC-2026-01", slug="ac-2026-01")
    items = {row[0]: make_item(contract, *row) for row in ITEMS}
    make_item(contract, "EN-AA48", "Energizer Industrial AA Alkaline Battery, 48-pack", manufacturer="Energizer")
    duracell = items["DUR-AA24"]
    PriceChange.objects.create(
        item=duracell, new_price="14.00", new_list_price="20.00", status="applied", effective_date="2026-01-05"
    )
    PriceChange.objects.create(
        item=duracell, old_price="14.00", new_price="13.00", status="applied", effective_date="2026-03-01"
    )
    FacilityFactory(agency=world.agency, name="Fleet Garage", latitude="28.500000", longitude="-81.300000")
    StoreLocationFactory(
        supplier=world.supplier, name="Alpha Cells of Springfield", latitude="28.52", longitude="-81.30"
    )
    search_words_refresh()

    ui.sign_in(world.requester.email, password)
    ui.page.get_by_role("search").get_by_role("button", name="Search").click()  # the home page's search box
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Search the catalog")
    ui.shot("catalog")

    ui.page.get_by_label("Search items, SKUs or part numbers").press_sequentially("aa batery", delay=40)
    expect(ui.page.get_by_text("Including results for aa battery")).to_be_visible()
    expect(ui.page.locator("#result-count")).to_have_text(re.compile(r"2 items for “aa batery”"))
    assert "q=aa" in ui.page.url  # htmx pushed the search into the address bar
    ui.shot("typo-results")
    expect(ui.page.get_by_text("Alpha Cells of Springfield")).to_have_count(2)  # pickup near the facility

    ui.page.get_by_role("navigation", name="Filter results").get_by_role("link", name="Duracell").click()
    ui.page.wait_for_load_state()
    expect(ui.page.locator("#result-count")).to_have_text(re.compile(r"1 item for"))
    expect(ui.page.get_by_text("Manufacturer: Duracell", exact=True)).to_be_visible()
    ui.shot("filtered")

    ui.page.get_by_role("link", name="Duracell Procell AA Alkaline Battery, 24-pack").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Duracell Procell AA Alkaline Battery, 24-pack")
    history = ui.page.get_by_role("table", name=re.compile("Contract prices"))
    expect(history).to_contain_text("Mar 1, 2026")
    expect(history).to_contain_text("$14.00")
    expect(ui.page.get_by_role("heading", name="Contract AC-2026-01")).to_be_visible()
    expect(ui.page.get_by_role("link", name="Contract summary and documents")).to_have_attribute(
        "href", "/contracts/ac-2026-01/"
    )
    ui.assert_accessible("item")
    assert not ui.console_errors, ui.console_errors
