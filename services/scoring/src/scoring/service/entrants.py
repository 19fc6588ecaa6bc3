"""The entrants of each commune as scoring knows them: every one submissions announced (`entrant.recorded`), so that
a council roster may name a member's unit before it has submitted anything, and names only the commune's own."""

from __future__ import annotations

from scoring.repository import Repositories
from thidua_contracts.submissions import EntrantRecorded
from thidua_platform.envelope import Envelope


async def on_recorded(*, repos: Repositories, envelope: Envelope) -> None:
    """Keep the announced entrant within its commune (upserted by id: a redelivery changes nothing)."""
    recorded = envelope.payload(EntrantRecorded)
    if envelope.tenant is None:
        raise ValueError(f"event {envelope.id} announces an entrant of no commune")
    await repos.entrants.keep(
        {
            "_id": recorded.entrant_id,
            "tenant": envelope.tenant,
            "province": envelope.province,
            "kind": recorded.kind,
            "target_group": recorded.target_group,
            "unit_id": recorded.unit_id,
            "recorded_at": envelope.time,
        }
    )
