"""Small pieces the scoring use cases share. A score's entrant and policy are read as stored (thidua_platform.text)."""

from __future__ import annotations

from scoring.domain.aggregates import Score
from scoring.repository import version_id
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy
from thidua_contracts.terms import EntrantRef
from thidua_platform.text import STORED

__all__ = ["SOURCE", "version_id"]

SOURCE = "thidua/scoring"


def evidence_of(score: Score) -> list[CriterionEvidence]:
    return [CriterionEvidence.model_validate(c) for c in score["evidence"]]


def assessment_codes(score: Score) -> list[str]:
    return [c["code"] for c in score["evidence"] if c["rule"] == "assessment"]


def policy_of(score: Score) -> ScoringPolicy:
    return ScoringPolicy.model_validate(score.get("policy") or {}, context=STORED)


def entrant_of(score: Score) -> EntrantRef:
    return EntrantRef.model_validate(score["entrant"], context=STORED)
