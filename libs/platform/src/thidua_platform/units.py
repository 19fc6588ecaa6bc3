"""The names of a province's units: the province's own and every commune's, as they were provisioned.

Keycloak organizations are the one list of units (ADR 0029): a commune is the organization whose alias is its tenant
id, with attributes `level` = commune and `province` = the province code, and its `name` ("Xã Liên Minh"); the
province's staff belong to the organization of `level` = province. A service reads them through the admin REST API as
the service account of a confidential client that holds only the realm-management role `view-organizations`, with one
request per province (`GET /organizations?q=province:<code>`, paged), kept in memory for `ttl_seconds`: a report, a
ranking or a letterhead costs no request most of the time, and a commune provisioned or renamed is seen within the TTL.

What fails is never fatal to the reader: Keycloak unreachable or refusing the client gives the names read before (if
any) or none, logged; the caller then shows codes, as it did before names existed. `NoUnits` is the directory of a
service not configured with a client (names are then the codes), `KnownUnits` one given its units (tests, tools).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from thidua_platform.settings import UnitNamesSettings

log = logging.getLogger(__name__)

PAGE_SIZE = 200
REQUEST_TIMEOUT_SECONDS = 10.0
RETRY_AFTER_FAILURE_SECONDS = 30.0
_PROVINCE_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class ProvinceUnits:
    """A province's name (empty when unknown) and its communes, tenant id → name (a commune without a name maps to
    its tenant id)."""

    province: str
    name: str = ""
    communes: Mapping[str, str] = field(default_factory=dict)

    def commune_name(self, tenant: str) -> str:
        return self.communes.get(tenant) or tenant

    @property
    def title(self) -> str:
        """ "Tỉnh Ninh Bình", or "tỉnh 37" when the directory does not know the province."""
        return self.name or f"tỉnh {self.province}"


class UnitDirectory(Protocol):
    async def province(self, code: str) -> ProvinceUnits:
        """The province's name and every commune of it; nothing known gives an empty `ProvinceUnits(code)`."""
        ...


class NoUnits:
    """No directory configured: no names, no list of communes (readers show codes and the communes they have data
    of)."""

    async def province(self, code: str) -> ProvinceUnits:
        return ProvinceUnits(code)


NO_UNITS = NoUnits()


class KnownUnits:
    """A directory of given units (tests, tools): province code → its units."""

    def __init__(self, *provinces: ProvinceUnits) -> None:
        self._provinces = {p.province: p for p in provinces}
        self.reads = 0

    async def province(self, code: str) -> ProvinceUnits:
        self.reads += 1
        return self._provinces.get(code, ProvinceUnits(code))


def _attribute(rep: Mapping[str, Any], name: str) -> str:
    values = (rep.get("attributes") or {}).get(name)
    value = values[0] if isinstance(values, list) and values else values
    return value.strip() if isinstance(value, str) else ""


def province_units(code: str, organizations: list[Any]) -> ProvinceUnits:
    """The province's units from its organizations' representations (disabled ones and other provinces' left out)."""
    name, named_by_communes, communes = "", "", {}
    for rep in organizations:
        if not isinstance(rep, Mapping) or rep.get("enabled") is False or _attribute(rep, "province") != code:
            continue
        shown = _attribute(rep, "name") or str(rep.get("name") or "").strip()
        level, alias = _attribute(rep, "level"), rep.get("alias")
        if level == "province":
            name = name or shown
        elif level == "commune" and isinstance(alias, str) and alias:
            communes[alias] = shown or alias
            named_by_communes = named_by_communes or _attribute(rep, "province_name")
    if not name and named_by_communes:  # no province organization: the province's name its communes carry
        name = f"Tỉnh {named_by_communes}"
    return ProvinceUnits(code, name, dict(sorted(communes.items())))


class KeycloakUnits:
    """`UnitDirectory` over Keycloak's admin REST API (client-credentials grant, httpx)."""

    def __init__(
        self,
        *,
        server_url: str,
        realm: str,
        client_id: str,
        client_secret: str,
        ttl_seconds: float = 300.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._server = server_url.rstrip("/")
        self._realm = realm
        self._credentials = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
        self._ttl = ttl_seconds
        self._http = httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS, transport=transport)
        self._token: tuple[float, str] | None = None  # (valid until, access token)
        self._cache: dict[str, tuple[float, ProvinceUnits]] = {}  # code → (fresh until, units)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def province(self, code: str) -> ProvinceUnits:
        if not _PROVINCE_CODE.fullmatch(code):
            return ProvinceUnits(code)
        now = time.monotonic()
        cached = self._cache.get(code)
        if cached is not None and now < cached[0]:
            return cached[1]
        try:
            units = province_units(code, await self._organizations(code))
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            log.warning("unit names of province %s unavailable: %s", code, exc)
            stale = cached[1] if cached else ProvinceUnits(code)
            self._cache[code] = (now + min(self._ttl, RETRY_AFTER_FAILURE_SECONDS), stale)
            return stale
        self._cache[code] = (time.monotonic() + self._ttl, units)
        return units

    async def _organizations(self, code: str) -> list[Any]:
        url = f"{self._server}/admin/realms/{self._realm}/organizations"
        headers = {"Authorization": f"Bearer {await self._access_token()}"}
        found: list[Any] = []
        while True:
            query: dict[str, str | int] = {
                "q": f"province:{code}",
                "briefRepresentation": "false",
                "first": len(found),
                "max": PAGE_SIZE,
            }
            response = await self._http.get(url, params=query, headers=headers)
            response.raise_for_status()
            page = response.json()
            if not isinstance(page, list):
                raise ValueError("organizations: not a list")
            found.extend(page)
            if len(page) < PAGE_SIZE:
                return found

    async def _access_token(self) -> str:
        now = time.monotonic()
        if self._token is not None and now < self._token[0]:
            return self._token[1]
        url = f"{self._server}/realms/{self._realm}/protocol/openid-connect/token"
        response = await self._http.post(url, data=self._credentials)
        response.raise_for_status()
        body = response.json()
        lifetime = float(body.get("expires_in", 60))
        self._token = (now + max(lifetime - 30.0, lifetime / 2), str(body["access_token"]))
        return self._token[1]


def unit_directory(settings: UnitNamesSettings) -> UnitDirectory:
    """The Keycloak directory of the issuer's realm (reached at `units_url` when set), or `NoUnits` without a
    secret."""
    secret = settings.units_client_secret.get_secret_value()
    if not secret:
        return NoUnits()
    issuer_server, _, realm = settings.oidc_issuer.partition("/realms/")
    return KeycloakUnits(
        server_url=settings.units_url.rstrip("/") or issuer_server,
        realm=realm,
        client_id=settings.units_client_id,
        client_secret=secret,
        ttl_seconds=settings.units_cache_seconds,
    )
