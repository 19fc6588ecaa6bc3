"""The rollups' read models for the plan: the facts its worker stores from every dossier's events, and the summary of
each commune and period computed from them, so province staff see every commune ranked and can drill down.

The worker turns each event into changes (`rollups.service.facts.APPLY`) stored as records keyed by what they say
(`rollups.domain.changes`). This module builds the very events the pipeline publishes for a dossier of the plan —
submitted (returned and resubmitted on the way to a version 2, or withdrawn), score finalised with its themes and
grade, candidate for the commune's award, the chairman's decision or the proposal to the province with its outcome,
and the commune's index per period — and runs them through the worker's own `APPLY`, so the records are exactly
the ones the worker would insert. Summaries come from the service's `refresh` over those facts, folded in memory
for a benchmark commune; for the two demo communes, whose partitions also hold the demo's own facts, `refresh`
reads the database, as the worker's summary loop would. Nothing is left marked dirty.

What the plan does not say is made up here, deterministically: how a total splits over the criteria of the group's
default criteria set (every criterion reaches the same share of its maximum, so themes and the index follow the
total), and when events happened; decision and proposal numbers, days and issuers are the awards seeder's.

Documents per dossier (about 2.6 in all): one status record per submission, return, resubmission or withdrawal, one
score record per final score, one candidacy record per final score meeting the Giấy khen rule; one award record
per award; per commune and period three proposal records (if anything went to the province), one index record and
one summary.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, cast

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from awards.domain.catalogue import round_of
from awards.domain.rules import DEFAULT_RULES, AwardRule, Scored, evaluate, rule_for
from awards.repository import repositories as awards_repositories
from awards.service.common import candidate_id
from awards.service.letterhead import letterhead_of
from benchmarks.seeding.plan import PERIODS, PROVINCE, PROVINCE_NAME, CommunePlan, Dossier, Entrant, ProvincePlan
from benchmarks.seeding.writer import delete_ids, insert_all
from rollups.domain.aggregates import Fact, Summary
from rollups.domain.changes import fold
from rollups.repository import (
    AWARDS,
    INDEX,
    LISTING,
    PARTITIONED,
    PROPOSALS,
    SUBMISSIONS,
    SUMMARIES,
    ReadModels,
    partition,
    summary_id,
)
from rollups.service.facts import APPLY
from rollups.service.summaries import refresh
from scoring.domain.aggregates import Final
from scoring.domain.index import IndexSettings, commune_index
from scoring.service.index import observations
from submissions.domain.defaults import default_criteria_set
from thidua_contracts.awards import (
    AwardCandidateProposed,
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    AwardRecipient,
)
from thidua_contracts.scoring import CriterionScore, IndexComputed, ScoreFinalised
from thidua_contracts.submissions import (
    ReturnReason,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_contracts.terms import EntrantRef
from thidua_platform.envelope import Envelope, EventData, derived_id, new_event
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope

DATABASE = "thidua_rollups"
AWARDS_DATABASE = "thidua_awards"  # where the demo communes' letterheads are
SOURCE = "thidua/benchmarks"
COMMUNE_AWARD = "GIAY_KHEN_XA"  # decided by the commune chairman
PROVINCE_AWARD = "BANG_KHEN_TINH"  # proposed by the commune, decided by the province
MAX_TOTAL = 100.0
OFFICER, CHAIR, PROVINCE_STAFF = "u-bench-officer", "u-bench-chair", "u-bench-province-staff"
PROVINCE_ISSUER = f"Chủ tịch UBND tỉnh {PROVINCE_NAME}"
RETURN_REASON = "Bổ sung minh chứng cho các tiêu chí còn thiếu"
# Numbers and days of the acts the plan implies, one of each kind per commune and period, as the awards seeder
# (benchmarks/seeding/awards.py) writes them, so that both services name the same decisions and proposals: the
# period's position numbers them; a year's round is held from 1 December, a review's (sơ kết, tổng kết) from the
# 13th; the chairman decides on day 7, proposes on day 8, and the province answers two weeks later.
FIRST_NUMBER = 801
PROVINCE_FIRST_NUMBER = 2000
DECIDED_ON_DAY, PROPOSED_ON_DAY, ANSWERED_AFTER = 7, 8, timedelta(days=14)


# --- events -----------------------------------------------------------------------------------------------------


def _period_position(period: str) -> int:
    return next(i for i, (code, _year, _share) in enumerate(PERIODS) if code == period)


def _round_day(period: str, year: int, offset: int) -> datetime:
    first = 1 if round_of(period) == "yearly" else 13
    return datetime(year, 12, first + offset, 3, tzinfo=UTC)


@cache
def _ref(entrant: Entrant) -> EntrantRef:
    return EntrantRef(
        id=entrant.id,
        name=entrant.name,
        kind=entrant.kind,
        target_group=entrant.target_group,
        unit_id=entrant.unit_id,
    )


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


# --- facts and summaries ----------------------------------------------------------------------------------------

Records = dict[str, dict[str, Document]]  # collection → record id → record


def records_of(commune: CommunePlan, authority: str) -> Records:
    """Every record the worker stores for the commune's events, by collection (a change repeated is one record)."""
    records: Records = {}
    for envelope in _envelopes(commune, authority):
        _period, changes = APPLY[envelope.type](envelope)
        for change in changes:
            record = change.record()
            records.setdefault(change.collection, {})[record["_id"]] = record
    return records


def _periods_touched(records: Records) -> list[str]:
    """The periods whose summary the worker would have marked: those of any stored record."""
    touched = {str(record["period"]) for by_id in records.values() for record in by_id.values()}
    return [period for period, _year, _share in PERIODS if period in touched]


@dataclass(frozen=True)
class _Summaries(ReadModels):
    """The read models as `refresh` sees them, keeping the summaries it saves instead of writing them; with
    `planned`, the facts are the commune's planned records (folded in memory, as the repository folds them)."""

    planned: Records | None = None
    saved: list[Document] = field(default_factory=list)

    async def facts_of(self, kind: str, tenant: str, province: str, period: str) -> list[Fact]:
        if self.planned is None:
            return await super().facts_of(kind, tenant, province, period)
        name = partition(kind, tenant, period) if kind in PARTITIONED else kind
        mine = {"tenant": tenant, "province": province, "period": period}  # the repository's scoped query
        chosen = [r for r in self.planned.get(name, {}).values() if all(r.get(k) == v for k, v in mine.items())]
        return cast(list[Fact], fold(sorted(chosen, key=lambda r: str(r["_id"]))))

    async def save_summary(self, document: Summary) -> None:
        self.saved.append(cast(Document, document))


async def _summaries(models: _Summaries, tenant: str, periods: Sequence[str]) -> list[Document]:
    at = datetime.now(UTC)
    for period in periods:
        await refresh(models=models, tenant=tenant, province=PROVINCE, period=period, at=at)
    return models.saved


async def _upsert(database: AsyncDatabase[Document], summaries: Sequence[Document]) -> int:
    """Replace the summaries (a demo commune's may exist already); returns how many were new."""
    created = 0
    for summary in summaries:
        result = await database[SUMMARIES].replace_one({"_id": summary["_id"]}, summary, upsert=True)
        created += result.upserted_id is not None
    return created


# --- the seeder -------------------------------------------------------------------------------------------------


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing province-wide: the province's view is the communes' summaries."""
    return 0


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    tenant = commune.commune.tenant
    records = records_of(commune, await _authority(client, commune))
    inserted = 0
    for name, by_id in records.items():
        inserted += await insert_all(database[name], by_id.values())
    periods = _periods_touched(records)
    if commune.commune.seeded_only:
        summaries = await _summaries(_Summaries(database, planned=records), tenant, periods)
        return inserted + await insert_all(database[SUMMARIES], summaries)
    # a demo commune's partitions hold the demo's facts too: its summaries count both
    summaries = await _summaries(_Summaries(database), tenant, periods)
    return inserted + await _upsert(database, summaries)


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    if commune.commune.seeded_only:
        return await _forget_commune(database, commune.commune.tenant)
    return await _forget_in_demo(database, commune, records_of(commune, await _authority(client, commune)))


async def _forget_commune(database: AsyncDatabase[Document], tenant: str) -> int:
    """A benchmark commune: all its records and summaries, and its partitions (which only `seed` created)."""
    deleted = 0
    for kind in PARTITIONED:
        for period, _year, _share in PERIODS:
            facts = database[partition(kind, tenant, period)]
            deleted += (await facts.delete_many({"tenant": tenant})).deleted_count
            if await facts.count_documents({}, limit=1) == 0:
                await facts.drop()
    for name in (PROPOSALS, INDEX, SUMMARIES, LISTING):
        deleted += (await database[name].delete_many({"tenant": tenant})).deleted_count
    return deleted


async def _forget_in_demo(database: AsyncDatabase[Document], commune: CommunePlan, records: Records) -> int:
    """A demo commune: only the records `seed` wrote; a partition left empty was `seed`'s and goes; each period's
    summary is recomputed from the demo's own facts, or removed if none are left (the demo never had it)."""
    tenant = commune.commune.tenant
    deleted = 0
    for name, by_id in records.items():
        if name.split(".")[0] == AWARDS:
            # by fact (decision and candidate, both the plan's alone): a record's id also hashes the issuer, which
            # follows the demo's letterhead
            facts = sorted({str(record["fact"]) for record in by_id.values()})
            deleted += (await database[name].delete_many({"fact": {"$in": facts}})).deleted_count
        else:
            deleted += await delete_ids(database[name], by_id.keys())
        if name.split(".")[0] in PARTITIONED and await database[name].count_documents({}, limit=1) == 0:
            await database[name].drop()
    left: list[str] = []
    gone: list[str] = []
    models = ReadModels(database)
    for period in _periods_touched(records):
        kinds = (SUBMISSIONS, AWARDS, PROPOSALS, INDEX)
        remaining = [await models.facts_of(kind, tenant, PROVINCE, period) for kind in kinds]
        (left if any(remaining) else gone).append(period)
    await _upsert(database, await _summaries(_Summaries(database), tenant, left))  # their listings too
    for period in gone:
        await database[LISTING].delete_many({"tenant": tenant, "period": period})
    return deleted + await delete_ids(database[SUMMARIES], [summary_id(tenant, period) for period in gone])
