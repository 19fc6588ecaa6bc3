"""A score's and a review assignment's lifecycle: their statuses and the moves between them. Pure rules, no I/O.

A score (one version of a dossier) follows its dossier: submitted ──return──► returned ──resubmit (a new version)…;
any ──withdraw──► withdrawn, which is final.

A review assignment (one council member, one version):
  pending ──all assessments in──► done;  pending | done ──the member recuses──► recused;
  pending ──the roster drops the member──► released;  pending ──a newer version is submitted──► superseded;
  pending ──the version is final, returned or withdrawn──► closed.
Pending, done and closed assignments count: their reviewers' assessments make the final score.
"""

from __future__ import annotations

from typing import Literal

ScoreStatus = Literal["submitted", "returned", "withdrawn"]
AssignmentStatus = Literal["pending", "done", "closed", "recused", "released", "superseded"]

SCORE_ENDS: tuple[ScoreStatus, ...] = ("withdrawn",)  # a withdrawn dossier's score moves no more

# the assignments whose reviewers' assessments count (not recused, released by a roster change, or superseded)
COUNTING: tuple[AssignmentStatus, ...] = ("pending", "done", "closed")
# the statuses in which a member still reviews the version: they may read it and recuse
REVIEWING: tuple[AssignmentStatus, ...] = ("pending", "done")
# status an assignment moves to → the statuses it may move from
ASSIGNMENT_MOVES: dict[AssignmentStatus, tuple[AssignmentStatus, ...]] = {
    "done": ("pending",),
    "recused": REVIEWING,
    "released": ("pending",),
    "superseded": ("pending",),
    "closed": ("pending",),
}


def score_stays(status: ScoreStatus) -> tuple[ScoreStatus, ...]:
    """The statuses in which a score is left as it is when its dossier moves to `status`: already there (the event
    redelivered), or ended."""
    return (status, *SCORE_ENDS)
