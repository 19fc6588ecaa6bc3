"""The moves of a score and of a review assignment (scoring.domain.lifecycle)."""

from __future__ import annotations

from typing import get_args

from scoring.domain.lifecycle import (
    ASSIGNMENT_MOVES,
    COUNTING,
    REVIEWING,
    AssignmentStatus,
    score_stays,
)


def test_only_an_open_review_moves_and_a_member_may_recuse_after_finishing() -> None:
    assert ASSIGNMENT_MOVES["done"] == ("pending",)
    assert set(ASSIGNMENT_MOVES["recused"]) == {"pending", "done"}
    for ended_by_others in ("released", "superseded", "closed"):
        assert ASSIGNMENT_MOVES[ended_by_others] == ("pending",), ended_by_others
    assert "pending" not in ASSIGNMENT_MOVES  # nothing moves back to pending


def test_recused_released_and_superseded_reviews_do_not_count() -> None:
    assert set(COUNTING) == set(get_args(AssignmentStatus)) - {"recused", "released", "superseded"}
    assert set(REVIEWING) <= set(COUNTING)


def test_a_withdrawn_score_stays_withdrawn_and_a_redelivered_move_changes_nothing() -> None:
    assert score_stays("returned") == ("returned", "withdrawn")
    assert "submitted" not in score_stays("returned")  # a returned move applies to a submitted score
