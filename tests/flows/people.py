"""The directory as notifications asks Keycloak, for the flows in memory: who each user is (user id `u-<username>`),
which commune they belong to, and which realm roles they hold there."""

from __future__ import annotations

from dataclasses import dataclass, field

from notifications.adapters.directory import Person
from thidua_contracts.testing import LIEN_MINH


@dataclass
class People:
    # username: (the person, their commune, their roles there)
    held: dict[str, tuple[Person, str, frozenset[str]]] = field(default_factory=dict)

    def add(self, username: str, *, commune: str = LIEN_MINH, roles: frozenset[str] = frozenset()) -> None:
        person = Person(f"u-{username}", username, f"{username}@example.vn", username)
        self.held[username] = (person, commune, roles)

    async def by_id(self, user_id: str) -> Person | None:
        return next((person for person, _, _ in self.held.values() if person.user_id == user_id), None)

    async def by_username(self, username: str) -> Person | None:
        found = self.held.get(username)
        return found[0] if found else None

    async def holders(self, role: str, *, tenant: str | None = None, province: str | None = None) -> list[Person]:
        del province  # nobody of a province's staff in these flows
        return [person for person, commune, roles in self.held.values() if role in roles and commune == tenant]

    async def members(self, *, tenant: str | None = None, province: str | None = None) -> frozenset[str]:
        del province
        return frozenset(person.user_id for person, commune, _ in self.held.values() if commune == tenant)
