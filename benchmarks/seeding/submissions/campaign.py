"""Seeds a commune's campaign: the province's published template adopted (the campaign with its periods and windows,
and version 1 of every criteria set, each frozen by the first dossier that used it), or the demo's own adoption
reused as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import GROUPS, PROVINCE, CommunePlan, Dossier
from benchmarks.seeding.submissions.common import (
    ADOPTED_AT,
    OFFICER,
    OPENS_BY,
    TEMPLATE_CODE,
    SetKey,
    _applied,
    _campaign_id,
    _template_id,
)
from submissions.domain.criteria import CriteriaSetContent
from submissions.domain.periods import VIETNAM, Period
from submissions.repository import CAMPAIGNS, CRITERIA_SETS, TEMPLATES, CriteriaSetRepository, criteria_set_id
from thidua_platform.audit import entry
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope


async def _published_template(database: AsyncDatabase[Document]) -> Document:
    template = await database[TEMPLATES].find_one({"_id": _template_id()})
    if template is None or template.get("status") != "published":
        raise RuntimeError(
            f"tỉnh {PROVINCE} chưa ban hành mẫu kế hoạch {TEMPLATE_CODE} / province {PROVINCE} has no published "
            f"template {TEMPLATE_CODE}: load the demo first (deploy/stack up --demo)"
        )
    return template


@dataclass
class Campaign:
    """The commune's campaign and the criteria set each period and target group uses; `adopted_here` when the
    benchmark adopted it (its documents are to be written), not when the demo did (they are reused as they are)."""

    document: Document
    sets: dict[SetKey, Document]
    adopted_here: bool
    contents: dict[SetKey, CriteriaSetContent] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.contents = {key: CriteriaSetContent.model_validate(s["content"]) for key, s in self.sets.items()}

    @property
    def id(self) -> str:
        return str(self.document["_id"])

    def set_ref(self, dossier: Dossier) -> dict[str, Any]:
        found = self.sets[(dossier.period, dossier.entrant.target_group)]
        return {"id": found["_id"], "version": found["version"]}


async def _campaign(database: AsyncDatabase[Document], commune: CommunePlan) -> Campaign:
    """The demo's own adoption when there is one (read once: the campaign, then its latest sets by id, as the
    service reads them); otherwise the benchmark adopts the template for the commune."""
    tenant = commune.commune.tenant
    existing = await database[CAMPAIGNS].find_one({"_id": _campaign_id(tenant)})
    if existing is not None and existing.get("adopted_by") != OFFICER:
        return Campaign(existing, await _latest_sets(database, existing), adopted_here=False)
    return _adopted(await _published_template(database), commune)


async def _latest_sets(database: AsyncDatabase[Document], campaign: Document) -> dict[SetKey, Document]:
    repository = CriteriaSetRepository(database[CRITERIA_SETS])
    scope = Scope(tenant=campaign["tenant"], province=campaign["province"])
    sets: dict[SetKey, Document] = {}
    for period in campaign["periods"]:
        for group in GROUPS:
            found = await repository.latest(
                scope, campaign_id=campaign["_id"], period=period["code"], target_group=group
            )
            if found is None:
                raise RuntimeError(f"campaign {campaign['_id']} has no criteria set for {period['code']}/{group}")
            sets[(period["code"], group)] = cast(Document, found)
    return sets


def _adopted(template: Document, commune: CommunePlan) -> Campaign:
    """What `adopt_template` writes (the campaign and version 1 of every criteria set), with the windows the plan's
    dossiers need, and each set frozen by the first dossier that used it."""
    tenant = commune.commune.tenant
    campaign_id = _campaign_id(tenant)
    periods, window_entries = _periods(template["periods"])
    audit = [entry(OFFICER, "adopted", ADOPTED_AT, template_id=template["_id"]), *window_entries]
    document: Document = {
        "_id": campaign_id,
        "tenant": tenant,
        "province": PROVINCE,
        "template_id": template["_id"],
        "code": template["code"],
        "name": template["name"],
        "periods": periods,
        "limits": template["limits"],
        "base_sets": template["criteria_sets"],
        "adopted_by": OFFICER,
        "created_at": ADOPTED_AT,
        "audit": audit,
        "revision": len(audit),
        "applied_changes": _applied(campaign_id, range(1, len(audit) + 1)),  # the adoption caused an event
    }
    first_use = _first_use(commune.dossiers)
    sets: dict[SetKey, Document] = {
        (period["code"], group): _criteria_set(document, period["code"], group, first_use.get((period["code"], group)))
        for period in periods
        for group in GROUPS
    }
    return Campaign(document, sets, adopted_here=True)


def _periods(template_periods: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The template's periods, those opening after 1 March moved to open then, and the `window_set` entries."""
    periods: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for raw in template_periods:
        period = Period.model_validate(raw)
        opens = datetime(period.year, *OPENS_BY, tzinfo=VIETNAM)
        if period.opens_at > opens:
            period = period.model_copy(update={"opens_at": opens})
            at = ADOPTED_AT + timedelta(minutes=len(entries) + 1)
            entries.append(
                entry(OFFICER, "window_set", at, period=period.code, opens_at=opens, closes_at=period.closes_at)
            )
        periods.append(period.model_dump())
    return periods, entries


def _first_use(dossiers: list[Dossier]) -> dict[SetKey, Dossier]:
    """The dossier whose creation froze each criteria set."""
    first: dict[SetKey, Dossier] = {}
    for dossier in sorted(dossiers, key=lambda d: d.created_at):
        first.setdefault((dossier.period, dossier.entrant.target_group), dossier)
    return first


def _criteria_set(campaign: Document, period: str, group: str, frozen_by: Dossier | None) -> Document:
    content = CriteriaSetContent.model_validate(campaign["base_sets"][group])
    set_id = criteria_set_id(campaign["_id"], period, group, 1)
    audit = [entry(OFFICER, "published", ADOPTED_AT, version=1)]
    if frozen_by is not None:
        audit.append(entry(frozen_by.submitted_by, "frozen", frozen_by.created_at, version=1))
    return {
        "_id": set_id,
        "tenant": campaign["tenant"],
        "province": campaign["province"],
        "campaign_id": campaign["_id"],
        "period": period,
        "target_group": group,
        "version": 1,
        "frozen": frozen_by is not None,
        "content": content.model_dump(),
        "created_by": OFFICER,
        "created_at": ADOPTED_AT,
        "audit": audit,
        "revision": len(audit),
        "applied_changes": _applied(set_id, range(1, len(audit) + 1)),  # publication caused an event
    }
