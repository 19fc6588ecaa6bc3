"""Who an audience is, through the directory. Role holders are looked up in the notice's own commune, or for
province staff in its own province, never elsewhere."""

from __future__ import annotations

from notifications.directory import Directory, Person
from notifications.domain.notices import Audience, RoleHolders, UserId, Username


async def resolve(audience: Audience, *, tenant: str | None, province: str, directory: Directory) -> list[Person]:
    match audience:
        case UserId(value):
            found = await directory.by_id(value)
            return [found] if found else []
        case Username(value):
            found = await directory.by_username(value)
            return [found] if found else []
        case RoleHolders(role, "province"):
            return await directory.holders(role, province=province)
        case RoleHolders(role, _):
            return await directory.holders(role, tenant=tenant) if tenant else []


async def everyone(
    audiences: tuple[Audience, ...], *, tenant: str | None, province: str, directory: Directory
) -> list[Person]:
    """Every person of the audiences, once each, in order."""
    people: dict[str, Person] = {}
    for audience in audiences:
        for person in await resolve(audience, tenant=tenant, province=province, directory=directory):
            people.setdefault(person.user_id, person)
    return list(people.values())
