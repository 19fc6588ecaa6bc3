"""Builds the events the pipeline published about one dossier of the plan: submitted (returned and resubmitted on
the way to a version 2, or withdrawn), its final score with per-theme criteria, and its candidacy for the
commune's award."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from awards.domain.catalogue import round_of
from awards.domain.rules import DEFAULT_RULES, AwardRule, Scored, evaluate, rule_for
from awards.service.common import candidate_id
from benchmarks.seeding.plan import Dossier
from benchmarks.seeding.rollups.common import COMMUNE_AWARD, MAX_TOTAL, OFFICER, RETURN_REASON, _ref
from submissions.domain.defaults import default_criteria_set
from thidua_contracts.awards import AwardCandidateProposed
from thidua_contracts.scoring import CriterionScore, ScoreFinalised
from thidua_contracts.submissions import (
    ReturnReason,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_platform.envelope import EventData
from thidua_platform.mongo import Document


@dataclass(frozen=True)
class _Theme:
    """The criteria of one theme in a group's default criteria set, as a final score reports them."""

    theme: int
    scored_max: tuple[float, ...]  # maxima of the criteria a total is made of
    bonus_max: float  # bonus and penalty criteria: outside the 100, none of them occurred
    ratio_targets: tuple[float, ...]  # the indicators' targets (what the commune index observes)


@cache
def _themes(group: str) -> tuple[_Theme, ...]:
    criteria = default_criteria_set(group).criteria
    themes = []
    for theme in sorted({c.theme for c in criteria}):
        mine = [c for c in criteria if c.theme == theme]
        themes.append(
            _Theme(
                theme=theme,
                scored_max=tuple(c.max_points for c in mine if c.rule.kind != "bonus_penalty"),
                bonus_max=sum(c.max_points for c in mine if c.rule.kind == "bonus_penalty"),
                ratio_targets=tuple(c.indicator.target for c in mine if c.rule.kind == "ratio" and c.indicator),
            )
        )
    return tuple(themes)


def _criteria(dossier: Dossier) -> tuple[CriterionScore, ...]:
    """The final score's criteria, one per theme: the worker keeps per-theme sums only, so summing a theme's
    criteria here (each reaching the dossier's share of its maximum) stores the same record as listing them."""
    share = float(dossier.total or 0) / MAX_TOTAL
    scores = []
    for theme in _themes(dossier.entrant.target_group):
        points = sum(round(maximum * share, 2) for maximum in theme.scored_max)
        maximum = sum(theme.scored_max) + theme.bonus_max
        scores.append(
            CriterionScore(
                code=f"theme-{theme.theme}",
                theme=theme.theme,
                rule="sum",
                inputs={},
                max_points=maximum,
                points=points,
                explanation="",
            )
        )
    return tuple(scores)


def _index_observed(dossier: Dossier) -> Document:
    """The ratio criteria of a final score as the index reads them (`scoring.service.index.observations`)."""
    share = float(dossier.total or 0) / MAX_TOTAL
    return {
        "criteria": [
            {"rule": "ratio", "theme": theme.theme, "inputs": {"value": round(target * share, 2), "target": target}}
            for theme in _themes(dossier.entrant.target_group)
            for target in theme.ratio_targets
        ]
    }


@cache
def _candidacy_rule(period: str) -> AwardRule | None:
    """The commune award's rule for one score alone, as the awards intake applies it (no quota)."""
    rule = rule_for(DEFAULT_RULES, COMMUNE_AWARD, round_of(period))
    return None if rule is None else rule.model_copy(update={"quota_percent": None})


def _commune_candidate(dossier: Dossier) -> bool:
    """Whether the final score makes the entrant a candidate for the commune's award (the awards intake's rule)."""
    rule = _candidacy_rule(dossier.period)
    if rule is None or dossier.grade is None:
        return False
    single = Scored(entrant=_ref(dossier.entrant), total=float(dossier.total or 0), grade=dossier.grade)
    return evaluate(rule, [single], flags={}, history={})[dossier.entrant.id].eligible


def _dossier_events(dossier: Dossier) -> Iterator[tuple[EventData, datetime]]:
    """What the pipeline published about one dossier, with when; a draft published nothing."""
    if dossier.submitted_at is None:
        return
    at, entrant, by = dossier.submitted_at, _ref(dossier.entrant), dossier.submitted_by
    common: dict[str, Any] = {"submission_id": dossier.id, "period": dossier.period, "entrant": entrant}
    yield SubmissionSubmitted(**common, version=1, submitted_by=by, criteria=()), at
    if dossier.stage == "returned" or dossier.version > 1:
        reasons = (ReturnReason(reason=RETURN_REASON),)
        yield SubmissionReturned(**common, version=1, submitted_by=by, returned_by=OFFICER, reasons=reasons), at
    if dossier.version > 1:
        yield SubmissionResubmitted(**common, version=dossier.version, submitted_by=by, criteria=()), at
    if dossier.stage == "withdrawn":
        yield SubmissionWithdrawn(**common, version=dossier.version, withdrawn_by=by, submitted_by=by), at
    if dossier.stage != "final" or dossier.total is None or dossier.grade is None:
        return
    finalised = at + timedelta(days=30)
    yield (
        ScoreFinalised(
            **common,
            submission_version=dossier.version,
            submitted_by=by,
            total=dossier.total,
            max_total=MAX_TOTAL,
            grade=dossier.grade,
            criteria=_criteria(dossier),
            reason="all_reviews_in",
        ),
        finalised,
    )
    if _commune_candidate(dossier):
        yield (
            AwardCandidateProposed(
                **common,
                candidate_id=candidate_id(dossier.tenant, dossier.period, COMMUNE_AWARD, dossier.entrant.id),
                submission_version=dossier.version,
                submitted_by=by,
                award_form=COMMUNE_AWARD,
                round=round_of(dossier.period),
                total=dossier.total,
                grade=dossier.grade,
            ),
            finalised,
        )
