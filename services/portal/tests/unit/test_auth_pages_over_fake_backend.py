"""Logging in and out (portal.pages.auth) without Keycloak: the login sends the browser to the realm with PKCE and a
state bound to it, a callback that was not begun in this browser or has expired is refused with the portal's page,
and logging out ends the session, revokes its tokens on the back channel (canned here) and sends the browser to the
realm's logout. The code exchange itself needs Keycloak's tokens and stays with the end-to-end tests."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from portal.adapters.oidc import code_challenge
from portal.pages.auth import full_name, unit_name
from thidua_contracts.roles import Role

from .fake_backend import PortalUnderTest


@pytest.fixture
def site() -> PortalUnderTest:
    return PortalUnderTest()


def test_logging_in_goes_to_the_realm_with_pkce_and_a_state_bound_to_the_browser(site: PortalUnderTest) -> None:
    site.english()
    answer = site.get("/auth/login", next="/officer/dossiers?period=2026")
    assert answer.status_code == 303
    target = urlsplit(answer.headers["location"])
    assert target.path.endswith("/protocol/openid-connect/auth")
    query = {name: values[0] for name, values in parse_qs(target.query).items()}
    assert query["client_id"] == site.settings.oidc_client_id
    assert query["redirect_uri"] == f"{site.settings.public_url}/auth/callback"
    assert query["code_challenge_method"] == "S256"
    assert query["ui_locales"] == "en"
    assert f"thidua_login={query['state']}" in answer.headers["set-cookie"]
    assert "HttpOnly" in answer.headers["set-cookie"]
    pending = asyncio.run(site.portal.sessions.finish_login(query["state"]))  # kept for the callback
    assert pending is not None
    assert pending.next == "/officer/dossiers?period=2026"
    assert code_challenge(pending.verifier) == query["code_challenge"]
    assert pending.nonce == query["nonce"]


def test_a_callback_not_begun_in_this_browser_is_refused(site: PortalUnderTest) -> None:
    page = site.get("/auth/callback", state="s-1", code="c-1")
    assert page.status_code == 400
    assert "Đăng nhập không thành công" in page.text
    assert "thidua_session" not in page.headers.get("set-cookie", "")


def test_a_callback_of_a_login_that_expired_or_was_used_is_refused(site: PortalUnderTest) -> None:
    site.client.cookies.set("thidua_login", "s-unknown")
    page = site.get("/auth/callback", state="s-unknown", code="c-1")
    assert page.status_code == 400
    assert "Phiên đăng nhập đã hết hạn, hãy thử lại" in page.text


def test_logging_out_ends_the_session_and_revokes_its_tokens(site: PortalUnderTest) -> None:
    site.sign_in(Role.SUBMITTER)
    revoked: list[httpx.Request] = []

    def realm(request: httpx.Request) -> httpx.Response:
        revoked.append(request)
        return httpx.Response(204)

    site.portal.oidc.http = httpx.AsyncClient(transport=httpx.MockTransport(realm))
    answer = site.post("/auth/logout")
    assert answer.status_code == 303
    assert "/protocol/openid-connect/logout?" in answer.headers["location"]
    assert "id_token_hint=id-token" in answer.headers["location"]
    assert [r.url.path.rsplit("/", 1)[-1] for r in revoked] == ["logout"]
    assert b"refresh-token" in revoked[0].content
    after = site.get("/inbox")
    assert after.status_code == 401  # the session is gone
    assert "Phiên đăng nhập đã hết hạn" in after.text


@pytest.mark.parametrize(
    ("claims", "shown"),
    [
        ({"given_name": "Văn An", "family_name": "Nguyễn", "name": "Văn An Nguyễn"}, "Nguyễn Văn An"),
        ({"name": "Phạm Thu Hà"}, "Phạm Thu Hà"),  # no parts: the name as the realm gives it
        ({"given_name": "lm.x", "family_name": "lm.x"}, "lm.x"),  # an account provisioned without a name
        ({}, "lm.person"),
    ],
)
def test_a_person_is_greeted_by_their_full_name_family_name_first(claims: dict[str, str], shown: str) -> None:
    assert full_name(claims, "lm.person") == shown


def test_a_persons_commune_or_province_is_named_from_their_organizations_attributes() -> None:
    commune = {"ph-37-lien-minh": {"province": ["37"], "level": ["commune"], "name": ["Xã Liên Minh"]}}
    assert unit_name({"organization": commune}) == "Xã Liên Minh"
    assert unit_name({"organization": {"tinh-37": {"level": ["province"], "name": ["Tỉnh Ninh Bình"]}}}) == (
        "Tỉnh Ninh Bình"
    )
    assert unit_name({"organization": {"ph-37-x": {"province": ["37"]}}}) == ""  # provisioned before names were kept
    assert unit_name({}) == ""
