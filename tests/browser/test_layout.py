"""Pages work on a phone and in the header menus, and load without CSP refusals or missing files."""

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.ordering import make_ordering_world

PHONE = {"width": 320, "height": 720}  # WCAG 1.4.10: content reflows at 320 CSS px without sideways scrolling
PHONE_390 = {"width": 390, "height": 844}


def _page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_pages_reflow_on_a_phone_and_the_menu_opens(ui, furnished, password):
    world = furnished
    ui.page.set_viewport_size(PHONE)
    ui.goto("/")
    assert not _page_scrolls_sideways(ui.page)
    ui.sign_in(world.agency_admin.email, password)

    for path in (f"/agencies/{world.agency.slug}/", f"/agencies/{world.agency.slug}/audit/", "/account/api-tokens/"):
        ui.goto(path)
        assert not _page_scrolls_sideways(ui.page), f"{path} scrolls sideways at 320 px"
    ui.goto(f"/agencies/{world.agency.slug}/")
    table_region = ui.page.get_by_role("region", name="Contracts you can buy on")
    # The table is a stack of cards on a phone: nothing to scroll, each value under its column's name.
    assert not table_region.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(table_region.locator("thead")).to_be_hidden()
    supplier = table_region.locator("td[data-label='Supplier']").first
    assert supplier.evaluate("el => getComputedStyle(el, '::before').content") == '"Supplier"'
    ui.assert_accessible("agency-home-phone")

    ui.page.get_by_role("button", name="Menu").click()
    nav = ui.page.get_by_role("navigation", name="Primary navigation")
    expect(nav).to_be_visible()
    nav.get_by_role("button", name="Account").click()
    expect(nav.get_by_text(f"Signed in as {world.agency_admin.email}")).to_be_visible()
    expect(nav.get_by_role("link", name="API tokens")).to_be_visible()
    ui.assert_accessible("phone-menu-open")

    ui.page.keyboard.press("Escape")
    expect(nav).to_be_hidden()


def test_account_menu_opens_with_the_keyboard(ui, world, password):
    ui.sign_in(world.requester.email, password)
    account = ui.page.get_by_role("button", name="Account")

    account.focus()
    ui.page.keyboard.press("Enter")

    expect(account).to_have_attribute("aria-expanded", "true")
    expect(ui.page.get_by_text(f"Signed in as {world.requester.email}")).to_be_visible()
    ui.page.keyboard.press("Tab")
    expect(ui.page.get_by_role("link", name="Password")).to_be_focused()
    ui.assert_accessible("account-menu-open")


def test_pages_load_without_csp_refusals_or_missing_files(ui, furnished, password):
    world = furnished
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        ui.goto(path)
    ui.sign_in(world.agency_admin.email, password)
    for path in (
        f"/agencies/{world.agency.slug}/",
        f"/agencies/{world.agency.slug}/audit/",
        "/notifications/",
        "/account/api-tokens/",
        "/accounts/2fa/",
    ):
        ui.goto(path)

    assert ui.failed_requests == []
    assert ui.console_errors == []
    # USWDS and our stylesheet really applied (an unstyled page would pass everything above).
    assert ui.page.evaluate("getComputedStyle(document.querySelector('.usa-skipnav')).position") == "absolute"
    assert ui.page.evaluate("getComputedStyle(document.querySelector('.nav-signout')).display") == "inline-block"
    assert "Source Sans Pro Web" in ui.page.evaluate("getComputedStyle(document.body).fontFamily")


# --- Every page people reach, at 320 px: the demo world, crawled as each role would click through it.

# Where a link leads to a file (PDF, CSV, XLSX), an API, the Django admin or another session, it is not a page to
# lay out. The audit log pages are checked for sideways scrolling above; their table is being rebuilt elsewhere.
_NOT_A_PAGE = re.compile(
    r"(\.(pdf|csv|xlsx)$|/pdf/|/source/|/download/|/attachment/|/evidence/|/documents/\d+/$|/admin/|/api/"
    r"|/export/|/accounts/logout/|/healthz|/audit/|/webhooks/)"
)
_CRAWL_LIMIT = 60  # pages per person; the crawl visits at most two pages of each URL shape

# (who signs in, extra start pages beyond what their home links to)
_CRAWL = [
    (None, ["/", "/contracts/", "/contracts/?q=battery", "/contracts/gappc-2026-017/"]),
    ("buyer@maple-ridge.test", ["/agencies/city-of-maple-ridge/catalog/?q=battery", "/account/api-tokens/"]),
    ("approver@maple-ridge.test", []),
    ("admin@maple-ridge.test", ["/agencies/city-of-maple-ridge/setup/"]),
    ("finance@maple-ridge.test", []),
    ("admin@gulf-atlantic-coop.test", ["/coops/gulf-atlantic-coop/contracts/new/"]),
    ("admin@brightcell.test", ["/suppliers/brightcell/catalog/imports/new/"]),
    ("operator@coop-marketplace.test", ["/operator/"]),
]

# A table cell with text whose box reaches past either side of the 320 px viewport (for example a cell of a
# 640 px table in a scroll box: its value is off screen), or whose text overflows its own box.
_CLIPPED_CELLS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('main tbody td, main tbody th, main tfoot td')) {
    if (!cell.textContent.trim()) continue;
    const r = cell.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < -1 || r.right > window.innerWidth + 1 || cell.scrollWidth > cell.clientWidth + 1) {
      const table = cell.closest('table');
      const name = (table && table.caption ? table.caption.textContent : '').trim().slice(0, 60);
      const value = cell.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
      out.push(`"${value}" at ${Math.round(r.left)}–${Math.round(r.right)} px (table: ${name})`);
    }
  }
  return out;
}"""

_LINKS = """() => [...document.querySelectorAll('main a[href], header a[href]')]
  .map(a => a.href).filter(h => h.startsWith(location.origin))"""


def _shape(path: str) -> str:
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", path)
    return re.sub(r"/\d+/", "/<n>/", path)


def _crawl(ui, starts: list[str], visited_log: list[str]) -> list[tuple[str, list[str]]]:
    """Visit the start pages and the pages they link to (breadth first) at 320 px; return the problems per page."""
    base = ui.base_url
    queue, seen, shapes, problems, visited = list(starts), set(), {}, [], 0
    while queue and visited < _CRAWL_LIMIT:
        path = queue.pop(0)
        if path in seen or _NOT_A_PAGE.search(path.split("?")[0]):
            continue
        seen.add(path)
        shape = _shape(path)
        if shapes.get(shape, 0) >= 2:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        try:
            response = ui.page.goto(base + path)
        except PlaywrightError:  # a link to a file the crawl did not recognise: nothing to lay out
            continue
        visited += 1
        visited_log.append(f"{response.status if response else '-'} {path}")
        if (
            response is None
            or response.status >= 400
            or not response.headers.get("content-type", "").startswith("text/html")
        ):
            continue
        found = []
        widths = ui.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if widths[0] > widths[1]:
            found.append(f"the page scrolls sideways ({widths[0]} px wide)")
        found += [f"cell off screen: {cell}" for cell in ui.page.evaluate(_CLIPPED_CELLS)]
        if found:
            ui.shot(f"clipped-{path}")
            problems.append((path, found))
        for href in ui.page.evaluate(_LINKS):
            link = href.removeprefix(base).split("#")[0]
            if link and "?" not in link and link not in seen:
                queue.append(link)
    return problems


def test_no_page_scrolls_sideways_or_hides_table_values_at_320_px(ui, transactional_db):
    from django.core.management import call_command

    from marketplace.demo.data import DEMO_PASSWORD

    call_command("seed_demo", "--quiet-logins", "--items", "40")
    ui.page.set_viewport_size(PHONE)
    report, visited = [], []
    for email, starts in _CRAWL:
        ui.page.context.clear_cookies()
        if email:
            ui.sign_in(email, DEMO_PASSWORD)
            ui.page.set_viewport_size(PHONE)
            starts = [ui.path, *starts]
        visited.append(f"# {email or 'public'}")
        report += [(email or "public", path, found) for path, found in _crawl(ui, starts, visited)]
    (ARTIFACTS / "layout-crawl-320.txt").write_text("\n".join(visited) + "\n")  # which pages were checked

    assert not report, f"{len(report)} pages do not fit 320 px:\n" + "\n".join(
        f"  {who} {path}:\n" + "\n".join(f"      {problem}" for problem in found[:6]) for who, path, found in report
    )


def test_catalog_filters_fold_behind_a_button_on_a_phone(ui, world, make_member, password):
    make_ordering_world(world, make_member)
    ui.sign_in(world.requester.email, password)
    ui.page.set_viewport_size(PHONE_390)
    ui.goto(f"/agencies/{world.agency.slug}/catalog/?q=battery", "catalog-phone")

    button = ui.page.get_by_role("button", name="Filters")
    filters = ui.page.get_by_role("navigation", name="Filter results")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "catalog-filters")
    expect(filters).to_be_hidden()
    # The results start on the first screen, not after the filters.
    assert ui.page.locator("#result-count").bounding_box()["y"] < PHONE_390["height"]
    search = ui.page.locator(".usa-search")  # the search box and its button on one line, inside the screen
    box, submit = search.get_by_role("searchbox").bounding_box(), search.get_by_role("button").bounding_box()
    assert abs(box["y"] - submit["y"]) < 1 and submit["x"] + submit["width"] <= PHONE_390["width"]
    ui.assert_accessible("catalog-filters-folded")

    button.focus()
    ui.page.keyboard.press("Enter")  # a real button: the keyboard opens it
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(filters).to_be_visible()
    ui.assert_accessible("catalog-filters-open")
    filters.get_by_role("link", name="Duracell").click()

    expect(ui.page.get_by_role("button", name="Filters (1 applied)")).to_have_attribute("aria-expanded", "false")
    expect(ui.page.locator("#result-count")).to_have_text("1 item for “battery”")
    ui.page.get_by_role("button", name="Filters (1 applied)").press(" ")
    expect(filters.get_by_text("Manufacturer: Duracell", exact=True)).to_be_visible()

    ui.page.set_viewport_size({"width": 1280, "height": 900})  # a desktop: the filters beside the results, no button
    expect(ui.page.get_by_role("button", name="Filters (1 applied)")).to_be_hidden()
    expect(filters).to_be_visible()


def test_catalog_filters_show_without_javascript(ui, browser, live_server, world, make_member, password):
    make_ordering_world(world, make_member)
    context = browser.new_context(viewport=PHONE_390, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email").fill(world.requester.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.goto(live_server.url + f"/agencies/{world.agency.slug}/catalog/?q=battery")

        expect(page.get_by_role("navigation", name="Filter results")).to_be_visible()
        expect(page.get_by_role("button", name="Filters")).to_have_count(0)  # hidden: it would do nothing
        page.get_by_role("searchbox").fill("lamp")
        page.get_by_role("button", name="Search").click()
        expect(page.locator("#result-count")).to_have_text("1 item for “lamp”")
    finally:
        context.close()
