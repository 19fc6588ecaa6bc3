"""What the services' databases keep that today's text rule would refuse or change (issue #20): text older code
stored with a control character (a NUL, an escape sequence) or decomposed (not NFC). The services read such text as it
is (thidua_platform.text, stored mode), so nothing needs it changed; this tells an operator where it is, per database,
collection and field, to correct it at its source (the entrant, the criteria set, the letterhead) if they wish. Reads
only; every document of every collection, so run it at a quiet hour on a large province.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pymongo import MongoClient

from thidua_platform.text import has_control

SERVICES = ("submissions", "scoring", "awards", "notifications", "rollups")
# Not "thidua-…": an operator's audit reads whole collections on purpose, which the services' queries never may
# (tests/query_shapes counts the queries of clients named so).
APPNAME = "ops-stored-text"
CONTROL = "control"
DECOMPOSED = "not NFC"


@dataclass(frozen=True)
class Finding:
    database: str
    collection: str
    field: str  # dotted; a list's items are `[]`
    kind: str  # CONTROL or DECOMPOSED
    documents: int
    example: str  # the `_id` of the first such document


def flaws(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(field, kind) of every string inside `value` that holds a control character other than tab, line feed and
    carriage return, or is not NFC."""
    if isinstance(value, str):
        if has_control(value, multi_line=True):
            yield path, CONTROL
        if not unicodedata.is_normalized("NFC", value):
            yield path, DECOMPOSED
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from flaws(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from flaws(item, f"{path}[]")


def scan_collection(database: str, collection: str, documents: Iterable[Mapping[str, Any]]) -> list[Finding]:
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for document in documents:
        for key in set(flaws(document)):
            counts[key] += 1
            examples.setdefault(key, str(document.get("_id")))
    return [
        Finding(database, collection, field, kind, counts[(field, kind)], examples[(field, kind)])
        for field, kind in sorted(counts)
    ]


def scan(url: str, databases: Iterable[str]) -> Iterator[Finding]:
    client: MongoClient[dict[str, Any]] = MongoClient(url, appname=APPNAME, serverSelectionTimeoutMS=5000)
    try:
        for name in databases:
            database = client[name]
            for collection in sorted(database.list_collection_names()):
                yield from scan_collection(name, collection, database[collection].find({}))
    finally:
        client.close()
