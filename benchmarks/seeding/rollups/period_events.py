"""Builds the events of a commune's period beyond its dossiers: the chairman's decision, the proposal to the
province with its answer and award, and the commune's index; then every event of the commune in its envelope."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from pymongo import AsyncMongoClient

from awards.domain.catalogue import round_of
from awards.repository import repositories as awards_repositories
from awards.service.common import candidate_id
from awards.service.letterhead import letterhead_of
from benchmarks.seeding.plan import PERIODS, PROVINCE, CommunePlan, Dossier
from benchmarks.seeding.rollups.common import (
    ANSWERED_AFTER,
    AWARDS_DATABASE,
    CHAIR,
    COMMUNE_AWARD,
    DECIDED_ON_DAY,
    FIRST_NUMBER,
    PROPOSED_ON_DAY,
    PROVINCE_AWARD,
    PROVINCE_FIRST_NUMBER,
    PROVINCE_ISSUER,
    PROVINCE_STAFF,
    SOURCE,
    _period_position,
    _ref,
    _round_day,
)
from benchmarks.seeding.rollups.dossier_events import _dossier_events, _index_observed
from scoring.domain.aggregates import Final
from scoring.domain.index import IndexSettings, commune_index
from scoring.service.index import observations
from thidua_contracts.awards import AwardDecided, AwardProposalDecided, AwardProposalSubmitted, AwardRecipient
from thidua_contracts.scoring import IndexComputed
from thidua_platform.envelope import Envelope, EventData, derived_id, new_event
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope


def _recipients(dossiers: Sequence[Dossier], form: str) -> tuple[AwardRecipient, ...]:
    return tuple(
        AwardRecipient(
            candidate_id=candidate_id(d.tenant, d.period, form, d.entrant.id),
            entrant=_ref(d.entrant),
            submitted_by=d.submitted_by,
        )
        for d in dossiers
    )


async def _authority(client: AsyncMongoClient[Document], commune: CommunePlan) -> str:
    """How the commune's decisions name their issuer (its letterhead's `authority`, e.g. "UBND xã Liên Minh"): the
    one the awards seeder sets for a benchmark commune, the demo commune's own (or the awards' placeholder)."""
    if commune.commune.seeded_only:
        return f"UBND xã {commune.commune.name.removeprefix('Xã ')}"
    scope = Scope(tenant=commune.commune.tenant, province=PROVINCE)
    return (await letterhead_of(repos=awards_repositories(client[AWARDS_DATABASE]), scope=scope)).authority


def _commune_decision(
    commune: CommunePlan, period: str, year: int, awarded: Sequence[Dossier], authority: str
) -> EventData:
    """The chairman's decision awarding the commune's form to every dossier of the period the plan awards it."""
    number = f"{FIRST_NUMBER + _period_position(period)}/QĐ-UBND"
    decided = _round_day(period, year, DECIDED_ON_DAY)
    return AwardDecided(
        decision_id=str(derived_id("decision", commune.commune.tenant, number)),
        award_form=COMMUNE_AWARD,
        period=period,
        round=round_of(period),
        level="commune",
        number=number,
        signed_on=decided.date(),
        issuer=f"Chủ tịch {authority}",
        recipients=_recipients(awarded, COMMUNE_AWARD),
    )


def _province_award(commune: CommunePlan, period: str, year: int, awarded: Sequence[Dossier]) -> list[EventData]:
    """The commune's proposal of the province's form, the province's answer (awarded) and its award."""
    position = _period_position(period)
    proposal_number = f"{FIRST_NUMBER + position}/TTr-UBND"
    proposal_id = str(derived_id("proposal", commune.commune.tenant, proposal_number))
    number = f"{PROVINCE_FIRST_NUMBER + commune.commune.number * len(PERIODS) + position}/QĐ-UBND"
    answered = _round_day(period, year, PROPOSED_ON_DAY) + ANSWERED_AFTER
    recipients = _recipients(awarded, PROVINCE_AWARD)
    signed = {"number": number, "signed_on": answered.date(), "issuer": PROVINCE_ISSUER}
    common: dict[str, Any] = {"award_form": PROVINCE_AWARD, "period": period, "recipients": recipients}
    return [
        AwardProposalSubmitted(**common, proposal_id=proposal_id, number=proposal_number, proposed_by=CHAIR),
        AwardProposalDecided(
            **common, **signed, proposal_id=proposal_id, level="province", outcome="awarded", decided_by=PROVINCE_STAFF
        ),
        AwardDecided(
            **common,
            **signed,
            proposal_id=proposal_id,
            decision_id=f"{proposal_id}:province",
            round=round_of(period),
            level="province",
        ),
    ]


def _index(dossiers: Sequence[Dossier], period: str) -> IndexComputed:
    """The index the scoring worker computes from the period's final scores (default settings)."""
    finals = [_index_observed(d) for d in dossiers if d.stage == "final"]
    # only `criteria`, all that `observations` reads of a final score
    result = commune_index(observations(cast(list[Final], finals)), IndexSettings())
    return IndexComputed(period=period, indicators=result.indicators, overall=result.overall, **result.pillars)


def _reindexed(dossiers: Sequence[Dossier]) -> bool:
    """The scoring worker recomputes a commune's index after a final score, a return or a withdrawal."""
    return any(d.stage in ("final", "returned", "withdrawn") or d.version > 1 for d in dossiers)


def _period_events(
    commune: CommunePlan, period: str, year: int, authority: str
) -> Iterator[tuple[EventData, datetime]]:
    dossiers = commune.in_period(period)
    for dossier in dossiers:
        yield from _dossier_events(dossier)
    awarded_here = [d for d in dossiers if d.award == COMMUNE_AWARD]
    if awarded_here:
        decided = _round_day(period, year, DECIDED_ON_DAY)
        yield _commune_decision(commune, period, year, awarded_here, authority), decided
    awarded_above = [d for d in dossiers if d.award == PROVINCE_AWARD]
    if awarded_above:
        proposed = _round_day(period, year, PROPOSED_ON_DAY)
        submitted, *answered = _province_award(commune, period, year, awarded_above)
        yield submitted, proposed
        for event in answered:
            yield event, proposed + ANSWERED_AFTER
    if _reindexed(dossiers):
        # after every final score of the period; a later computation (the demo's own) still wins the fold
        yield _index(dossiers, period), datetime(year, 12, 1, tzinfo=UTC)


def _envelopes(commune: CommunePlan, authority: str) -> Iterator[Envelope]:
    for period, year, _share in PERIODS:
        for data, at in _period_events(commune, period, year, authority):
            yield new_event(
                data, source=SOURCE, subject=period, tenant=commune.commune.tenant, province=PROVINCE, time=at
            )
