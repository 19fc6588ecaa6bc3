"""A commune's entrants: its collectives and people."""

from __future__ import annotations

from collections.abc import Callable, Collection

from submissions.domain.aggregates import Entrant
from submissions.repository.common import EntryAt, Listing, _amended, _owned_by
from thidua_platform.audit import now
from thidua_platform.envelope import Envelope
from thidua_platform.indexes import index, scoped
from thidua_platform.repository import Revision, ScopedRepository, narrowed
from thidua_platform.tenancy import Scope

ENTRANTS = "entrants"


class EntrantRepository(ScopedRepository[Entrant]):
    async def focal_units(self, scope: Scope, username: str) -> list[str]:
        """Collectives whose focal officers (cán bộ đầu mối) include this user."""
        return [doc["_id"] for doc in await self.find(scope, {"focal_users": username, "kind": "collective"})]

    async def people_of(self, scope: Scope, unit_ids: list[str]) -> list[str]:
        if not unit_ids:
            return []
        return [doc["_id"] for doc in await self.find(scope, {"unit_id": {"$in": unit_ids}})]

    async def by_natural_keys(self, scope: Scope, keys: list[str]) -> list[Entrant]:
        return await self.find(scope, {"natural_key": {"$in": keys}}, limit=len(keys) or 1)

    async def unannounced(self) -> list[tuple[Scope, str]]:
        """Across communes, each in its own scope: the entrants whose `entrant.recorded` was never written (created
        before the event existed), by id; read once per worker start from the index on `announced_at`, where a
        missing field is null."""
        cursor = self.collection.find({"announced_at": None}, {"tenant": 1, "province": 1})
        return [(Scope(tenant=d["tenant"], province=d["province"]), str(d["_id"])) async for d in cursor]

    async def announce(
        self, scope: Scope, entrant_id: str, *, event: Callable[[Entrant], Envelope], audit: EntryAt
    ) -> bool:
        """Mark the entrant announced, with the `event` it makes of the entrant as read in the same change (the
        outbox); False when it is missing or was announced meanwhile."""

        async def change(current: Entrant) -> Revision | None:
            if "announced_at" in current:
                return None
            at = now()
            return Revision(_amended({"announced_at": at}, audit(at)), [event(current)])

        return await self.revise(scope, entrant_id, change) is not None

    async def listed(
        self,
        scope: Scope,
        *,
        entrants: Collection[str] | None,
        group: str | None,
        kind: str | None,
        unit_id: str | None,
        skip: int,
        limit: int,
    ) -> Listing[Entrant]:
        """A page of the entrants in scope by name: of `entrants` only (None: all), of a target group, a kind and a
        unit, as asked."""
        query = narrowed(_owned_by(entrants, "_id"), (("target_group", group), ("kind", kind), ("unit_id", unit_id)))
        return await self.page(scope, query, skip=skip, limit=limit, sort=("name", 1))


INDEXES = [
    # uniqueness the domain relies on: one entrant per name and unit
    index(ENTRANTS, "natural_key", unique=True, label="entrant_natural_key"),
    # lists are walked in their order from the index, a page at a time (ADR 0016, amended): by name
    *scoped([ENTRANTS], "name", "_id"),
    # a submitter's own units and their people, looked up on each of their requests
    *scoped([ENTRANTS], "focal_users", "kind"),
    *scoped([ENTRANTS], "unit_id"),
    # the entrants created before `entrant.recorded` existed, announced by the worker when it starts (across communes)
    index(ENTRANTS, "announced_at"),
]
