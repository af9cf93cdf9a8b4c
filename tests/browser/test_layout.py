"""Pages work on a phone and in the header menus, and load without CSP refusals or missing files."""

from playwright.sync_api import expect

PHONE = {"width": 320, "height": 720}  # WCAG 1.4.10: content reflows at 320 CSS px without sideways scrolling


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
    assert table_region.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls in its own box
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
