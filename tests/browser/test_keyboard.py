"""Keyboard use: the skip link is the first Tab stop and takes focus to the main content."""

import pytest
from playwright.sync_api import expect


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(ui, path):
    ui.goto(path)

    ui.page.keyboard.press("Tab")

    skip = ui.page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visually hidden until focused
    ui.shot("skip-link-focused")

    ui.page.keyboard.press("Enter")

    expect(ui.page.locator("#main-content")).to_be_focused()
    assert _focused_id(ui.page) == "main-content"
    # The next Tab continues inside the main content, not back in the header.
    ui.page.keyboard.press("Tab")
    assert ui.page.evaluate("document.getElementById('main-content').contains(document.activeElement)")
