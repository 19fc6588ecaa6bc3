"""The queries every aggregate needs, always within a Scope; writes go through the ChangeLog (see outbox.py).

A repository is typed by its aggregate: `ScopedRepository[Submission]` reads and writes `Submission`, a TypedDict
declared in the service's `domain/aggregates` whose keys are the stored document's fields (docs/adr/0018). The
stored shape is the type: nothing is copied on the way in or out, and mypy checks every key a use case reads."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, cast

from pymongo.asynchronous.collection import AsyncCollection
from typing_extensions import TypeVar

from thidua_platform.envelope import Envelope
from thidua_platform.mongo import Document
from thidua_platform.outbox import ChangeLog
from thidua_platform.problems import Conflict
from thidua_platform.tenancy import Scope

REVISE_ATTEMPTS = 5


@dataclass(frozen=True)
class Revision:
    """An update to apply to the document as it was read, and the events it causes."""

    update: dict[str, Any]
    events: Sequence[Envelope] = ()


Aggregate = TypeVar("Aggregate", bound=Mapping[str, Any], default=Document)
Reviser = Callable[[Aggregate], Awaitable[Revision | None]]


class ScopedRepository(Generic[Aggregate]):
    """Reads within a Scope; `add` and `update` are atomic per aggregate and keep the events they cause."""

    hidden: dict[str, int] = {"applied_changes": 0}  # noqa: RUF012 (read-only)

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection
        self.changes = ChangeLog(collection.database)

    async def add(self, document: Aggregate, events: Sequence[Envelope] = ()) -> bool:
        """Insert at revision 1; False if the id or another unique key exists."""
        return await self.changes.insert(self.collection.name, cast(Document, document), events)

    async def update(
        self, scope: Scope, document_id: str, *, revision: int, update: dict[str, Any], events: Sequence[Envelope] = ()
    ) -> bool:
        """Apply `update` only if nobody changed the document since `revision` was read."""
        return await self.changes.update(
            self.collection.name, document_id, revision=revision, update=update, guard=scope.filter(), events=events
        )

    async def revise(
        self, scope: Scope, document_id: str, change: Reviser[Aggregate], *, attempts: int = REVISE_ATTEMPTS
    ) -> Aggregate | None:
        """Read, let `change` build the revision from what was read (None: nothing to do), apply it; when someone
        else changed the document meanwhile, read again and rebuild (with a short jittered backoff). Returns the
        revised document, or None when it is missing or `change` declined; 409 if contention does not clear within
        `attempts` (raise it for aggregates many people write at once, such as a council session's ballots)."""
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(random.uniform(0.005, 0.03) * attempt)  # noqa: S311 (not security)
            current = await self.get(scope, document_id)
            if current is None:
                return None
            revision = await change(current)
            if revision is None:
                return None
            if await self.update(
                scope, document_id, revision=current["revision"], update=revision.update, events=revision.events
            ):
                return await self.get(scope, document_id)
        raise Conflict("Dữ liệu đang được nhiều người sửa, hãy thử lại / The record is busy, try again")

    async def put(self, scope: Scope, document: Aggregate, update: dict[str, Any]) -> Aggregate:
        """Create the document, or when it exists apply `update` to it (read-change-retry like `revise`): for
        settings a user replaces as a whole (the last write wins, each one audited by its update)."""

        async def change(_current: Aggregate) -> Revision:
            return Revision(update)

        if await self.add(document):
            return document
        revised = await self.revise(scope, document["_id"], change)
        if revised is None:
            raise Conflict("Dữ liệu vừa bị xóa, hãy thử lại / The record disappeared meanwhile, try again")
        return revised

    async def get(self, scope: Scope, document_id: str, **match: Any) -> Aggregate | None:
        """The document if it lies within the scope and has the `match` values. Read by `_id` alone, the one lookup
        FerretDB answers from an index (any other filter scans the collection, docs/adr/0012), then the scope and
        `match` are checked on the document: the same answer as filtering by them."""
        found = await self.collection.find_one({"_id": document_id}, self.hidden)
        if found is None or not scope.admits(found):
            return None
        verdicts = [matches(found, field, condition) for field, condition in match.items()]
        if None in verdicts:  # a condition this module does not evaluate: let the server filter
            found = await self.collection.find_one(scope.apply({"_id": document_id, **match}), self.hidden)
            return cast(Aggregate | None, found)
        return cast(Aggregate, found) if all(verdicts) else None

    async def find(
        self,
        scope: Scope,
        query: dict[str, Any],
        *,
        limit: int = 1000,
        sort: tuple[str, int] = ("_id", 1),
        audited: bool = True,
    ) -> list[Aggregate]:
        """The documents in scope matching `query`; without their audit trail when `audited` is false (a list
        that shows no history need not carry one that grows with every change)."""
        hidden = self.hidden if audited else {**self.hidden, "audit": 0}
        cursor = self.collection.find(scope.apply(query), hidden).sort(*sort).limit(limit)
        return [cast(Aggregate, document) async for document in cursor]

    async def page(
        self, scope: Scope, query: dict[str, Any], *, skip: int, limit: int, sort: tuple[str, int] = ("created_at", -1)
    ) -> tuple[list[Aggregate], int]:
        """A page of the documents in scope matching `query`, without their audit trail, and how many match in all.
        Ordered by `sort`, then by `_id` in the same direction: documents equal in the sort key (the same total, the
        same moment) keep one order from request to request, so that pages neither repeat nor skip one."""
        scoped = scope.apply(query)
        order = [sort] if sort[0] == "_id" else [sort, ("_id", sort[1])]
        cursor = self.collection.find(scoped, {**self.hidden, "audit": 0}).sort(order).skip(skip).limit(limit)
        return [cast(Aggregate, document) async for document in cursor], await self.collection.count_documents(scoped)


def matches(document: Mapping[str, Any], field: str, condition: Any) -> bool | None:
    """Whether the document satisfies `{field: condition}` as MongoDB would, for a dotted field equal to a plain
    value (or holding it, if the field is a list) or `{"$in": [...]}`; None for anything else."""
    value: Any = document
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    candidates = value if isinstance(value, list) else [value]
    if isinstance(condition, dict):
        if set(condition) != {"$in"} or any(isinstance(c, dict | list) for c in condition["$in"]):
            return None
        return any(c in condition["$in"] for c in candidates)
    if isinstance(condition, list):
        return None
    return condition in candidates


def narrowed(restriction: dict[str, Any], filters: Iterable[tuple[str, object]]) -> dict[str, Any]:
    """The caller's optional filters on top of an access restriction: a filter can narrow it, never replace it
    (both may name the same field)."""
    asked = {field: value for field, value in filters if value is not None}
    parts = [part for part in (restriction, asked) if part]
    if len(parts) == 2:
        return {"$and": parts}
    return parts[0] if parts else {}
