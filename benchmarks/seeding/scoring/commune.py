"""Seeds a commune's scoring documents in memory: its dossiers', the digital-transformation index of each period
with scores, the entrants the worker keeps, and a benchmark commune's criteria sets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

from benchmarks.seeding.plan import PERIODS, PROVINCE, CommunePlan
from benchmarks.seeding.scoring.common import DAY, TEMPLATE, Seeded, _revised
from benchmarks.seeding.scoring.council import Council
from benchmarks.seeding.scoring.dossiers import _scored_dossier
from benchmarks.seeding.scoring.scores import _finalised_event
from benchmarks.seeding.submissions import IMPORTED_AT
from scoring.domain.aggregates import Final
from scoring.domain.council import CouncilMember
from scoring.domain.index import IndexSettings, commune_index
from scoring.repository import FINALS, INDEXES, SCORES
from scoring.service.index import observations
from submissions.domain.defaults import default_criteria_set
from submissions.repository import criteria_set_id
from submissions.service.criteria_sets import evidence_of
from thidua_contracts.scoring import ScoreFinalised
from thidua_contracts.submissions import CriteriaSetPublished
from thidua_platform.audit import from_event
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document


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
