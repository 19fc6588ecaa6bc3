"""Who to tell: the people behind a user id, a username, or a realm role in a commune or a province.

The notifications service addresses people, but events only carry ids (the submitter's token `sub`), usernames, or
"whoever holds role R here". Keycloak is the one place that knows them, so this module asks its admin REST API, as
the service account of the confidential client `thidua-services` (client-credentials grant). That account holds
only the realm-management roles `view-users`, `view-organizations` and `view-realm` (the last one only because
`GET /roles/{role}/users` requires it; see deploy/keycloak/realm/thidua-realm.json), and the module only reads:

- `GET /users/{id}` and `GET /users?username=…&exact=true`: one person;
- `GET /roles/{role}/users`: the direct holders of a realm role (a role given through a group or a composite role
  is not seen; the realm assigns the thidua roles directly);
- `GET /organizations` (aliases, and `q=level:province province:<code>`) and `GET /organizations/{id}/members`:
  who belongs to a commune or a province. The admin API cannot search organizations by alias, so the
  alias → id index is built from the full list and cached like everything else.

Personal data minimisation: of each user only the id, username, e-mail and display name are kept (`Person`);
attributes, role lists and the rest of the representation are dropped as soon as they are read, never logged.
Disabled users and service accounts are never returned.

Answers are cached in memory for `ttl_seconds` (misses, such as an unknown user, for at most `NEGATIVE_TTL_SECONDS`),
so a burst of events for one commune costs one round of requests; a change in Keycloak is seen within the TTL.
Keycloak unreachable, timing out or answering 5xx/429 raises `DirectoryUnavailable` (the consumer retries the
event); a refusal (wrong client secret: 401, missing role: 403) or an unknown realm role raises `DirectoryError`,
a configuration problem that must not pass for "nobody to tell".
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from keycloak import KeycloakAdmin, KeycloakOpenIDConnection
from keycloak.exceptions import KeycloakConnectionError, KeycloakError

from notifications.adapters.ttl_cache import TtlCache

log = logging.getLogger(__name__)

NEGATIVE_TTL_SECONDS = 30.0
PAGE_SIZE = 200
REQUEST_TIMEOUT_SECONDS = 10

# What may go into a URL path segment (user ids, role names) or a `q` search term (province codes).
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}")
_SEARCH_TERM = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TRANSIENT_STATUS = frozenset({408, 429})
_SERVICE_ACCOUNT_PREFIX = "service-account-"  # Keycloak's username prefix for a client's service-account user

T = TypeVar("T")


@dataclass(frozen=True)
class Person:
    user_id: str
    username: str
    email: str | None
    name: str


class DirectoryUnavailable(Exception):
    """Keycloak is unreachable, timed out or failed (5xx): the caller retries the event later."""


class DirectoryError(Exception):
    """Keycloak refused the service account (401/403) or was asked for something that does not exist (a realm
    role): a configuration error that retrying will not fix."""


class Directory(Protocol):
    async def by_id(self, user_id: str) -> Person | None: ...

    async def by_username(self, username: str) -> Person | None: ...

    async def holders(self, role: str, *, tenant: str | None = None, province: str | None = None) -> list[Person]:
        """Enabled holders of realm role `role` who are members of the commune organization whose alias is
        `tenant`, or of the province-level organization(s) whose `province` attribute is `province`. Exactly one
        of `tenant` and `province` must be given."""
        ...

    async def members(self, *, tenant: str | None = None, province: str | None = None) -> frozenset[str]:
        """User ids of the members of the commune organization whose alias is `tenant`, or of the province-level
        organization(s) of `province` (exactly one of them given): whom a notice of that commune or province may
        reach."""
        ...


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _person(rep: Mapping[str, Any]) -> Person | None:
    """The few fields the notifications need; None for a disabled user, a service account or a malformed entry."""
    if rep.get("enabled") is not True or rep.get("serviceAccountClientId"):
        return None
    user_id, username = rep.get("id"), rep.get("username")
    if not isinstance(user_id, str) or not user_id or not isinstance(username, str) or not username:
        return None
    if username.startswith(_SERVICE_ACCOUNT_PREFIX):  # Keycloak 26 no longer returns serviceAccountClientId
        return None
    name = f"{_text(rep.get('lastName'))} {_text(rep.get('firstName'))}".strip() or username  # family name first
    return Person(user_id=user_id, username=username, email=_text(rep.get("email")) or None, name=name)


def _people(reps: list[Any]) -> dict[str, Person]:
    people = (_person(rep) for rep in reps if isinstance(rep, Mapping))
    return {person.user_id: person for person in people if person is not None}


class KeycloakDirectory:
    """`Directory` backed by the Keycloak admin REST API (python-keycloak, async methods)."""

    def __init__(
        self, *, server_url: str, realm: str, client_id: str, client_secret: str, ttl_seconds: float = 300.0
    ) -> None:
        if ttl_seconds < 0:
            raise ValueError("ttl_seconds must not be negative")
        self._connection = KeycloakOpenIDConnection(
            server_url=server_url.rstrip("/") + "/",
            realm_name=realm,
            client_id=client_id,
            client_secret_key=client_secret,
            grant_type="client_credentials",
            timeout=REQUEST_TIMEOUT_SECONDS,
        )
        self._admin = KeycloakAdmin(connection=self._connection)
        self._ttl = ttl_seconds
        self._negative_ttl = min(ttl_seconds, NEGATIVE_TTL_SECONDS)

        def cache() -> TtlCache[Any, Any]:
            return TtlCache(ttl=ttl_seconds, negative_ttl=NEGATIVE_TTL_SECONDS)

        self._users: TtlCache[tuple[str, str], Person | None] = cache()
        self._role_holders: TtlCache[str, dict[str, Person]] = cache()
        self._members: TtlCache[str, frozenset[str]] = cache()
        self._province_orgs: TtlCache[str, tuple[str, ...]] = cache()
        self._org_index: tuple[float, dict[str, str]] | None = None  # (fetched at, alias → organization id)

    async def aclose(self) -> None:
        """Close the HTTP connection pools (admin API and token endpoint)."""
        await self._connection.aclose()
        await self._connection.keycloak_openid.connection.aclose()

    def clear_cache(self) -> None:
        for cache in (self._users, self._role_holders, self._members, self._province_orgs):
            cache.clear()
        self._org_index = None

    # --- Directory

    async def by_id(self, user_id: str) -> Person | None:
        if not _PATH_SEGMENT.fullmatch(user_id):
            return None  # not a Keycloak id: nobody
        key = ("id", user_id)
        found, person = self._users.get(key)
        if found:
            return person
        rep = await self._call_or_none("user lookup by id", self._admin.a_get_user(user_id))
        person = _person(rep) if isinstance(rep, Mapping) else None
        return self._users.put(key, person, negative=person is None)

    async def by_username(self, username: str) -> Person | None:
        wanted = username.strip().lower()  # Keycloak keeps usernames in lower case
        if not wanted:
            return None
        key = ("username", wanted)
        found, person = self._users.get(key)
        if found:
            return person
        query = {"username": wanted, "exact": "true", "briefRepresentation": "true", "first": 0, "max": 2}
        reps = await self._call("user lookup by username", self._admin.a_get_users(query))
        matches = [rep for rep in reps if isinstance(rep, Mapping) and _text(rep.get("username")).lower() == wanted]
        person = _person(matches[0]) if len(matches) == 1 else None
        return self._users.put(key, person, negative=person is None)

    async def holders(self, role: str, *, tenant: str | None = None, province: str | None = None) -> list[Person]:
        """The people of the commune (or province) holding the realm role. When what was read before says nobody
        here holds it, Keycloak is asked again (at most every NEGATIVE_TTL_SECONDS): someone given the role, or let
        into the commune, since then is told all the same, not five minutes later or never."""
        if not _PATH_SEGMENT.fullmatch(role):
            raise ValueError(f"not a realm role name: {role!r}")
        org_ids = await self._organizations(tenant=tenant, province=province)
        found = await self._holders_among(role, org_ids)
        if not found and org_ids:
            self._role_holders.forget_older_than(role, self._negative_ttl)
            for org_id in org_ids:
                self._members.forget_older_than(org_id, self._negative_ttl)
            found = await self._holders_among(role, org_ids)
        return sorted(found, key=lambda p: p.username)

    async def members(self, *, tenant: str | None = None, province: str | None = None) -> frozenset[str]:
        return await self._members_among(await self._organizations(tenant=tenant, province=province))

    async def _organizations(self, *, tenant: str | None, province: str | None) -> tuple[str, ...]:
        """The organizations of a commune (its own) or of a province (every commune's and the province's)."""
        if (tenant is None) == (province is None):
            raise ValueError("give exactly one of tenant= and province=")
        if tenant is not None:
            org_id = await self._organization_id(tenant)
            if org_id is None:
                log.warning("directory: no organization with alias %r", tenant)
                return ()
            return (org_id,)
        assert province is not None
        if not _SEARCH_TERM.fullmatch(province):
            raise ValueError(f"not a province code: {province!r}")
        return await self._province_organizations(province)

    async def _members_among(self, org_ids: tuple[str, ...]) -> frozenset[str]:
        members: frozenset[str] = frozenset()
        for org_id in org_ids:
            members |= await self._members_of(org_id)
        return members

    async def _holders_among(self, role: str, org_ids: tuple[str, ...]) -> list[Person]:
        members = await self._members_among(org_ids)
        if not members:
            return []
        holders = await self._holders_of(role)
        return [holders[user_id] for user_id in members & holders.keys()]

    # --- Keycloak reads (cached)

    async def _holders_of(self, role: str) -> dict[str, Person]:
        found, holders = self._role_holders.get(role)
        if found and holders is not None:
            return holders
        reps = await self._call(
            f"realm role {role!r}", self._admin.a_get_realm_role_members(role, {"briefRepresentation": "true"})
        )
        return self._role_holders.put(role, _people(reps))

    async def _members_of(self, org_id: str) -> frozenset[str]:
        found, members = self._members.get(org_id)
        if found and members is not None:
            return members
        reps = await self._pages(
            "organization members",
            lambda query: self._admin.a_get_organization_members(org_id, query),
            {"briefRepresentation": "true"},
            missing_ok=True,
        )
        return self._members.put(org_id, frozenset(_people(reps)), negative=not reps)

    async def _province_organizations(self, province: str) -> tuple[str, ...]:
        found, org_ids = self._province_orgs.get(province)
        if found and org_ids is not None:
            return org_ids
        reps = await self._pages(
            "province organizations",
            self._admin.a_get_organizations,
            {"q": f"level:province province:{province}", "briefRepresentation": "true"},
        )
        ids = tuple(sorted(rep["id"] for rep in reps if isinstance(rep, Mapping) and isinstance(rep.get("id"), str)))
        return self._province_orgs.put(province, ids, negative=not ids)

    async def _organization_id(self, alias: str) -> str | None:
        now = time.monotonic()
        index = self._org_index
        fresh = index is not None and now - index[0] < self._ttl
        if index is None or not fresh or (alias not in index[1] and now - index[0] >= self._negative_ttl):
            reps = await self._pages(
                "organization list", self._admin.a_get_organizations, {"briefRepresentation": "true"}
            )
            aliases = {
                rep["alias"]: rep["id"]
                for rep in reps
                if isinstance(rep, Mapping) and isinstance(rep.get("alias"), str) and isinstance(rep.get("id"), str)
            }
            index = self._org_index = (time.monotonic(), aliases)
        return index[1].get(alias)

    # --- plumbing

    async def _pages(
        self,
        what: str,
        fetch: Callable[[dict[str, Any]], Awaitable[list[Any]]],
        query: dict[str, Any],
        *,
        missing_ok: bool = False,
    ) -> list[Any]:
        """Every page of a list endpoint (the admin API caps pages; python-keycloak's own paging uses 100)."""
        results: list[Any] = []
        while True:
            request = fetch({**query, "first": len(results), "max": PAGE_SIZE})
            page = await (self._call_or_none(what, request) if missing_ok else self._call(what, request))
            if page is None:
                return results
            results.extend(page)
            if len(page) < PAGE_SIZE:
                return results

    async def _call(self, what: str, request: Awaitable[T]) -> T:
        found = await self._call_or_none(what, request)
        if found is None:
            raise DirectoryError(f"Keycloak has no {what}")
        return found

    async def _call_or_none(self, what: str, request: Awaitable[T]) -> T | None:
        """The answer, or None for a 404; errors mapped to DirectoryUnavailable / DirectoryError."""
        try:
            return await request
        except KeycloakConnectionError as exc:
            raise DirectoryUnavailable(f"Keycloak unreachable ({what})") from exc
        except KeycloakError as exc:
            status = exc.response_code
            if status == 404:
                return None
            if status is not None and (status >= 500 or status in _TRANSIENT_STATUS):
                raise DirectoryUnavailable(f"Keycloak failed ({what}): HTTP {status}") from exc
            raise DirectoryError(f"Keycloak refused {what}: HTTP {status}") from exc
