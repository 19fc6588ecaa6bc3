"""The portal's sessions on the real database and its logins against the real Keycloak: a session ends when idle or
too old, a login's state is used once, cookies are not stored, and a refresh token Keycloak no longer honours ends
the session (what happens when Keycloak's SSO session ends)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from portal.oidc import OidcClient, RefreshRefused, TokenSet
from portal.sessions import SessionStore
from thidua_shared.auth import JwksCache, Principal
from thidua_shared.client import issuer, password_token
from thidua_shared.testing import scratch_database

PRINCIPAL = Principal("user-1", "lm.officer", frozenset({"commune_officer"}), tenant="ph-37-lien-minh", province="37")
TOKENS = TokenSet("access", "refresh", "id", access_expires_at=2e9, refresh_expires_at=2e9)


@pytest.fixture
async def store() -> AsyncIterator[SessionStore]:
    async with scratch_database() as database:
        yield SessionStore(database, idle=timedelta(seconds=1), max_age=timedelta(hours=1))


async def test_a_session_is_found_by_its_cookie_and_ends_when_idle(store: SessionStore) -> None:
    session = await store.create(PRINCIPAL, "Lê Văn An", TOKENS)
    found = await store.get(session.id)
    assert found is not None and found.principal == PRINCIPAL and found.tokens == TOKENS
    stored = await store._sessions.find_one({})
    assert stored is not None and session.id not in str(stored)  # only the cookie's hash is kept
    assert stored["_id"] == hashlib.sha256(session.id.encode()).hexdigest()
    await asyncio.sleep(1.2)
    assert await store.get(session.id) is None
    assert await store._sessions.count_documents({}) == 0  # an ended session is deleted


async def test_a_login_state_is_used_once_and_a_flash_shown_once(store: SessionStore) -> None:
    state = await store.begin_login(verifier="v" * 43, nonce="n", next_path="/officer/dossiers")
    pending = await store.finish_login(state)
    assert pending is not None and pending.next == "/officer/dossiers" and pending.verifier == "v" * 43
    assert await store.finish_login(state) is None  # a replayed callback
    assert await store.finish_login("made-up") is None
    session = await store.create(PRINCIPAL, "x", TOKENS)
    await store.flash(session.id, "Đã lưu / Saved")
    assert (await store.get(session.id)).flash == "Đã lưu / Saved"  # type: ignore[union-attr]


async def test_a_refresh_token_keycloak_no_longer_honours_ends_the_session() -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        oidc = OidcClient(
            issuer=issuer(),
            browser_issuer=issuer(),
            backchannel=issuer(),
            client_id="thidua-portal",
            client_secret="thidua-portal-dev-secret",  # the local realm's dev-only secret
            jwks=JwksCache(f"{issuer()}/protocol/openid-connect/certs"),
            http=http,
        )
        with pytest.raises(RefreshRefused):
            await oidc.refresh(TokenSet("a", "not-a-refresh-token", "i", 0, 0))
        # a real refresh token of another client is refused too (Keycloak binds it to its client)
        cli = password_token("lm.submitter")
        assert cli.access_token
        wrong = await http.post(
            f"{issuer()}/protocol/openid-connect/token",
            data={"grant_type": "password", "client_id": "thidua-portal", "username": "lm.submitter", "password": "x"},
        )
        assert wrong.status_code in (400, 401)  # the portal's client has no password grant
