"""Access-token verification against the realm's JWKS, done locally in every service.

Checks: signature with a key from the realm's JWKS (cached, refreshed on an unknown `kid` at most every
`min_refresh_seconds`), the algorithm against an allow-list (never `none`, never HMAC), issuer, audience, expiry,
not-before and issued-at. The claims become a `Principal`; the tenant comes from the organization claim.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from jwt.algorithms import RSAAlgorithm

from thidua_platform.problems import Unauthorized

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, their commune (tenant) or province, and their realm roles."""

    user_id: str
    username: str
    roles: frozenset[str]
    tenant: str | None = None
    province: str | None = None

    def has_any_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


class InvalidToken(Unauthorized):
    pass


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values:
        return str(values[0])
    if isinstance(values, str):
        return values
    return None


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Build a Principal. Organizations are Keycloak Organizations: communes (level=commune) or provinces."""
    roles = frozenset(str(r) for r in (claims.get("realm_access") or {}).get("roles", []))
    organizations = claims.get("organization") or {}
    if isinstance(organizations, list):
        organizations = {str(alias): {} for alias in organizations}
    if not isinstance(organizations, dict) or len(organizations) > 1:
        raise InvalidToken("Người dùng thuộc nhiều đơn vị / The user belongs to more than one organization")
    tenant = province = None
    for alias, attributes in organizations.items():
        attributes = attributes if isinstance(attributes, dict) else {}
        province = _first(attributes.get("province"))
        tenant = None if _first(attributes.get("level")) == "province" else str(alias)
    subject = claims.get("sub")
    if not subject:
        raise InvalidToken("Thiếu định danh người dùng / The token has no subject")
    return Principal(
        user_id=str(subject),
        username=str(claims.get("preferred_username") or subject),
        roles=roles,
        tenant=tenant,
        province=province,
    )


@dataclass
class JwksCache:
    """The realm's signing keys by `kid`. An unknown `kid` triggers a refresh, rate-limited; the keys are fetched
    again once they are `max_age_seconds` old, so a key removed from the realm stops being trusted within that time.
    If the realm cannot be reached then, the keys held are kept and the fetch retried after `min_refresh_seconds`."""

    url: str
    min_refresh_seconds: float = 10.0
    max_age_seconds: float = 300.0
    timeout_seconds: float = 5.0
    transport: httpx.AsyncBaseTransport | None = None
    clock: Callable[[], float] = time.monotonic  # seconds, only ever subtracted: a test gives a clock it moves itself
    _keys: dict[str, Any] = field(default_factory=dict)
    _fetched_at: float = -math.inf  # never
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def key(self, kid: str) -> Any:
        if kid in self._keys and self.clock() - self._fetched_at < self.max_age_seconds:
            return self._keys[kid]
        async with self._lock:
            age = self.clock() - self._fetched_at
            if age >= self.max_age_seconds or (kid not in self._keys and age >= self.min_refresh_seconds):
                try:
                    await self._refresh()
                except httpx.HTTPError as exc:
                    if not self._keys:
                        raise
                    log.warning("realm keys not refreshed (%s); keeping the %d held", exc, len(self._keys))
                    self._fetched_at = self.clock() - self.max_age_seconds + self.min_refresh_seconds
        if kid not in self._keys:
            raise InvalidToken("Khóa ký không xác định / Unknown signing key")
        return self._keys[kid]

    async def _refresh(self) -> None:
        async with httpx.AsyncClient(timeout=self.timeout_seconds, transport=self.transport) as client:
            response = await client.get(self.url)
            response.raise_for_status()
            document = response.json()
        keys = {}
        for jwk in document.get("keys", []):
            if jwk.get("kty") == "RSA" and jwk.get("use", "sig") == "sig" and "kid" in jwk:
                keys[jwk["kid"]] = RSAAlgorithm.from_jwk(json.dumps(jwk))
        self._keys = keys
        self._fetched_at = self.clock()


@dataclass
class TokenVerifier:
    issuer: str
    audience: str
    jwks: JwksCache
    algorithms: tuple[str, ...] = ("RS256",)
    leeway_seconds: int = 0

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken("Mã truy cập không đọc được / Malformed token") from exc
        algorithm = header.get("alg")
        if algorithm not in self.algorithms:
            raise InvalidToken(f"Thuật toán không được chấp nhận / Algorithm not accepted: {algorithm}")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("Thiếu kid / The token names no key")
        key = await self.jwks.key(kid)
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(self.algorithms),
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("Mã truy cập đã hết hạn / The token has expired") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"Mã truy cập không hợp lệ / Invalid token: {exc}") from exc
        return principal_from_claims(claims)
