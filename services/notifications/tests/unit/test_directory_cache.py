"""The directory's cache of Keycloak's answers (adapters/directory.py) over a fake of the admin API's reads, on a clock
the test moves: what it keeps for five minutes, and when it asks again. The real Keycloak answers are
tests/integration/test_directory.py's."""

from __future__ import annotations

from typing import Any

import pytest

from notifications.adapters import ttl_cache
from notifications.adapters.directory import KeycloakDirectory
from thidua_contracts.roles import Role


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Realm:
    """What the directory reads of Keycloak's admin API: organizations, their members, the holders of realm roles;
    and how many times each was asked."""

    def __init__(self) -> None:
        self.organizations = [{"id": "org-lm", "alias": "ph-37-lien-minh"}]
        self.members: dict[str, list[dict[str, Any]]] = {"org-lm": []}
        self.roles: dict[str, list[dict[str, Any]]] = {role.value: [] for role in Role}
        self.asked: list[str] = []

    def person(self, username: str, *roles: Role, org: str = "org-lm") -> None:
        user = {"id": f"u-{username}", "username": username, "enabled": True, "email": f"{username}@x.invalid"}
        self.members[org].append(user)
        for role in roles:
            self.roles[role.value].append(user)

    async def a_get_organizations(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        self.asked.append("organizations")
        return self.organizations[query["first"] :]

    async def a_get_organization_members(self, org_id: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        self.asked.append(f"members {org_id}")
        return self.members[org_id][query["first"] :]

    async def a_get_realm_role_members(self, role: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        self.asked.append(f"role {role}")
        assert query == {"briefRepresentation": "true"}  # the whole list at once: this endpoint does not page
        return list(self.roles[role])


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ttl_cache, "monotonic", clock)
    return clock


@pytest.fixture
def realm() -> Realm:
    return Realm()


@pytest.fixture
def directory(realm: Realm) -> KeycloakDirectory:
    directory = KeycloakDirectory(
        server_url="http://keycloak.invalid", realm="thidua", client_id="thidua-services", client_secret="x"
    )
    directory._admin = realm  # type: ignore[assignment]  # the admin API's reads, faked
    return directory


async def chairs(directory: KeycloakDirectory) -> list[str]:
    return [p.username for p in await directory.holders(Role.COMMUNE_CHAIR, tenant="ph-37-lien-minh")]


async def test_a_chairman_given_the_role_after_the_commune_was_read_is_told_half_a_minute_later_at_most(
    directory: KeycloakDirectory, realm: Realm, clock: Clock
) -> None:
    realm.person("lm.officer", Role.COMMUNE_OFFICER)
    assert await chairs(directory) == []  # the commune has no chairman yet

    realm.person("lm.chair", Role.COMMUNE_CHAIR)  # created in Keycloak a moment later
    clock.now += 31  # the next event that tells the chairman, half a minute on (not five minutes)

    assert await chairs(directory) == ["lm.chair"]


async def test_nobody_holding_the_role_is_asked_again_at_most_every_thirty_seconds(
    directory: KeycloakDirectory, realm: Realm, clock: Clock
) -> None:
    realm.person("lm.officer", Role.COMMUNE_OFFICER)
    assert await chairs(directory) == []
    asked = len(realm.asked)

    clock.now += 10
    assert await chairs(directory) == []
    assert len(realm.asked) == asked  # a burst of events costs Keycloak nothing more

    clock.now += 25
    assert await chairs(directory) == []
    assert sorted(realm.asked[asked:]) == ["members org-lm", "role commune_chair"]


async def test_holders_found_are_kept_for_the_ttl_without_asking_again(
    directory: KeycloakDirectory, realm: Realm, clock: Clock
) -> None:
    realm.person("lm.chair", Role.COMMUNE_CHAIR)
    assert await chairs(directory) == ["lm.chair"]
    asked = len(realm.asked)

    clock.now += 299
    assert await chairs(directory) == ["lm.chair"]
    assert len(realm.asked) == asked

    realm.person("lm.vice", Role.COMMUNE_CHAIR)
    clock.now += 2  # past the five minutes: read again
    assert await chairs(directory) == ["lm.chair", "lm.vice"]
