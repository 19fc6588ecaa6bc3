"""The scoring service's documents for the planned province, as its worker and its council would have left them.

For every dossier that reached scoring (stage in_review or final) the worker kept, on `submission.submitted`, the
dossier's criteria and evidence with a provisional score per version (indicators by the service's own rules,
assessments pending), and assigned the assessment criteria to council members of the commune, each assignment
listed in its dossier's slots. Members then assessed: every criterion by every reviewer for final dossiers, a part of
them for dossiers still in review. A final score (the plan's total and grade, per criterion by the service's own
`final_breakdown`) closes a final dossier, and each commune and period with final scores has its digital-
transformation index computed from them. A dossier scored at version 2 was returned once: version 1 keeps its
provisional score (returned) and its closed assignments.

Evidence is made up per dossier so that the service's rules give the plan's total: the indicator criteria score a
provisional total P, and the council's assessments add exactly the plan's total minus P.

Documents per dossier (average over the plan's stages and groups): about 9.5; a final dossier of group a, the
largest, has 1 score + 2 assignments + 2 slots + 10 assessments + 1 final = 16. Per commune: 1 council roster (where
it has none), one index per period with final scores, each entrant as the worker keeps it from `entrant.recorded`
and, for communes that exist only in the benchmark, the 40 criteria sets (8 periods × 5 groups) the scoring worker
keeps from `criteria_set.published`.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import LARGE, PERIODS, PROVINCE, SMALL, CommunePlan, Dossier, ProvincePlan
from benchmarks.seeding.submissions import IMPORTED_AT
from benchmarks.seeding.writer import delete_ids, insert_all
from scoring.domain.aggregates import Final, Score
from scoring.domain.assessment import final_breakdown
from scoring.domain.council import CouncilMember, choose_reviewers
from scoring.domain.index import IndexSettings, commune_index
from scoring.domain.rules import score_submission
from scoring.repository import (
    ASSESSMENTS,
    ASSIGNMENT_SLOTS,
    ASSIGNMENTS,
    COUNCILS,
    CRITERIA_SETS,
    ENTRANTS,
    FINALS,
    INDEXES,
    SCORES,
    repositories,
    version_id,
)
from scoring.service.assignment import new_assignment
from scoring.service.index import observations, settings_for
from submissions.domain.criteria import CriteriaSetContent, Criterion
from submissions.domain.defaults import default_criteria_set
from submissions.repository import criteria_set_id
from submissions.service.criteria_sets import evidence_of
from submissions.service.submission_lifecycle import evidence_for_scoring
from thidua_contracts.scoring import ScoreFinalised
from thidua_contracts.submissions import (
    CriteriaSetPublished,
    CriterionEvidence,
    SubmissionReturned,
    SubmissionSubmitted,
)
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry, event_actor, from_event
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document

DATABASE = "thidua_scoring"

# The people behind the audit entries: the plan names no officer or reviewer ids, so these follow its
# "u-bench-submitter" convention. The officer's id also marks the rosters this module wrote (see `forget`).
OFFICER = "u-bench-officer"
COUNCIL_SIZE = 5  # a benchmark commune's council; the demo communes keep the roster they have
DEMO_COUNCILS = {LARGE: ("lm.council1", "lm.council2"), SMALL: ("td.council1", "td.council2")}
# The province's campaign template (deploy/demo.py): benchmark communes adopt it as the demo communes did
TEMPLATE = "cds-2025-2030"
COMMENTS = (
    "Có minh chứng.",
    "Minh chứng đầy đủ, kết quả rõ ràng.",
    "Cần bổ sung số liệu cụ thể.",
    "Mô hình hiệu quả, có khả năng nhân rộng.",
    None,
)
DAY = timedelta(days=1)


def _nonce(*parts: object) -> str:
    """A change's nonce (uuid4 in the change log), derived so that a second run writes the same documents."""
    return derived_id("bench-scoring-change", *parts).hex


def _revised(document: Document, audit: list[Document]) -> Document:
    """The document as the change log leaves it: one revision, one applied change and one audit entry per change."""
    nonces = [_nonce(document["_id"], revision) for revision in range(1, len(audit) + 1)]
    return {**document, "audit": audit, "revision": len(audit), "applied_changes": nonces}


# --- evidence that scores the plan's total --------------------------------------------------------------------------


def _reported(criterion: Criterion, share: float, year: int) -> dict[str, Any]:
    """What an entrant reports for one criterion when it reaches `share` of it (0 nothing, 1 everything)."""
    kind = criterion.rule.kind
    if kind == "ratio" and criterion.indicator is not None:
        target = criterion.indicator.target
        # counts (people, meetings, businesses) are whole numbers; percentages keep one decimal
        return {"value": float(round(target * share)) if target <= 20 else round(target * share, 1)}
    if kind == "steps":
        reached = [s.at_least for s in criterion.rule.steps if s.points <= share * criterion.max_points + 1e-9]
        return {"value": max(reached, default=0.0)}
    if kind == "level":
        return {"level": "full" if share >= 0.8 else "half" if share >= 0.4 else "none"}
    if kind == "bonus_penalty":
        return {"occurrences": 0}
    return {
        "narrative": f"Báo cáo kết quả thực hiện năm {year}, kèm văn bản và hình ảnh minh chứng.",
        "self_points": round(min(share, 1.0) * criterion.max_points, 1),
    }


def _evidence(content: CriteriaSetContent, shares: Sequence[float], year: int) -> tuple[CriterionEvidence, ...]:
    reported = {c.code: _reported(c, share, year) for c, share in zip(content.criteria, shares, strict=True)}
    return evidence_for_scoring(content, reported, {})


def _indicator_points(evidence: Iterable[CriterionEvidence], max_total: float) -> float:
    return score_submission(evidence, max_total=max_total).total


def _assessed_max(content: CriteriaSetContent) -> float:
    return sum(c.max_points for c in content.criteria if c.rule.kind == "assessment")


def _fitted(content: CriteriaSetContent, rng: random.Random, total: float, year: int) -> tuple[CriterionEvidence, ...]:
    """Evidence whose indicator points P leave the council 0 ≤ total − P ≤ the assessment criteria's maximum: near
    the dossier's level first, then everything or nothing reached, then a search on a level shared by all."""
    quality = total / content.max_total
    room = _assessed_max(content)

    def fits(evidence: tuple[CriterionEvidence, ...]) -> bool:
        return 0 <= round(total - _indicator_points(evidence, content.max_total), 2) <= room

    noisy = [min(max(quality + rng.uniform(-0.15, 0.15), 0.0), 1.1) for _ in content.criteria]
    for shares in (noisy, [1.0] * len(content.criteria), [0.0] * len(content.criteria)):
        if fits(evidence := _evidence(content, shares, year)):
            return evidence
    low, high = 0.0, 1.0
    for _ in range(30):
        middle = (low + high) / 2
        evidence = _evidence(content, [middle] * len(content.criteria), year)
        if fits(evidence):
            return evidence
        if total - _indicator_points(evidence, content.max_total) > room:
            low = middle
        else:
            high = middle
    return evidence  # no level fits (not met with the default sets): the final total then differs from the plan


def _split(amount: float, criteria: Sequence[CriterionEvidence]) -> dict[str, float]:
    """`amount` points over the assessment criteria in proportion to their maxima, to the hundredth, none above its
    maximum, adding up to `amount` exactly."""
    room = sum(c.max_points for c in criteria)
    points = {c.code: round(amount * c.max_points / room, 2) if room else 0.0 for c in criteria}
    left = round(amount - sum(points.values()), 2)
    for criterion in criteria:
        if left == 0:
            break
        moved = min(max(left, -points[criterion.code]), criterion.max_points - points[criterion.code])
        points[criterion.code] = round(points[criterion.code] + moved, 2)
        left = round(left - moved, 2)
    return points


def _spread(points: float, maximum: float, reviewers: int, rng: random.Random) -> list[float]:
    """Each reviewer's points for one criterion, whose mean (the default aggregation) is `points`."""
    gap = round(min(rng.choice((0.0, 0.25, 0.5, 1.0)), points, maximum - points), 2)
    offsets = [gap if i % 2 == 0 else -gap for i in range(reviewers - reviewers % 2)] + [0.0] * (reviewers % 2)
    return [round(points + offset, 2) for offset in offsets]


# --- the commune's documents ----------------------------------------------------------------------------------------


@dataclass
class Seeded:
    """Every document of one commune, by collection."""

    collections: dict[str, list[Document]] = field(default_factory=dict)

    def add(self, collection: str, *documents: Document) -> None:
        self.collections.setdefault(collection, []).extend(documents)

    def of(self, collection: str) -> list[Document]:
        return self.collections.get(collection, [])


@dataclass
class Council:
    members: list[CouncilMember]
    load: Counter[str] = field(default_factory=Counter)  # assignments so far: reviews go to the least loaded

    def reviewers(self, entrant: EntrantRef, count: int) -> list[str]:
        chosen = choose_reviewers(self.members, entrant, self.load, count)
        self.load.update(chosen)
        return chosen


def _entrant(dossier: Dossier) -> EntrantRef:
    e = dossier.entrant
    return EntrantRef(id=e.id, name=e.name, kind=e.kind, target_group=e.target_group, unit_id=e.unit_id)


def _event_id(dossier: Dossier, version: int, what: str) -> str:
    """The id of an event of the pipeline this dossier went through (submissions' events are the plan's own)."""
    return str(derived_id("bench-event", dossier.id, version, what))


def _score(dossier: Dossier, version: int, evidence: tuple[CriterionEvidence, ...], at: datetime) -> Document:
    """What `provisional.score_submitted` stores for one submitted version."""
    content = default_criteria_set(dossier.entrant.target_group)
    # the event carries the maximum as a float (100.0), as every stored score has it
    breakdown = score_submission(evidence, max_total=float(content.max_total), policy=content.policy)
    event = _event_id(dossier, version, "submitted")
    computed = from_event(
        event,
        SubmissionSubmitted.event_type if version == 1 else "thidua.submissions.submission.resubmitted.v1",
        "computed",
        at,
        status="submitted",
        total=breakdown.total,
        grade=breakdown.grade,
    )
    document = {
        "_id": version_id(dossier.id, version),
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "submission_id": dossier.id,
        "submission_version": version,
        "period": dossier.period,
        "entrant": _entrant(dossier).model_dump(),
        "submitted_by": dossier.submitted_by,
        "total": breakdown.total,
        "max_total": breakdown.max_total,
        "grade": breakdown.grade,
        "criteria": [c.model_dump() for c in breakdown.criteria],
        "evidence": [c.model_dump() for c in evidence],
        "policy": content.policy.model_dump(),
        "status": "submitted",
        "computed_at": at,
        "caused_by": event,
    }
    return _revised(document, [computed])


def _returned(score: Document, dossier: Dossier, at: datetime) -> Document:
    """`provisional.follow_status` after the officer returned the version for correction."""
    returned = from_event(
        _event_id(dossier, score["submission_version"], "returned"),
        SubmissionReturned.event_type,
        "returned",
        at,
        status="returned",
        by=OFFICER,
    )
    return _revised({**score, "status": "returned"}, [*score["audit"], returned])


def _assignment(score: Document, reviewer: str, at: datetime) -> Document:
    """What `assignment.assign` adds, on the worker's `submission.submitted`: pending."""
    document = new_assignment(cast(Score, score), reviewer, actor=event_actor(score["caused_by"]), at=at)
    return _revised(cast(Document, document), document["audit"])


def _done(assignment: Document, at: datetime) -> Document:
    """`assignment.set_status` once the reviewer has assessed every criterion."""
    done = entry(_person(assignment["reviewer"]), "done", at)
    return _revised({**assignment, "status": "done", "done_at": at}, [*assignment["audit"], done])


def _closed(assignment: Document, cause: str, at: datetime) -> Document:
    """`finalisation.close_assignments` when the version was returned before it was reviewed."""
    closed = entry(event_actor(cause), "closed", at)
    return _revised({**assignment, "status": "closed"}, [*assignment["audit"], closed])


def _slots(dossier: Dossier, assignments: Sequence[Document]) -> list[Document]:
    """`AssignmentRepository._slot`: the dossier's assignments, numbered in the order they were made."""
    return [
        {"_id": f"{dossier.id}#{number}", "assignment_id": a["_id"], "tenant": a["tenant"], "province": a["province"]}
        for number, a in enumerate(assignments, start=1)
    ]


def _person(username: str) -> str:
    return f"u-bench-{username}"


def _assessment(
    score: Document, reviewer: str, code: str, points: float, comment: str | None, at: datetime
) -> Document:
    """What `reviews.assess` adds for one criterion of one reviewer."""
    document = {
        "_id": f"{score['_id']}:{reviewer}:{code}",
        "tenant": score["tenant"],
        "province": score["province"],
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "reviewer": reviewer,
        "criterion": code,
        "points": points,
        "comment": comment,
        "updated_at": at,
    }
    return _revised(document, [entry(_person(reviewer), "assessed", at, criterion=code, points=points)])


def _final(score: Document, dossier: Dossier, reviews: dict[str, list[float]], actor: str, at: datetime) -> Document:
    """What `finalisation.finalise` stores when every review is in, with the plan's total and grade."""
    evidence = [CriterionEvidence.model_validate(c) for c in score["evidence"]]
    content = default_criteria_set(dossier.entrant.target_group)
    breakdown = final_breakdown(evidence, reviews, max_total=score["max_total"], policy=content.policy)
    document = {
        "_id": score["_id"],
        "tenant": score["tenant"],
        "province": score["province"],
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "period": score["period"],
        "entrant": score["entrant"],
        "submitted_by": score["submitted_by"],
        "total": dossier.total,
        "max_total": breakdown.max_total,
        "grade": dossier.grade,
        "criteria": [c.model_dump() for c in breakdown.criteria],
        "reason": "all_reviews_in",
        "finalised_at": at,
    }
    return _revised(
        document, [{"at": at, "actor": actor, "action": "finalised", "changes": {"reason": "all_reviews_in"}}]
    )


def _finalised_event(final: Document) -> str:
    """The id `finalise` gives its `score.finalised` event: the cause of the index computed after it."""
    return str(derived_id(final["submission_id"], final["submission_version"], "score.finalised"))


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


def _indexes(scores: Sequence[Document], finals: Sequence[Document], settings: IndexSettings) -> list[Document]:
    """What `index.recompute_commune` keeps per period, once the worker has swept the last mark: the last final
    score's, else (a period scored but with nothing final yet) the first score's, from `index.took_part`."""
    by_period: dict[tuple[str, str], list[Document]] = {}
    first_scores: dict[tuple[str, str], Document] = {}
    for score in sorted(scores, key=lambda s: (s["computed_at"], s["_id"])):
        first_scores.setdefault((score["tenant"], score["period"]), score)
        by_period.setdefault((score["tenant"], score["period"]), [])
    for final in finals:
        by_period.setdefault((final["tenant"], final["period"]), []).append(final)
    documents = []
    for (tenant, period), its in by_period.items():
        result = commune_index(observations(cast(list[Final], its)), settings)
        if its:
            last = max(its, key=lambda f: (f["finalised_at"], f["_id"]))
            at = last["finalised_at"] + timedelta(seconds=2)
            cause, cause_type = _finalised_event(last), ScoreFinalised.event_type
        else:
            first = first_scores[(tenant, period)]
            at = first["computed_at"] + timedelta(seconds=2)
            cause, cause_type = first["caused_by"], first["audit"][0]["changes"]["event"]
        computed = from_event(cause, cause_type, "computed", at, overall=result.overall, **result.pillars)
        document = {
            "_id": f"{tenant}:{period}",
            "tenant": tenant,
            "province": PROVINCE,
            "period": period,
            **result.pillars,
            "overall": result.overall,
            "indicators": result.indicators,
            "computed_at": at,
        }
        documents.append(_revised(document, [computed]))
    return documents


def _roster(tenant: str, members: Sequence[CouncilMember], at: datetime) -> Document:
    """What `council.set_roster` stores (no event: `applied_changes` stays empty)."""
    listed = [m.model_dump() for m in members]
    return {
        "_id": tenant,
        "tenant": tenant,
        "province": PROVINCE,
        "members": listed,
        "updated_at": at,
        "audit": [entry(OFFICER, "roster_set", at, members=listed)],
        "revision": 1,
        "applied_changes": [],
    }


def _planned_members(commune: CommunePlan) -> list[CouncilMember]:
    """A benchmark commune's council: its first members sit for a unit of theirs, which they may not review."""
    tenant = commune.commune.tenant
    if tenant in DEMO_COUNCILS:
        return [CouncilMember(username=name) for name in DEMO_COUNCILS[tenant]]
    units = [e.id for e in commune.entrants if e.kind == "collective"]
    return [
        CouncilMember(username=f"{tenant}.council{n}", unit_entrant_ids=tuple(units[n - 1 : n]) if n <= 2 else ())
        for n in range(1, COUNCIL_SIZE + 1)
    ]


def _known_entrants(commune: CommunePlan) -> list[Document]:
    """The commune's entrants as the worker keeps them from the `entrant.recorded` of their import."""
    return [
        {
            "_id": e.id,
            "tenant": e.tenant,
            "province": PROVINCE,
            "kind": e.kind,
            "target_group": e.target_group,
            "unit_id": e.unit_id,
            "recorded_at": IMPORTED_AT,
        }
        for e in commune.entrants
    ]


def _criteria_sets(tenant: str) -> list[Document]:
    """The worker's copies of the criteria sets a benchmark commune's campaign published (the defaults, version 1)."""
    template = str(derived_id("template", PROVINCE, TEMPLATE))
    campaign = str(derived_id("campaign", tenant, template))
    documents = []
    for period, _year, _share in PERIODS:
        for group in ("a", "b", "c", "d1", "d2"):
            content = default_criteria_set(group)
            published = CriteriaSetPublished(
                criteria_set_id=criteria_set_id(campaign, period, group, 1),
                campaign_id=campaign,
                period=period,
                target_group=content.target_group,
                version=1,
                max_total=float(content.max_total),
                criteria=tuple(evidence_of(c) for c in content.criteria),
                policy=content.policy,
            )
            documents.append(
                {"_id": published.criteria_set_id, "tenant": tenant, "province": PROVINCE}
                | published.model_dump(mode="json")
            )
    return documents


def _first_day(commune: CommunePlan) -> datetime:
    return min(d.created_at for d in commune.dossiers) - DAY if commune.dossiers else datetime(2025, 1, 1, tzinfo=UTC)


def build(commune: CommunePlan, members: Sequence[CouncilMember], settings: IndexSettings) -> Seeded:
    """Every document of the commune, in memory."""
    seeded = Seeded()
    council = Council(list(members))
    scored = sorted((d for d in commune.dossiers if d.scored), key=lambda d: (d.submitted_at or d.created_at, d.id))
    for dossier in scored:
        _scored_dossier(seeded, council, dossier)
    seeded.add(INDEXES, *_indexes(seeded.of(SCORES), seeded.of(FINALS), settings))
    return seeded


async def _council(database: AsyncDatabase[Document], commune: CommunePlan) -> tuple[list[CouncilMember], bool]:
    """The commune's roster as it stands (the demo's own), else the planned one; True when it is to be written."""
    current = await database[COUNCILS].find_one({"_id": commune.commune.tenant})
    if current is not None:
        return [CouncilMember.model_validate(m) for m in current.get("members", [])], False
    return _planned_members(commune), True


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing province-wide: the index settings stay the province's (or the defaults)."""
    return 0


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    members, new_roster = await _council(database, commune)
    seeded = build(commune, members, await settings_for(repos=repositories(database), province=PROVINCE))
    if new_roster:
        seeded.add(COUNCILS, _roster(commune.commune.tenant, members, _first_day(commune)))
    seeded.add(ENTRANTS, *_known_entrants(commune))
    if commune.commune.seeded_only:
        seeded.add(CRITERIA_SETS, *_criteria_sets(commune.commune.tenant))
    inserted = await asyncio.gather(*(insert_all(database[name], docs) for name, docs in seeded.collections.items()))
    return sum(inserted)


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    tenant = commune.commune.tenant
    if commune.commune.seeded_only:
        collections = (
            SCORES,
            FINALS,
            COUNCILS,
            ASSIGNMENTS,
            ASSIGNMENT_SLOTS,
            ASSESSMENTS,
            INDEXES,
            CRITERIA_SETS,
            ENTRANTS,
        )
        return sum([(await database[name].delete_many({"tenant": tenant})).deleted_count for name in collections])
    return await _forget_in_demo(database, commune)


async def _forget_in_demo(database: AsyncDatabase[Document], commune: CommunePlan) -> int:
    """In a demo commune, only what `seed` wrote: the seeded dossiers' documents, found from their ids and slots
    (whatever the roster is now), and the index and roster documents whose audit says this module wrote them."""
    members, _new = await _council(database, commune)
    seeded = build(commune, members, IndexSettings())
    deleted = await delete_ids(database[SCORES], [d["_id"] for d in seeded.of(SCORES)])
    deleted += await delete_ids(database[FINALS], [d["_id"] for d in seeded.of(FINALS)])
    deleted += await delete_ids(database[ENTRANTS], [e.id for e in commune.entrants])
    codes = {
        c["submission_id"]: [e["code"] for e in c["evidence"] if e["rule"] == "assessment"] for c in seeded.of(SCORES)
    }
    for submission_id, assessed in codes.items():
        slots = await _slots_of(database, submission_id)
        assignments = [s["assignment_id"] for s in slots]
        deleted += await delete_ids(database[ASSESSMENTS], [f"{a}:{code}" for a in assignments for code in assessed])
        deleted += await delete_ids(database[ASSIGNMENTS], assignments)
        deleted += await delete_ids(database[ASSIGNMENT_SLOTS], [s["_id"] for s in slots])
    deleted += await _delete_if_ours(database, INDEXES, seeded.of(INDEXES))
    roster = await database[COUNCILS].find_one({"_id": commune.commune.tenant})
    if roster is not None and [a["actor"] for a in roster.get("audit", [])] == [OFFICER]:
        deleted += await delete_ids(database[COUNCILS], [roster["_id"]])
    return deleted


async def _slots_of(database: AsyncDatabase[Document], submission_id: str) -> list[Document]:
    slots = []
    number = 1
    while (slot := await database[ASSIGNMENT_SLOTS].find_one({"_id": f"{submission_id}#{number}"})) is not None:
        slots.append(slot)
        number += 1
    return slots


async def _delete_if_ours(database: AsyncDatabase[Document], collection: str, ours: Sequence[Document]) -> int:
    """Delete documents that are still as `seed` wrote them (the same first audit entry's actor): the demo's own
    index of a period, which `seed` left alone, is kept."""
    deleted = 0
    for document in ours:
        current = await database[collection].find_one({"_id": document["_id"]})
        if current is not None and current["audit"][0]["actor"] == document["audit"][0]["actor"]:
            deleted += await delete_ids(database[collection], [document["_id"]])
    return deleted
