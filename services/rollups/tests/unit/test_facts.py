"""Which events the read models can read: a payload its applier cannot read counts nowhere (live: dead-lettered)."""

from __future__ import annotations

from rollups.service.facts import unreadable
from thidua_contracts.testing import envelope_of, score_computed, submission_submitted
from thidua_platform.envelope import Envelope


def test_an_event_whose_payload_breaks_its_applier_is_unreadable() -> None:
    good = envelope_of(submission_submitted("s-1"))
    broken = Envelope.model_validate(good.model_dump(mode="json") | {"data": {"submission_id": "s-1"}})
    assert unreadable(broken)
    assert not unreadable(good)
    assert not unreadable(envelope_of(score_computed("s-1")))  # a type the rollups do not follow: simply not applied
