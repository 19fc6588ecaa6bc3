"""The documents of the portal's own database as they are stored (portal.repository): a login in progress, a
session and a form claimed. Each is stored under `_id`, a key derived from a secret, which the repository adds to what
it is given (see portal.sessions)."""

from __future__ import annotations

from datetime import datetime
from typing import NotRequired, TypedDict


class StoredLogin(TypedDict):
    """A login in progress (`logins`): what the callback needs to finish it, and when it began."""

    _id: NotRequired[str]  # the SHA-256 of its state
    verifier: str  # PKCE
    nonce: str
    next: str  # where to go once logged in
    at: datetime


class StoredTokens(TypedDict):
    access: str
    refresh: str
    id: str
    access_expires_at: float
    refresh_expires_at: float


class Flash(TypedDict):
    """A message for the next page, in both languages."""

    vi: str
    en: str


class StoredSession(TypedDict):
    """A session (`sessions`): who is logged in, their tokens, the CSRF token of their forms and a flash message."""

    _id: NotRequired[str]  # the SHA-256 of the cookie's value
    user_id: str
    username: str
    roles: list[str]
    tenant: str | None
    province: str | None
    display_name: str
    unit_name: NotRequired[str]  # the commune's (or province's) name; sessions begun before it have none
    tokens: StoredTokens
    csrf: str
    created_at: datetime
    last_seen: datetime
    flash: Flash | None


class ClaimedForm(TypedDict):
    """A form sent once (`forms`): where its first sending led, None until it is done."""

    _id: NotRequired[str]  # the SHA-256 of the session's id and the form's key
    at: NotRequired[datetime]  # when it was first sent (absent if that record went before it could be read)
    location: str | None
