"""What the submissions repositories share: the shape of an audited update, the condition that keeps a submitter to
their own entrants, and the repository of the aggregates each of which belongs to one entrant. `_amended` and
`_owned_by` are for the modules of this package only."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any, TypeVar

from thidua_platform.mongo import Document
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

Owned = TypeVar("Owned", bound=Mapping[str, Any])  # an aggregate of one entrant
Listed = TypeVar("Listed", bound=Mapping[str, Any])
Listing = tuple[list[Listed], int]  # a page of aggregates, and how many match in all
EntryAt = Callable[[datetime], Document]  # a change's audit entry, given when the change is made (each attempt)


def _amended(fields: Document, entry: Document) -> Document:
    """The update that sets `fields` and appends `entry` to the aggregate's audit trail: every change of an aggregate
    carries its one entry in the same update (ADR 0011)."""
    return {"$set": fields, "$push": {"audit": entry}}


def _owned_by(entrants: Collection[str] | None, field: str = "entrant.id") -> dict[str, Any]:
    """The condition that keeps a submitter to their own units and their people (`entrants`; None: every entrant in
    scope), on the field that holds the entrant's id."""
    return {} if entrants is None else {field: {"$in": sorted(entrants)}}


class EntrantOwnedRepository(ScopedRepository[Owned]):
    """Documents of one entrant each (`entrant.id`): dossiers, registrations, attachments."""

    async def visible(self, scope: Scope, document_id: str, *, entrants: Collection[str] | None) -> Owned | None:
        """The document if it lies within the scope and belongs to one of `entrants` (None: any)."""
        return await self.get(scope, document_id, **_owned_by(entrants))
