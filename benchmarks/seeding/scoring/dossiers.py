"""Seeds everything scoring keeps for one dossier in review or final: a returned first version where the plan
scores version 2, then the version scored, assigned, assessed (in part while in review) and finalised."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from benchmarks.seeding.plan import Dossier
from benchmarks.seeding.scoring.common import COMMENTS, Seeded, _entrant, _event_id, _person
from benchmarks.seeding.scoring.council import Council
from benchmarks.seeding.scoring.evidence import _evidence, _fitted, _split, _spread
from benchmarks.seeding.scoring.scores import (
    _assessment,
    _assignment,
    _closed,
    _done,
    _final,
    _returned,
    _score,
    _slots,
)
from scoring.repository import ASSESSMENTS, ASSIGNMENT_SLOTS, ASSIGNMENTS, FINALS, SCORES
from submissions.domain.defaults import default_criteria_set
from thidua_platform.mongo import Document


def _returned_version(
    seeded: Seeded, council: Council, dossier: Dossier, rng: random.Random, submitted: datetime
) -> list[Document]:
    """Version 1 of a dossier scored at version 2: scored with evidence missing, assigned, returned before any
    review (its assignments closed). Returns its assignments, the first of the dossier's slots."""
    content = default_criteria_set(dossier.entrant.target_group)
    returned_at = submitted - (submitted - dossier.created_at) / 3
    at = dossier.created_at + (returned_at - dossier.created_at) / 2
    shares = [rng.uniform(0.2, 0.9) if rng.random() < 0.6 else 0.0 for _ in content.criteria]
    score = _score(dossier, 1, _evidence(content, shares, dossier.year), at)
    seeded.add(SCORES, _returned(score, dossier, returned_at))
    assigned = [_assignment(score, r, at) for r in council.reviewers(_entrant(dossier), content.policy.reviewers)]
    cause = _event_id(dossier, 1, "returned")
    return [_closed(a, cause, returned_at) for a in assigned]


def _part_way(rng: random.Random, criteria: int) -> int:
    """How many criteria a reviewer still at work has assessed: fewer than all."""
    return rng.randrange(criteria) if criteria else 0


def _scored_dossier(seeded: Seeded, council: Council, dossier: Dossier) -> None:
    """Every document scoring keeps for one in_review or final dossier."""
    rng = random.Random(f"scoring:{dossier.id}")  # noqa: S311 (made-up evidence, not security)
    content = default_criteria_set(dossier.entrant.target_group)
    submitted = dossier.submitted_at or dossier.created_at
    earlier = _returned_version(seeded, council, dossier, rng, submitted) if dossier.version > 1 else []
    total = dossier.total if dossier.total is not None else round(rng.uniform(40, 100), 1)
    evidence = _fitted(content, rng, total, dossier.year)
    score = _score(dossier, dossier.version, evidence, submitted)
    seeded.add(SCORES, score)
    reviewers = council.reviewers(_entrant(dossier), content.policy.reviewers)
    assessed = [c for c in evidence if c.rule == "assessment"]
    wanted = _split(round(total - score["total"], 2), assessed)
    given = {c.code: _spread(wanted[c.code], c.max_points, len(reviewers), rng) for c in assessed}
    # a dossier in review has some of its assessments: the first reviewers done, the next part way, the last none
    finished = len(reviewers) if dossier.stage == "final" else rng.randrange(len(reviewers))
    assignments: list[Document] = []
    reviews: dict[str, list[float]] = {}
    at = submitted
    for index, reviewer in enumerate(reviewers):
        assignment = _assignment(score, reviewer, submitted)
        count = len(assessed) if index < finished else _part_way(rng, len(assessed)) if index == finished else 0
        for criterion in assessed[:count]:
            at += timedelta(hours=rng.uniform(2, 48))
            points = given[criterion.code][index]
            seeded.add(ASSESSMENTS, _assessment(score, reviewer, criterion.code, points, rng.choice(COMMENTS), at))
            reviews.setdefault(criterion.code, []).append(points)
        assignments.append(_done(assignment, at) if index < finished else assignment)
    seeded.add(ASSIGNMENTS, *earlier, *assignments)
    seeded.add(ASSIGNMENT_SLOTS, *_slots(dossier, [*earlier, *assignments]))
    if dossier.stage == "final" and reviewers:
        seeded.add(FINALS, _final(score, dossier, reviews, _person(reviewers[-1]), at))
