"""Logging in and out through Keycloak (authorization code + PKCE), the session's end, languages, navigation by role."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PORTAL, log_in, screenshot


def test_a_person_logs_in_through_keycloak_sees_their_menu_and_logs_out(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context().new_page()
    page.goto(f"{PORTAL}/submitter/dossiers")
    expect(page).to_have_url(re.compile(r"/realms/thidua/protocol/openid-connect/auth\?.*code_challenge_method=S256"))
    log_in(page, "lm.submitter", next_path="/")
    expect(page.get_by_role("main")).to_contain_text("Xin chào, Trần Thị Hoa")  # family name first, as written
    expect(page.get_by_test_id("tenant")).to_have_text("Xã Liên Minh")  # the commune by its name, not its code
    menu = page.get_by_role("navigation", name="Chức năng")
    expect(menu.get_by_role("link", name="Hồ sơ của tôi")).to_be_visible()
    expect(menu.get_by_role("link", name="Kiểm tra hồ sơ")).to_have_count(0)  # an officer's page
    screenshot(page, "00-home-submitter")
    cookie = next(c for c in page.context.cookies() if c["name"] == "thidua_session")
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Lax"

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("status")).to_contain_text("Bạn đã đăng xuất")
    # the portal session is gone, and so is Keycloak's: the next visit asks for the password again
    page.goto(f"{PORTAL}/submitter/dossiers")
    expect(page.locator("#username")).to_be_visible()


def test_an_ended_session_says_so_and_a_forged_form_is_refused(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    log_in(page, "lm.officer")
    # a form without this session's CSRF token (as another site would post it) is refused
    forged = page.request.post(f"{PORTAL}/auth/logout", form={"csrf_token": "forged"})
    assert forged.status == 403
    page.context.add_cookies([{"name": "thidua_session", "value": "ended-or-stolen", "url": PORTAL}])
    page.goto(f"{PORTAL}/officer/dossiers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phiên đăng nhập đã hết hạn")
    expect(page.get_by_role("link", name="Đăng nhập lại")).to_have_attribute(
        "href", re.compile("next=/officer/dossiers")
    )


def test_english_on_request_and_pages_of_other_roles_refused(person: Callable[..., Page]) -> None:
    page = person("lm.council1")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(f"{PORTAL}/province/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your role does not allow this page")
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_an_open_redirect_is_not_followed() -> None:
    answer = httpx.get(f"{PORTAL}/lang/en", params={"next": "//evil.example/"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement.textContent || document.activeElement.id || ''")).strip()


def test_the_keyboard_alone_skips_to_the_content_and_works_a_form(person: Callable[..., Page]) -> None:
    page = person("lm.submitter")
    page.goto(f"{PORTAL}/submitter/registrations")
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert focused(page) == "Bỏ qua, đến nội dung chính"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # from the content, Tab reaches the unit to register and its button; Enter sends the form
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "entrant_id":
            break
    expect(page.get_by_label("Đơn vị hoặc cá nhân")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Tiếp tục")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng ký thi đua: Năm")
