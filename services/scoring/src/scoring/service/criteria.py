"""The criteria sets submissions publishes, kept within their commune (or province) as their events carry them."""

from __future__ import annotations

from scoring.repository import Repositories
from thidua_contracts.submissions import CriteriaSetPublished
from thidua_platform.envelope import Envelope
from thidua_platform.tenancy import event_scope


async def on_published(*, repos: Repositories, envelope: Envelope) -> None:
    """Keep the published set under its own id (replaced as a whole: a redelivery changes nothing)."""
    published = envelope.payload(CriteriaSetPublished)
    await repos.criteria_sets.keep(
        event_scope(envelope), published.criteria_set_id, published=published.model_dump(mode="json")
    )
