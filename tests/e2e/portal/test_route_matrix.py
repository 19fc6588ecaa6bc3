"""Every page of the portal, for every kind of person: without a session it sends to the login; with one, a role the
page is not for is refused (403), a role it is for is let through; a form without the session's CSRF token is refused
(403) before anything is sent to a service. The routes are read from the portal's own app, so a new page is covered
the day it is added."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser

from .conftest import PORTAL, log_in
from .routes import routes

PEOPLE = {
    "lm.submitter": {"submitter"},
    "lm.officer": {"commune_officer"},
    "lm.council1": {"council_member"},
    "lm.chair": {"commune_chair"},
    "nb.staff": {"province_staff"},
    "nb.admin": {"province_admin"},
    "op.admin": {"operator"},
}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path).replace(".{extension}", ".xlsx")


ROUTES = routes()


def test_the_portal_has_pages_for_every_role() -> None:
    assert len(ROUTES) >= 60
    for roles in (r for _, _, r in ROUTES if r is not None):
        assert roles <= {"submitter", "commune_officer", "council_member", "commune_chair", "province_staff",
                         "province_admin"}  # fmt: skip


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTES])
def test_without_a_session_every_page_sends_to_the_login(method: str, path: str) -> None:
    answer = httpx.request(method, f"{PORTAL}{concrete(path)}", follow_redirects=False, timeout=10)
    assert answer.status_code == 303, answer.text[:200]
    assert answer.headers["location"].startswith("/auth/login?next="), answer.text[:200]


@pytest.fixture(scope="module")
def sessions(browser: Browser) -> Iterator[dict[str, httpx.Client]]:
    """A portal session of each person, logged in through Keycloak in the browser, then used from httpx."""
    clients = {}
    for username in PEOPLE:
        context = browser.new_context()
        page = context.new_page()
        log_in(page, username)
        cookies = {c["name"]: c["value"] for c in context.cookies() if c["name"] == "thidua_session"}
        clients[username] = httpx.Client(base_url=PORTAL, cookies=cookies, timeout=30, follow_redirects=False)
        context.close()
    yield clients
    for client in clients.values():
        client.close()


def csrf_of(client: httpx.Client) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert found, "the start page of a signed-in person carries the logout form"
    return found.group(1)


NOT_YOURS = "Bạn không có quyền xem trang này"
STALE_FORM = "Biểu mẫu đã cũ hoặc không hợp lệ"


def test_each_role_reaches_its_pages_only_and_no_form_goes_without_its_csrf_token(
    sessions: dict[str, httpx.Client],
) -> None:
    wrong: list[str] = []
    for username, roles in PEOPLE.items():
        client, csrf = sessions[username], csrf_of(sessions[username])
        for method, path, allowed in ROUTES:
            url = concrete(path)
            may = allowed is None or bool(roles & allowed)
            if method == "GET":
                answer = client.get(url)
                refused = answer.status_code == 403 and NOT_YOURS in answer.text
                if refused == may or answer.status_code >= 500:
                    wrong.append(f"{username} GET {url}: {answer.status_code}")
            elif may:  # a form of the person's own role, without the token: refused before anything is sent
                answer = client.post(url, data={})
                if answer.status_code != 403 or STALE_FORM not in answer.text:
                    wrong.append(f"{username} POST {url} without its token: {answer.status_code}")
            else:  # with a good token, but not the person's role
                answer = client.post(url, data={"csrf_token": csrf})
                if answer.status_code != 403 or NOT_YOURS not in answer.text:
                    wrong.append(f"{username} POST {url} (not theirs): {answer.status_code}")
    assert wrong == []
