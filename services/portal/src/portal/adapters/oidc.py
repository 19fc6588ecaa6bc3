"""Logging people in through Keycloak: the authorization code flow with PKCE (S256), on a confidential client.

The portal is the OAuth client (a "backend for frontend"): the browser only ever holds a session cookie; the tokens
stay on the server. The access token is verified locally, like every service does (issuer, audience, expiry,
algorithm); the ID token's signature, audience (this client) and nonce are checked at login.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from thidua_platform.auth import InvalidToken, JwksCache


def code_verifier() -> str:
    """RFC 7636: 43–128 characters of [A-Za-z0-9-._~]; 32 random bytes give 43."""
    return secrets.token_urlsafe(32)


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    id_token: str
    access_expires_at: float
    refresh_expires_at: float

    @classmethod
    def from_response(cls, body: dict[str, Any], now: float, previous_id_token: str = "") -> TokenSet:
        return cls(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token", "")),
            id_token=str(body.get("id_token") or previous_id_token),
            access_expires_at=now + float(body.get("expires_in", 60)),
            refresh_expires_at=now + float(body.get("refresh_expires_in") or body.get("expires_in", 60)),
        )


class KeycloakUnavailable(Exception):
    """Keycloak did not answer, or answered with something other than its JSON."""


class RefreshRefused(Exception):
    """Keycloak no longer honours the refresh token: the SSO session ended (idle, max lifetime, logout)."""


@dataclass
class OidcClient:
    issuer: str  # the issuer the tokens carry
    browser_issuer: str  # where browsers are sent to log in and out
    backchannel: str  # where the portal itself calls the realm (token and logout endpoints)
    client_id: str
    client_secret: str
    jwks: JwksCache
    http: httpx.AsyncClient

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, verifier: str, lang: str) -> str:
        query = {
            "client_id": self.client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": redirect_uri,
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge(verifier),
            "code_challenge_method": "S256",
            "ui_locales": lang,
        }
        return f"{self.browser_issuer}/protocol/openid-connect/auth?{urlencode(query)}"

    def end_session_url(self, *, id_token: str, redirect_uri: str) -> str:
        query = {"client_id": self.client_id, "post_logout_redirect_uri": redirect_uri}
        if id_token:
            query["id_token_hint"] = id_token
        return f"{self.browser_issuer}/protocol/openid-connect/logout?{urlencode(query)}"

    async def exchange(self, *, code: str, verifier: str, redirect_uri: str) -> TokenSet:
        body = await self._token(
            {"grant_type": "authorization_code", "code": code, "code_verifier": verifier, "redirect_uri": redirect_uri}
        )
        return TokenSet.from_response(body, time.time())

    async def refresh(self, tokens: TokenSet) -> TokenSet:
        try:
            body = await self._token({"grant_type": "refresh_token", "refresh_token": tokens.refresh_token})
        except InvalidToken as exc:
            raise RefreshRefused(str(exc)) from exc
        return TokenSet.from_response(body, time.time(), previous_id_token=tokens.id_token)

    async def revoke(self, tokens: TokenSet) -> None:
        """Ends the SSO session on the back channel too (the browser may never reach the logout page)."""
        if tokens.refresh_token:
            await self.http.post(
                f"{self.backchannel}/protocol/openid-connect/logout",
                data={
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "refresh_token": tokens.refresh_token,
                },
            )

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        try:
            response = await self.http.post(
                f"{self.backchannel}/protocol/openid-connect/token",
                data={**form, "client_id": self.client_id, "client_secret": self.client_secret},
            )
        except httpx.HTTPError as exc:
            raise KeycloakUnavailable(type(exc).__name__) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code in (400, 401):
            error = body.get("error", "") if isinstance(body, dict) else ""
            raise InvalidToken(f"Keycloak từ chối / Keycloak refused: {error or response.status_code}")
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            raise KeycloakUnavailable(f"HTTP {response.status_code}")
        return body

    async def id_claims(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The ID token's claims, after its signature, issuer, audience, expiry and nonce are checked."""
        try:
            header = jwt.get_unverified_header(id_token)
            if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
                raise InvalidToken("ID token: thuật toán hoặc khóa không hợp lệ / bad algorithm or key")
            key = await self.jwks.key(header["kid"])
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key=key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"ID token không hợp lệ / Invalid ID token: {exc}") from exc
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise InvalidToken("ID token: nonce không khớp / nonce mismatch")
        return claims
