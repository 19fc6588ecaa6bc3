"""Server-side sessions in the portal's own database: the browser holds only a random id in an HttpOnly cookie.

A session is stored under the SHA-256 of its id, so reading the database does not hand out live cookies. It holds the
person's tokens (the portal calls the services with the access token), who they are (for navigation), a CSRF token
for forms, and one flash message for the next page. It ends after `idle` without a request, at `max_age`, at logout,
or when Keycloak refuses to refresh its tokens. Logins in progress (state, PKCE verifier, nonce) live ten minutes
and are used once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from portal.adapters.oidc import TokenSet
from portal.repository import SessionRepository
from portal.sessions_store import ClaimedForm, Flash, StoredLogin, StoredSession, StoredTokens
from thidua_platform.auth import Principal
from thidua_platform.mongo import Document

LOGIN_TTL = timedelta(minutes=10)
TOUCH_EVERY = timedelta(seconds=60)


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Session:
    id: str  # the cookie's value; only its hash is stored
    principal: Principal
    display_name: str
    tokens: TokenSet
    csrf: str
    created_at: datetime
    last_seen: datetime
    flash: tuple[str, str] | None = None  # (Vietnamese, English)
    unit_name: str = ""  # the commune's name ("Xã Liên Minh"), or the province's; empty: show its code


@dataclass(frozen=True)
class PendingLogin:
    state: str
    verifier: str
    nonce: str
    next: str


class SessionStore:
    def __init__(self, database: AsyncDatabase[Document], *, idle: timedelta, max_age: timedelta) -> None:
        self._stored = SessionRepository(database)
        self._idle = idle
        self._max_age = max_age

    # --- logins in progress
    async def begin_login(self, *, verifier: str, nonce: str, next_path: str) -> str:
        state = secrets.token_urlsafe(24)
        login: StoredLogin = {"verifier": verifier, "nonce": nonce, "next": next_path, "at": datetime.now(UTC)}
        await self._stored.add_login(_key(state), login)
        return state

    async def finish_login(self, state: str) -> PendingLogin | None:
        """The login this state began, once: a replayed callback finds nothing."""
        found = await self._stored.take_login(_key(state))
        if found is None or datetime.now(UTC) - found["at"] > LOGIN_TTL:
            return None
        return PendingLogin(state=state, verifier=found["verifier"], nonce=found["nonce"], next=found["next"])

    # --- sessions
    async def create(
        self, principal: Principal, display_name: str, tokens: TokenSet, *, unit_name: str = ""
    ) -> Session:
        now = datetime.now(UTC)
        session = Session(
            id=secrets.token_urlsafe(32),
            principal=principal,
            display_name=display_name,
            unit_name=unit_name,
            tokens=tokens,
            csrf=secrets.token_urlsafe(24),
            created_at=now,
            last_seen=now,
        )
        await self._stored.add_session(_key(session.id), _stored(session))
        return session

    async def get(self, session_id: str) -> Session | None:
        """The live session, or None (unknown, idle too long, or too old: an ended session is deleted)."""
        found = await self._stored.session(_key(session_id))
        if found is None:
            return None
        now = datetime.now(UTC)
        if now - found["last_seen"] > self._idle or now - found["created_at"] > self._max_age:
            await self.end(session_id)
            return None
        session = _loaded(session_id, found)
        if now - session.last_seen > TOUCH_EVERY:
            await self._stored.change_session(_key(session_id), last_seen=now)
            session = replace(session, last_seen=now)
        return session

    async def store_tokens(self, session: Session, tokens: TokenSet) -> Session:
        await self._stored.change_session(_key(session.id), tokens=_tokens(tokens))
        return replace(session, tokens=tokens)

    async def flash(self, session_id: str, message: tuple[str, str] | None) -> None:
        stored: Flash | None = {"vi": message[0], "en": message[1]} if message else None
        await self._stored.change_session(_key(session_id), flash=stored)

    # --- forms sent once (a double click, a resent page): the first sending acts, the others see its result
    async def claim_form(self, session_id: str, key: str) -> ClaimedForm | None:
        """None when this sending is the first (it acts); else what the first one left (its `location`, if done)."""
        return await self._stored.claim_form(_key(f"{session_id}:{key}"), datetime.now(UTC))

    async def form_done(self, session_id: str, key: str, location: str | None) -> None:
        """The first sending's result (where it led); a refused sending releases the key so the form can come back."""
        if location is None:
            await self._stored.release_form(_key(f"{session_id}:{key}"))
        else:
            await self._stored.complete_form(_key(f"{session_id}:{key}"), location)

    async def end(self, session_id: str) -> None:
        await self._stored.end_session(_key(session_id))

    async def sweep(self) -> int:
        """Deletes sessions idle too long and logins never finished; returns how many sessions went."""
        now = datetime.now(UTC)
        return await self._stored.sweep(
            logins_before=now - LOGIN_TTL,
            forms_before=now - self._max_age,
            seen_before=now - self._idle,
            created_before=now - self._max_age,
        )


def _tokens(tokens: TokenSet) -> StoredTokens:
    return {
        "access": tokens.access_token,
        "refresh": tokens.refresh_token,
        "id": tokens.id_token,
        "access_expires_at": tokens.access_expires_at,
        "refresh_expires_at": tokens.refresh_expires_at,
    }


def _stored(session: Session) -> StoredSession:
    p = session.principal
    return {
        "user_id": p.user_id,
        "username": p.username,
        "roles": sorted(p.roles),
        "tenant": p.tenant,
        "province": p.province,
        "display_name": session.display_name,
        "unit_name": session.unit_name,
        "tokens": _tokens(session.tokens),
        "csrf": session.csrf,
        "created_at": session.created_at,
        "last_seen": session.last_seen,
        "flash": None,
    }


def _loaded(session_id: str, found: StoredSession) -> Session:
    t = found["tokens"]
    flash = found.get("flash")
    return Session(
        id=session_id,
        principal=Principal(
            user_id=found["user_id"],
            username=found["username"],
            roles=frozenset(found["roles"]),
            tenant=found.get("tenant"),
            province=found.get("province"),
        ),
        display_name=found.get("display_name", ""),
        unit_name=found.get("unit_name", ""),
        tokens=TokenSet(
            access_token=t["access"],
            refresh_token=t["refresh"],
            id_token=t["id"],
            access_expires_at=float(t["access_expires_at"]),
            refresh_expires_at=float(t["refresh_expires_at"]),
        ),
        csrf=found["csrf"],
        created_at=found["created_at"],
        last_seen=found["last_seen"],
        flash=(flash["vi"], flash["en"]) if flash else None,
    )
