"""The entrants of each commune, as submissions announced them (`entrant.recorded`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from scoring.domain.aggregates import KnownEntrant
from thidua_platform.mongo import Document
from thidua_platform.repository import ScopedRepository

ENTRANTS = "entrants"  # every entrant of each commune, as submissions announced it (`entrant.recorded`)


class KnownEntrantRepository(ScopedRepository[KnownEntrant]):
    """The entrants submissions announced, each within its commune under its own id."""

    async def keep(self, entrant: KnownEntrant) -> None:
        """Store an announced entrant within its commune, replacing the copy a redelivery stored. An id kept for
        another commune is not replaced: the database refuses the second `_id`, and the event is dead-lettered."""
        await self.collection.replace_one(
            {"_id": entrant["_id"], "tenant": entrant["tenant"], "province": entrant["province"]},
            cast(Document, entrant),
            upsert=True,
        )

    async def communes_of(self, entrant_ids: Collection[str]) -> dict[str, str]:
        """The commune (tenant) of each of `entrant_ids` that was announced; the others are left out. Read across
        communes on purpose, by `_id`: to tell a commune's own entrants from another commune's and from none."""
        wanted = sorted(set(entrant_ids))
        if not wanted:
            return {}
        cursor = self.collection.find({"_id": {"$in": wanted}}, {"tenant": 1})
        return {str(document["_id"]): str(document["tenant"]) async for document in cursor}
