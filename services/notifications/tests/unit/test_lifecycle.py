"""The moves of a delivery (notifications.domain.lifecycle)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notifications.domain.lifecycle import STATUS_AFTER, after_lapse, claim_lapsed, is_due, outcome_of

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def test_a_pending_delivery_is_due_at_its_time_and_a_sending_one_when_its_lease_ran_out() -> None:
    assert is_due("pending", NOW, NOW)
    assert not is_due("pending", NOW + timedelta(seconds=1), NOW)
    assert not is_due("sent", NOW - timedelta(hours=1), NOW)
    assert claim_lapsed("sending", NOW - timedelta(seconds=1), NOW)
    assert not claim_lapsed("sending", NOW + timedelta(minutes=1), NOW)
    assert not claim_lapsed("pending", NOW - timedelta(minutes=1), NOW)


def test_a_lapsed_send_is_never_repeated_once_handed_over_and_ends_when_its_attempts_are_spent() -> None:
    assert after_lapse(handed_over=True, attempts=1, max_attempts=5) == "uncertain"
    assert after_lapse(handed_over=False, attempts=5, max_attempts=5) == "dead"
    assert after_lapse(handed_over=False, attempts=2, max_attempts=5) is None


@pytest.mark.parametrize(
    ("failed", "uncertain", "permanent", "attempts", "expected"),
    [
        (False, False, False, 1, "sent"),
        (True, True, False, 1, "uncertain"),
        (True, False, True, 1, "dead"),
        (True, False, False, 5, "dead"),
        (True, False, False, 4, "retry"),
    ],
)
def test_an_attempt_is_sent_retried_or_ended(
    failed: bool, uncertain: bool, permanent: bool, attempts: int, expected: str
) -> None:
    outcome = outcome_of(failed=failed, uncertain=uncertain, permanent=permanent, attempts=attempts, max_attempts=5)
    assert outcome == expected
    assert STATUS_AFTER[outcome] == {"retry": "pending"}.get(outcome, outcome)
