"""The portal's sessions on the real database and its logins against the real Keycloak: a session ends when idle or
too old, a login's state is used once, cookies are not stored, and a refresh token Keycloak no longer honours ends
the session (what happens when Keycloak's SSO session ends)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from unittest.mock import ANY

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from portal.adapters.oidc import OidcClient, RefreshRefused, TokenSet
from portal.sessions import SessionStore
from thidua_platform.auth import JwksCache, Principal
from thidua_platform.client import issuer
from thidua_platform.mongo import Document
from thidua_platform.testing import eventually, scratch_database

PRINCIPAL = Principal("user-1", "lm.officer", frozenset({"commune_officer"}), tenant="ph-37-lien-minh", province="37")
TOKENS = TokenSet("access", "refresh", "id", access_expires_at=2e9, refresh_expires_at=2e9)
IDLE = timedelta(seconds=1)  # the test store's: a session unused that long has ended


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    async with scratch_database() as database:
        yield database


@pytest.fixture
def store(database: AsyncDatabase[Document]) -> SessionStore:
    return SessionStore(database, idle=IDLE, max_age=timedelta(hours=1))


async def test_a_session_is_found_by_its_cookie_and_ends_when_idle(
    store: SessionStore, database: AsyncDatabase[Document]
) -> None:
    began = datetime.now(UTC)
    session = await store.create(PRINCIPAL, "Lê Văn An", TOKENS)
    found = await store.get(session.id)
    assert found is not None
    assert found.principal == PRINCIPAL
    assert found.tokens == TOKENS
    stored = await database["sessions"].find_one({})
    assert stored is not None
    assert session.id not in str(stored)  # only the cookie's hash is kept
    assert stored["_id"] == hashlib.sha256(session.id.encode()).hexdigest()

    async def ended() -> bool:
        return await store.get(session.id) is None

    # waits for the session to end, unused (reading it does not renew it: a session is touched once a minute), at
    # most 10 s; it ended by being idle, not before
    await eventually(ended, within=10, what="the idle session to end")
    assert datetime.now(UTC) - began > IDLE
    assert await database["sessions"].count_documents({}) == 0  # an ended session is deleted


async def test_a_login_state_is_used_once_and_a_flash_shown_once(store: SessionStore) -> None:
    state = await store.begin_login(verifier="v" * 43, nonce="n", next_path="/officer/dossiers")
    pending = await store.finish_login(state)
    assert pending is not None
    assert pending.next == "/officer/dossiers"
    assert pending.verifier == "v" * 43
    assert await store.finish_login(state) is None  # a replayed callback
    assert await store.finish_login("made-up") is None
    session = await store.create(PRINCIPAL, "x", TOKENS)
    await store.flash(session.id, ("Đã lưu “Chi bộ / Thôn Đông”", "Saved “Chi bộ / Thôn Đông”"))
    shown = await store.get(session.id)
    assert shown is not None
    assert shown.flash == ("Đã lưu “Chi bộ / Thôn Đông”", "Saved “Chi bộ / Thôn Đông”")
    await store.flash(session.id, None)  # what the next page does once it has shown it
    assert (await store.get(session.id)).flash is None  # type: ignore[union-attr]


async def test_a_form_sent_twice_acts_once(store: SessionStore) -> None:
    session = await store.create(PRINCIPAL, "x", TOKENS)
    assert await store.claim_form(session.id, "key-1") is None  # the first sending acts
    assert await store.claim_form(session.id, "key-1") == {"_id": ANY, "at": ANY, "location": None}  # still acting
    await store.form_done(session.id, "key-1", "/officer/sessions/s-1")
    assert (await store.claim_form(session.id, "key-1"))["location"] == "/officer/sessions/s-1"  # type: ignore[index]
    assert await store.claim_form(session.id, "key-2") is None  # another form
    await store.form_done(session.id, "key-2", None)  # refused: the same form may come back corrected
    assert await store.claim_form(session.id, "key-2") is None


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
        # the portal's client cannot log anyone in by password: only by the browser's code flow
        wrong = await http.post(
            f"{issuer()}/protocol/openid-connect/token",
            data={"grant_type": "password", "client_id": "thidua-portal", "username": "lm.submitter", "password": "x"},
        )
        assert wrong.status_code in (400, 401)  # the portal's client has no password grant
