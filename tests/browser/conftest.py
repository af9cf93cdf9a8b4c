"""Real-browser fixtures: the system Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser downloads are not used (no internet for them); Debian's chromium is launched
instead (`scripts/system-deps.sh` installs it). Every test gets a fresh browser context, so cookies and
sessions never leak between tests, and leaves screenshots under test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

from tests.factories import (
    AgencyFactory,
    ContractFactory,
    CoopMembershipFactory,
    FacilityFactory,
    StoreLocationFactory,
)

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORTS = ARTIFACTS / "axe"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A desktop viewport: the header shows its full navigation instead of the mobile "Menu" button.
VIEWPORT = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = ("serious", "critical")


def pytest_configure(config):
    # Bind the live server to the IPv4 loopback only (the default "localhost" may resolve elsewhere).
    if not config.getoption("liveserver", default=None):
        config.option.liveserver = "127.0.0.1"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_driver():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (as root) first.")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodename).strip("_")


class BrowserSession:
    """One signed-out browser tab on the live server, with the steps the tests repeat."""

    def __init__(self, page: Page, base_url: str, name: str, axe: Axe):
        self.page, self.base_url, self.name, self._axe = page, base_url, name, axe
        self._shots = 0
        # Problems a user never sees but a browser reports: CSP refusals, failed loads (e.g. a missing static file).
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("response", lambda r: r.status >= 400 and self.failed_requests.append(f"{r.status} {r.url}"))

    def goto(self, path: str, label: str | None = None):
        response = self.page.goto(self.base_url + path)
        self.shot(label or path)
        return response

    def shot(self, label: str) -> Path:
        """Save a full-page screenshot as <test-name>--<nn>-<label>.png."""
        self._shots += 1
        path = SCREENSHOTS / f"{self.name}--{self._shots:02d}-{_artifact_name(label) or 'root'}.png"
        _screenshot(self.page, path)
        return path

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url).split("?", 1)[0]

    def sign_in(self, email: str, password: str) -> None:
        """Fill in and submit the real allauth login form."""
        self.goto("/accounts/login/", "login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        self.shot("after-sign-in")

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state()
        expect(self.page.get_by_role("link", name="Sign in").first).to_be_visible()
        self.shot("after-sign-out")

    def assert_accessible(self, label: str) -> list[dict]:
        """Run axe-core on the current page; fail on serious or critical violations. Returns all violations."""
        self.shot(f"axe-{label}")
        results = self._axe.run(self.page).response
        violations = results["violations"]
        # Kept for people: "incomplete" lists what axe could not decide and a human should look at.
        AXE_REPORTS.mkdir(parents=True, exist_ok=True)
        report = {"url": self.page.url, "violations": violations, "incomplete": results.get("incomplete", [])}
        (AXE_REPORTS / f"{self.name}--{_artifact_name(label)}.json").write_text(json.dumps(report, indent=1))
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe found serious/critical violations on {label} ({self.page.url}):\n" + "\n".join(
            _describe(v) for v in blocking
        )
        return violations


def _screenshot(page: Page, path: Path) -> None:
    # caret="initial": hiding the caret makes Playwright inject a <style>, which our CSP refuses (and logs).
    page.screenshot(path=str(path), full_page=True, caret="initial")


def _describe(violation: dict) -> str:
    nodes = "\n".join(
        f"      {' '.join(node['target'])}: {node.get('failureSummary', '').replace(chr(10), ' ')}"
        for node in violation["nodes"][:8]
    )
    return f"  - {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}"


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context per test (isolated cookies), closed afterwards."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def ui(page, live_server, axe, request):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    session = BrowserSession(page, live_server.url, _artifact_name(request.node.name), axe)
    for stale in SCREENSHOTS.glob(f"{session.name}--*.png"):  # from an earlier run of this test
        stale.unlink()
    yield session
    if not page.is_closed():
        _screenshot(page, SCREENSHOTS / f"{session.name}.png")


@pytest.fixture
def furnished(world):
    """The world plus the rows the home pages list."""
    ContractFactory(
        number="CT-2026-001",
        title="Batteries, power and lighting",
        cooperative=world.coop,
        supplier=world.supplier,
        lead_agency=world.agency,
        admin_fee_rate="0.0200",
    )
    FacilityFactory(agency=world.agency, name="Fire Station 3")
    StoreLocationFactory(supplier=world.supplier, name="Downtown store", owner_name="Pat Lee")
    applicant = AgencyFactory(organization__name="Gamma School District", organization__slug="gamma-sd").organization
    CoopMembershipFactory(cooperative=world.coop, agency=applicant, status="applied")
    return world
