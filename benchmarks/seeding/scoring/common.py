"""What the scoring seeder's modules share: the database, the people behind the audit entries, and the change log's
revisions and nonces, derived so that a second run writes the same documents; with the collector of a commune's
documents and the ids of the events a dossier went through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from benchmarks.seeding.plan import LARGE, SMALL, Dossier
from thidua_contracts.terms import EntrantRef
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document

DATABASE = "thidua_scoring"


# The people behind the audit entries: the plan names no officer or reviewer ids, so these follow its
# "u-bench-submitter" convention. The officer's id also marks the rosters this module wrote (see `forget`).
OFFICER = "u-bench-officer"


COUNCIL_SIZE = 5  # a benchmark commune's council; the demo communes keep the roster they have


DEMO_COUNCILS = {LARGE: ("lm.council1", "lm.council2"), SMALL: ("td.council1", "td.council2")}


# The province's campaign template (deploy/demo.py): benchmark communes adopt it as the demo communes did
TEMPLATE = "cds-2025-2030"


COMMENTS = (
    "Có minh chứng.",
    "Minh chứng đầy đủ, kết quả rõ ràng.",
    "Cần bổ sung số liệu cụ thể.",
    "Mô hình hiệu quả, có khả năng nhân rộng.",
    None,
)


DAY = timedelta(days=1)


def _nonce(*parts: object) -> str:
    """A change's nonce (uuid4 in the change log), derived so that a second run writes the same documents."""
    return derived_id("bench-scoring-change", *parts).hex


def _revised(document: Document, audit: list[Document]) -> Document:
    """The document as the change log leaves it: one revision, one applied change and one audit entry per change."""
    nonces = [_nonce(document["_id"], revision) for revision in range(1, len(audit) + 1)]
    return {**document, "audit": audit, "revision": len(audit), "applied_changes": nonces}


@dataclass
class Seeded:
    """Every document of one commune, by collection."""

    collections: dict[str, list[Document]] = field(default_factory=dict)

    def add(self, collection: str, *documents: Document) -> None:
        self.collections.setdefault(collection, []).extend(documents)

    def of(self, collection: str) -> list[Document]:
        return self.collections.get(collection, [])


def _entrant(dossier: Dossier) -> EntrantRef:
    e = dossier.entrant
    return EntrantRef(id=e.id, name=e.name, kind=e.kind, target_group=e.target_group, unit_id=e.unit_id)


def _event_id(dossier: Dossier, version: int, what: str) -> str:
    """The id of an event of the pipeline this dossier went through (submissions' events are the plan's own)."""
    return str(derived_id("bench-event", dossier.id, version, what))


def _person(username: str) -> str:
    return f"u-bench-{username}"
