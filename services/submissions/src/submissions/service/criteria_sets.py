"""A campaign's criteria sets, per period and target group: version 1 made from the province's template when first
needed, adapted by the commune within the province's limits before the period opens (a version a dossier used is
kept and a new one made), and each version published to scoring as an event."""

from __future__ import annotations

from submissions.domain.adaptation import AdaptationLimits, AdaptationRefused, check_adaptation
from submissions.domain.aggregates import Campaign, CriteriaSet
from submissions.domain.criteria import TARGET_GROUPS, CriteriaSetContent, Criterion
from submissions.repository import Repositories, criteria_set_id
from submissions.service.campaigns import get_campaign, period_of
from thidua_contracts.submissions import CriteriaSetPublished, CriterionEvidence
from thidua_platform.audit import entry, now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope, derived_id, new_event
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED

SOURCE = "thidua/submissions"


def evidence_of(criterion: Criterion) -> CriterionEvidence:
    """A criterion as events carry it (its rule and default target, no evidence yet)."""
    return CriterionEvidence(
        code=criterion.code,
        theme=criterion.theme,
        title=criterion.title,
        rule=criterion.rule.kind,
        max_points=criterion.max_points,
        target=criterion.indicator.target if criterion.indicator else None,
        steps=tuple({"at_least": s.at_least, "points": s.points} for s in criterion.rule.steps),
        points_per_occurrence=criterion.rule.points_per_occurrence,
    )


def _published(
    campaign: Campaign, set_id: str, period: str, content: CriteriaSetContent, version: int, revision: int
) -> Envelope:
    """The event that tells scoring a criteria set (version) now reads like this."""
    return new_event(
        CriteriaSetPublished(
            criteria_set_id=set_id,
            campaign_id=campaign["_id"],
            period=period,
            target_group=content.target_group,
            version=version,
            max_total=content.max_total,
            criteria=tuple(evidence_of(c) for c in content.criteria),
            policy=content.policy,
        ),
        source=SOURCE,
        subject=set_id,
        tenant=campaign["tenant"],
        province=campaign["province"],
        event_id=derived_id(set_id, "published", revision),
    )


def _set_document(
    campaign: Campaign, period: str, content: CriteriaSetContent, version: int, actor: str
) -> tuple[CriteriaSet, list[Envelope]]:
    set_id = criteria_set_id(campaign["_id"], period, content.target_group, version)
    at = now()
    document: CriteriaSet = {
        "_id": set_id,
        "tenant": campaign["tenant"],
        "province": campaign["province"],
        "campaign_id": campaign["_id"],
        "period": period,
        "target_group": content.target_group,
        "version": version,
        "frozen": False,
        "content": content.model_dump(),
        "created_by": actor,
        "created_at": at,
        "audit": [entry(actor, "published", at, version=version)],
    }
    return document, [_published(campaign, set_id, period, content, version, 1)]


async def current_set(*, repos: Repositories, scope: Scope, campaign: Campaign, period: str, group: str) -> CriteriaSet:
    """The latest version; version 1 is made from the province's template the first time it is needed."""
    latest = await repos.criteria_sets.latest(scope, campaign_id=campaign["_id"], period=period, target_group=group)
    if latest is not None:
        return latest
    base = CriteriaSetContent.model_validate(campaign["base_sets"][group], context=STORED)
    await repos.criteria_sets.add(*_set_document(campaign, period, base, 1, campaign["adopted_by"]))
    created = await repos.criteria_sets.latest(scope, campaign_id=campaign["_id"], period=period, target_group=group)
    assert created is not None
    return created


async def adapt_set(
    *,
    repos: Repositories,
    principal: Principal,
    scope: Scope,
    campaign_id: str,
    period: str,
    content: CriteriaSetContent,
) -> CriteriaSet:
    """Before the period opens, within the province's limits. A frozen version is kept; a new one is made."""
    campaign = await get_campaign(repos=repos, scope=scope, campaign_id=campaign_id)
    if period_of(campaign, period).has_opened(now()):
        raise Conflict(f"Kỳ {period} đã mở, không sửa được tiêu chí / period {period} has opened: criteria are fixed")
    base = CriteriaSetContent.model_validate(campaign["base_sets"][content.target_group], context=STORED)
    try:
        check_adaptation(base, content, AdaptationLimits.model_validate(campaign["limits"]))
    except AdaptationRefused as exc:
        raise Unprocessable(str(exc), errors=[{"field": "criteria", "message": str(exc)}]) from exc
    latest = await current_set(repos=repos, scope=scope, campaign=campaign, period=period, group=content.target_group)
    if not latest["frozen"]:
        at = now()
        event = _published(campaign, latest["_id"], period, content, latest["version"], latest["revision"] + 1)
        if await repos.criteria_sets.adapt(
            scope,
            latest["_id"],
            revision=latest["revision"],
            content=content.model_dump(),
            audit=entry(principal.user_id, "adapted", at, version=latest["version"]),
            events=[event],
        ):
            return await _set(repos, scope, latest["_id"])
    document, events = _set_document(campaign, period, content, latest["version"] + 1, principal.user_id)
    if not await repos.criteria_sets.add(document, events):
        raise Conflict("Bộ tiêu chí vừa được thay đổi / The criteria set changed meanwhile, reload it")
    return await _set(repos, scope, document["_id"])


async def _set(repos: Repositories, scope: Scope, set_id: str) -> CriteriaSet:
    document = await repos.criteria_sets.get(scope, set_id)
    if document is None:
        raise NotFound(f"Không có bộ tiêu chí {set_id} / No criteria set {set_id}")
    return document


async def list_criteria_sets(
    *, repos: Repositories, scope: Scope, campaign_id: str, period: str | None, group: str | None
) -> list[CriteriaSet]:
    """The current version per period and group of a campaign (reading creates nothing)."""
    campaign = await get_campaign(repos=repos, scope=scope, campaign_id=campaign_id)
    periods = [period] if period else [p["code"] for p in campaign["periods"]]
    for code in periods:
        period_of(campaign, code)
    groups = [group] if group else list(TARGET_GROUPS)
    found = [
        await repos.criteria_sets.latest(scope, campaign_id=campaign["_id"], period=code, target_group=g)
        for code in periods
        for g in groups
    ]
    return [document for document in found if document is not None]
