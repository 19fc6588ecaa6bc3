"""Browser fixtures: Debian's Chromium, headless, driven by Playwright for Python, logging in through Keycloak's own
login pages (the portal's authorization code flow with PKCE, as a person does it).

Screenshots go to `test-artifacts/screenshots/` (kept by CI as artifacts, ignored by git). Chromium is installed by
`deploy/browser/install.sh`; `THIDUA_CHROMIUM` points elsewhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

PORTAL = os.environ.get("THIDUA_PORTAL_URL", "http://127.0.0.1:8100").rstrip("/")
CHROMIUM = os.environ.get("THIDUA_CHROMIUM", "/usr/bin/chromium")
PASSWORD = os.environ.get("THIDUA_DEMO_PASSWORD", "thidua-demo")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
# without the background-networking flags Chromium keeps dialling Google's hosts, which this network refuses
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The driver lives as long as one test module, not the whole run: Playwright's sync API holds an asyncio loop running
# in this thread, and the async tests that follow the browser tests need the thread's loop free.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run deploy/browser/install.sh")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """A fresh browser profile per person (its own cookies), phone-sized unless told otherwise."""
    made: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(
            viewport=options.pop("viewport", PHONE),  # type: ignore[arg-type]
            locale="vi-VN",
            accept_downloads=True,
            **options,  # type: ignore[arg-type]
        )
        context.set_default_timeout(30_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def log_in(page: Page, username: str, *, next_path: str = "/") -> None:
    """Through Keycloak's login pages (username first, then password: the realm has organizations on)."""
    page.goto(f"{PORTAL}/auth/login?next={next_path}")
    page.locator("#username").fill(username)
    if page.locator("#password").count() == 0:
        page.locator("#kc-login").click()
    page.locator("#password").fill(PASSWORD)
    page.locator("#kc-login").click()
    page.wait_for_url(re.compile(re.escape(PORTAL) + r"/.*"))
    expect(page.get_by_test_id("who")).to_be_visible()


@pytest.fixture
def person(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """`person("lm.officer")`: a page of a new browser, logged in as that demo user."""

    def open_as(username: str, **options: object) -> Page:
        page = new_context(**options).new_page()
        log_in(page, username)
        return page

    return open_as


def screenshot(page: Page, name: str) -> Path:
    """Saves the whole page as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def submit_form(page: Page, button_name: str | re.Pattern[str]) -> None:
    """Clicks a form's button by its accessible name and waits for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).click()
