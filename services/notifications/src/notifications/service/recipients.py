"""Who an audience is, through the directory. Role holders are looked up in the notice's own commune, or for
province staff in its own province, never elsewhere; a person named by id or username (a council member on a roster
or a session's list, which officers type in) is told only if they belong to the notice's commune (or province)."""

from __future__ import annotations

import logging

from notifications.adapters.directory import Directory, Person
from notifications.domain.notices import Audience, RoleHolders, UserId, Username

log = logging.getLogger(__name__)


async def resolve(*, audience: Audience, tenant: str | None, province: str, directory: Directory) -> list[Person]:
    match audience:
        case RoleHolders(role, "province"):
            return await directory.holders(role, province=province)
        case RoleHolders(role, _):
            return await directory.holders(role, tenant=tenant) if tenant else []
        case UserId(value):
            return await _inside(await directory.by_id(value), tenant=tenant, province=province, directory=directory)
        case Username(value):
            found = await directory.by_username(value)
            return await _inside(found, tenant=tenant, province=province, directory=directory)


async def _inside(found: Person | None, *, tenant: str | None, province: str, directory: Directory) -> list[Person]:
    """The named person if they belong where the notice belongs; never someone of another commune or province."""
    if found is None:
        return []
    members = await (directory.members(tenant=tenant) if tenant else directory.members(province=province))
    if found.user_id in members:
        return [found]
    log.warning("notice of %s not sent to %s, who does not belong to it", tenant or province, found.username)
    return []


async def everyone(
    *, audiences: tuple[Audience, ...], tenant: str | None, province: str, directory: Directory
) -> list[Person]:
    """Every person of the audiences, once each, in order."""
    people: dict[str, Person] = {}
    for audience in audiences:
        for person in await resolve(audience=audience, tenant=tenant, province=province, directory=directory):
            people.setdefault(person.user_id, person)
    return list(people.values())
