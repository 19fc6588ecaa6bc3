"""The events' models as documents keep them, and the update every change of an aggregate makes.

`model_dump()` (a `dict[str, Any]`) is typed here only as the part of the aggregate it is (scoring.domain.aggregates
declares each part with its model's fields)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from scoring.domain.aggregates import AuditEntry, Entrant, Evidence, Member, PillarSettings, Policy, ScoredCriterion
from scoring.domain.index import IndexSettings
from thidua_commons.council import CouncilMember
from thidua_contracts.scoring import CriterionScore
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy
from thidua_contracts.terms import EntrantRef


def stored_entrant(entrant: EntrantRef) -> Entrant:
    return cast(Entrant, entrant.model_dump())


def stored_evidence(criteria: Iterable[CriterionEvidence]) -> list[Evidence]:
    return [cast(Evidence, criterion.model_dump()) for criterion in criteria]


def stored_criteria(criteria: Iterable[CriterionScore]) -> list[ScoredCriterion]:
    return [cast(ScoredCriterion, criterion.model_dump()) for criterion in criteria]


def stored_policy(policy: ScoringPolicy) -> Policy:
    return cast(Policy, policy.model_dump())


def stored_members(members: Iterable[CouncilMember]) -> list[Member]:
    return [cast(Member, member.model_dump()) for member in members]


def stored_settings(settings: IndexSettings) -> PillarSettings:
    return cast(PillarSettings, settings.model_dump())


EntryAt = Callable[[datetime], AuditEntry]  # a change's audit entry, given when the change is made (each attempt)


def _amended(fields: Mapping[str, Any], entry: AuditEntry) -> dict[str, Any]:
    """The update that sets `fields` and appends `entry` to the aggregate's audit trail: every change of an aggregate
    carries its one entry in the same update (ADR 0011)."""
    return {"$set": fields, "$push": {"audit": entry}}
