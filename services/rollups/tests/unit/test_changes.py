"""Facts folded from their changes: the latest version per guard wins whatever the order; duplicates count once."""

from __future__ import annotations

import itertools

import pytest

from rollups.domain.changes import Change, fold

SUBMITTED = Change("f", "s-1", {"status": "submitted", "name": "Thôn A"}, "status_rank", 10)
RETURNED = Change("f", "s-1", {"status": "returned"}, "status_rank", 11)
RESUBMITTED = Change("f", "s-1", {"status": "resubmitted"}, "status_rank", 20)
SCORED = Change("f", "s-1", {"scored": 1, "total": 88.0}, "score_version", 1)
RESCORED = Change("f", "s-1", {"scored": 1, "total": 91.0}, "score_version", 2)
CANDIDATE = Change("f", "s-1", {"candidate": 1})
OTHER = Change("f", "s-2", {"status": "submitted"}, "status_rank", 10)


@pytest.mark.parametrize(
    "order", list(itertools.permutations([SUBMITTED, RETURNED, RESUBMITTED, SCORED, RESCORED, CANDIDATE]))[::37]
)
def test_every_order_folds_to_the_latest_of_each_guard(order: tuple[Change, ...]) -> None:
    facts = fold(change.record() for change in order)
    assert facts == [
        {
            "_id": "s-1",
            "status": "resubmitted",
            "status_rank": 20,
            "scored": 1,
            "total": 91.0,
            "score_version": 2,
            "candidate": 1,
        }
    ]


def test_a_fact_takes_only_the_winning_versions_fields() -> None:
    """The first version named the entrant; the winning one is silent on it, so the name is not kept (every real
    status change carries the entrant in full)."""
    [fact] = fold(change.record() for change in (SUBMITTED, RESUBMITTED))
    assert fact == {"_id": "s-1", "status": "resubmitted", "status_rank": 20}


def test_the_same_change_is_the_same_record_and_facts_are_ordered() -> None:
    assert (
        SUBMITTED.record() == Change("f", "s-1", {"name": "Thôn A", "status": "submitted"}, "status_rank", 10).record()
    )
    assert CANDIDATE.record()["_id"] == Change("f", "s-1", {"candidate": 1}).record()["_id"]
    assert CANDIDATE.record()["_id"] != Change("f", "s-1", {"candidate": 0}).record()["_id"]
    records = [OTHER.record(), SUBMITTED.record(), SUBMITTED.record()]
    assert [fact["_id"] for fact in fold(records)] == ["s-1", "s-2"]


def test_a_change_cannot_use_the_records_own_fields() -> None:
    with pytest.raises(ValueError, match="reserved"):
        Change("f", "s-1", {"fact": "x"}).record()
