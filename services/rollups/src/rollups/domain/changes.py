"""Facts as the changes events made to them, folded on read.

Every event becomes changes: set these fields of this fact, either unconditionally or guarded by a version (a newer
version of the same guard wins whatever the order events arrive in). A change is stored as a record whose `_id` is
derived from what it says, so writing is an insert that a duplicated or replayed event repeats harmlessly (a
duplicate key). Reading folds a fact's records: per guard the highest version's fields, then the unguarded ones.

Why not update the fact in place: the embedded FerretDB costs 10–75 ms per update in a collection of a commune's
size, and an update command of 100 statements did not answer, while inserts cost well under a millisecond each
(measured; docs/adr/0010-rollups.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# the record's own fields; a change's fields never use these names
FACT, GUARD, VERSION = "fact", "guarded_by", "version"
RESERVED = frozenset({"_id", FACT, GUARD, VERSION})


@dataclass(frozen=True)
class Change:
    """Set `fields` on the fact `fact_id` of `collection`; with `version_field`, only while no newer `version` of
    that guard exists (the fact then carries the version in that field too)."""

    collection: str
    fact_id: str
    fields: dict[str, Any]
    version_field: str | None = None
    version: float = 0

    def record(self) -> dict[str, Any]:
        """The document that stores this change; the same change always gives the same `_id`."""
        clash = RESERVED & self.fields.keys()
        if clash:
            raise ValueError(f"fields {sorted(clash)} are reserved for the record")
        if self.version_field is None:
            said = json.dumps(self.fields, sort_keys=True, default=str).encode()
            key = f"{self.fact_id}|set|{hashlib.sha256(said).hexdigest()[:20]}"
        else:
            key = f"{self.fact_id}|{self.version_field}|{self.version!r}"
        return {"_id": key, FACT: self.fact_id, GUARD: self.version_field, VERSION: self.version, **self.fields}


def fold(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The facts the records make, in `_id` order: per guard, the fields of its highest version (guards applied in
    name order), then the unguarded changes (in record order; in practice they set disjoint or equal values). The
    records' fields are free-form (what each change set); the repository reads the facts as `aggregates.Fact`."""
    latest: dict[str, dict[str, Mapping[str, Any]]] = {}
    unguarded: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        fact_id, guard = record[FACT], record.get(GUARD)
        if guard is None:
            unguarded.setdefault(fact_id, []).append(record)
            continue
        mine = latest.setdefault(fact_id, {})
        if guard not in mine or record[VERSION] > mine[guard][VERSION]:
            mine[guard] = record
    facts = []
    for fact_id in sorted(latest.keys() | unguarded.keys()):
        fact: dict[str, Any] = {"_id": fact_id}
        for guard, record in sorted(latest.get(fact_id, {}).items()):
            fact.update(_fields(record))
            fact[guard] = record[VERSION]
        for record in sorted(unguarded.get(fact_id, []), key=lambda r: str(r["_id"])):
            fact.update(_fields(record))
        facts.append(fact)
    return facts


def _fields(record: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name not in RESERVED}
