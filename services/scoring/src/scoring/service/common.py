"""Small pieces the scoring use cases share."""

from __future__ import annotations

from scoring.repositories import version_id
from thidua_shared.events import CriterionEvidence, EntrantRef, ScoringPolicy
from thidua_shared.mongo import Document

__all__ = ["SOURCE", "version_id"]

SOURCE = "thidua/scoring"


def evidence_of(score: Document) -> list[CriterionEvidence]:
    return [CriterionEvidence.model_validate(c) for c in score["evidence"]]


def assessment_codes(score: Document) -> list[str]:
    return [c["code"] for c in score["evidence"] if c["rule"] == "assessment"]


def policy_of(score: Document) -> ScoringPolicy:
    return ScoringPolicy.model_validate(score.get("policy") or {})


def entrant_of(score: Document) -> EntrantRef:
    return EntrantRef.model_validate(score["entrant"])
