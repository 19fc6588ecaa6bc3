"""Seeds a commune's council: the roster as it stands (the demo's own) or the planned one, written as
`council.set_roster` stores it, and the reviewers it gives each dossier, the least loaded first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import PROVINCE, CommunePlan
from benchmarks.seeding.scoring.common import COUNCIL_SIZE, DEMO_COUNCILS, OFFICER
from scoring.domain.council import CouncilMember, choose_reviewers
from scoring.domain.standing_council import StandingMember
from scoring.repository import COUNCILS
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry
from thidua_platform.mongo import Document


@dataclass
class Council:
    members: list[CouncilMember]
    load: Counter[str] = field(default_factory=Counter)  # assignments so far: reviews go to the least loaded

    def reviewers(self, entrant: EntrantRef, count: int) -> list[str]:
        chosen = choose_reviewers(self.members, entrant, self.load, count)
        self.load.update(chosen)
        return chosen


def _roster(tenant: str, members: Sequence[CouncilMember], at: datetime) -> Document:
    """What `council.set_roster` stores (no event: `applied_changes` stays empty)."""
    listed = [m.model_dump() for m in members]
    return {
        "_id": tenant,
        "tenant": tenant,
        "province": PROVINCE,
        "members": listed,
        "updated_at": at,
        "audit": [entry(OFFICER, "roster_set", at, members=listed)],
        "revision": 1,
        "applied_changes": [],
    }


def _planned_members(commune: CommunePlan) -> list[CouncilMember]:
    """A benchmark commune's council: its first members sit for a unit of theirs, which they may not review."""
    tenant = commune.commune.tenant
    if tenant in DEMO_COUNCILS:
        return [CouncilMember(username=name) for name in DEMO_COUNCILS[tenant]]
    units = [e.id for e in commune.entrants if e.kind == "collective"]
    return [
        CouncilMember(username=f"{tenant}.council{n}", unit_entrant_ids=tuple(units[n - 1 : n]) if n <= 2 else ())
        for n in range(1, COUNCIL_SIZE + 1)
    ]


async def _council(database: AsyncDatabase[Document], commune: CommunePlan) -> tuple[list[CouncilMember], bool]:
    """The commune's roster as it stands (the demo's own), else the planned one; True when it is to be written."""
    current = await database[COUNCILS].find_one({"_id": commune.commune.tenant})
    if current is not None:
        # as scoring keeps it: the standing council's members (their name, office and place as well)
        return [StandingMember.model_validate(m) for m in current.get("members", [])], False
    return _planned_members(commune), True
