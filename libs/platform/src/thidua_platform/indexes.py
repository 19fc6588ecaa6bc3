"""The indexes a service's queries need, declared beside its repositories and created when its API starts.

Every query of a repository is served by an index whose leading keys its filter fixes by equality, tenant (or
province) first, so that its cost is that of the commune's (or the province's) slice, never the whole collection's:
on MongoDB in production, and on the local stack's thidua-docstore (docs/adr/0016), which serves the same indexes.
`tests/query_shapes/test_query_shapes.py` shows that no query the suites make reads a whole collection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from thidua_platform.mongo import Document

Keys = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Index:
    collection: str
    keys: Keys
    unique: bool = False
    label: str = ""  # the name an index already had when it was first created

    @property
    def name(self) -> str:
        return self.label or "_".join(f"{field}_{order}" for field, order in self.keys)


def index(collection: str, *fields: str, unique: bool = False, label: str = "") -> Index:
    """An index on `fields` in that order; a field written `-name` is descending (a newest-first listing)."""
    keys = tuple((f[1:], DESCENDING) if f.startswith("-") else (f, ASCENDING) for f in fields)
    return Index(collection, keys, unique, label)


def scoped(collections: Iterable[str], *then: str) -> list[Index]:
    """For documents that carry `tenant` and `province` (every aggregate, see tenancy.py): what a commune's and a
    province's reads are served by, each followed by `then` (the field most queries add, such as `period`)."""
    return [index(c, scope, *then) for c in collections for scope in ("tenant", "province")]


async def declare(database: AsyncDatabase[Document], indexes: Sequence[Index]) -> None:
    """Create each index that does not exist yet (creating one that exists changes nothing)."""
    for spec in indexes:
        await database[spec.collection].create_index(list(spec.keys), unique=spec.unique, name=spec.name)
