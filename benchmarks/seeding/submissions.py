"""The submissions service's documents for the benchmark's province: each commune's campaign (the province's
published template adopted, with its periods, windows and criteria sets), its entrants, a registration per entrant
and period that has a dossier, and the dossiers themselves with their evidence, status, versions, returns and audit
trail, as the service's use cases would have left them after the plan's history (see plan.py).

Documents carry `revision`, `applied_changes` and `audit` the way ChangeLog and the use cases write them: every
revision has exactly one audit entry; an insert that causes an event (adoption, a criteria set's publication, an
entrant, a registration) records its change's nonce, an insert without one (a draft dossier) records none, and
every later update records one. Nonces are derived from the document's id and revision, so a second run builds the
same documents (and inserts nothing: the ids exist).

Documents per dossier: 1 submission + 1 registration, plus per commune its entrants (about one per 6 dossiers) and,
where the benchmark adopts the campaign, 1 campaign + 40 criteria sets. No attachment (nor its chunks) is written.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import GROUPS, PROVINCE, CommunePlan, Dossier, Entrant, ProvincePlan
from benchmarks.seeding.writer import delete_ids, insert_all
from submissions.domain import aggregates
from submissions.domain.criteria import CriteriaSetContent, Criterion
from submissions.domain.lifecycle import SubmissionStatus
from submissions.domain.periods import VIETNAM, Period
from submissions.domain.submission import EvidenceInput, check_evidence
from submissions.repository import (
    CAMPAIGNS,
    CRITERIA_SETS,
    ENTRANTS,
    REGISTRATIONS,
    SUBMISSIONS,
    TEMPLATES,
    CriteriaSetRepository,
    criteria_set_id,
)
from submissions.service.entrants import NewEntrant, natural_key
from submissions.service.registrations import entrant_ref
from submissions.service.submissions import active_key
from thidua_platform.audit import entry
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope

DATABASE = "thidua_submissions"
TEMPLATE_CODE = "cds-2025-2030"  # the movement's template, published by the province (deploy/demo.py)
# The benchmark's commune officer: adopts the campaign, imports the entrants, returns dossiers. Its campaigns are
# recognised by it, so that `forget` removes a demo commune's campaign only when the benchmark adopted it.
OFFICER = "u-bench-officer"
# Before the first period's first dossier (1 March 2025): the campaign is adopted, then the entrants imported.
ADOPTED_AT = datetime(2025, 1, 15, 2, 0, tzinfo=UTC)
IMPORTED_AT = datetime(2025, 2, 1, 2, 0, tzinfo=UTC)
# The plan files dossiers from 1 March of the period's year; a commune whose period would open later (2025, sơ kết,
# tổng kết open on 1 July) opens it on 1 March itself, as an officer does with PUT /campaigns/{id}/periods/{code}.
OPENS_BY = (3, 1)
REGISTERED_BEFORE = timedelta(hours=1)
RETURNED_AFTER = timedelta(days=2)
WITHDRAWN_AFTER = timedelta(days=3)
RETURN_REASON = "Bổ sung thuyết minh và minh chứng cho tiêu chí này."
CORRECTED = "Đã bổ sung thuyết minh và minh chứng theo yêu cầu của cán bộ Văn hóa - Xã hội."
WITHDRAW_REASON = "Đơn vị xin rút hồ sơ để hoàn thiện lại."
NARRATIVE = "Đã triển khai đầy đủ theo kế hoạch của xã; báo cáo kết quả và minh chứng lưu tại đơn vị."
DELETE_STREAMS = 4

SetKey = tuple[str, str]  # (period code, target group)


def _nonce(document_id: str, revision: int) -> str:
    """The change-record nonce a revision records in `applied_changes`, derived so that reseeding is stable."""
    return derived_id("bench-change", document_id, revision).hex


def _applied(document_id: str, revisions: Iterable[int]) -> list[str]:
    return [_nonce(document_id, revision) for revision in revisions]


def _template_id() -> str:
    return str(derived_id("template", PROVINCE, TEMPLATE_CODE))


def _campaign_id(tenant: str) -> str:
    return str(derived_id("campaign", tenant, _template_id()))


def _registration_id(dossier: Dossier) -> str:
    return str(derived_id("registration", dossier.tenant, dossier.period, dossier.entrant.id))


async def seed_province(client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing to write: the province's template exists (the demo published it). Checked here, once."""
    await _published_template(client[DATABASE])
    return 0


async def _published_template(database: AsyncDatabase[Document]) -> Document:
    template = await database[TEMPLATES].find_one({"_id": _template_id()})
    if template is None or template.get("status") != "published":
        raise RuntimeError(
            f"tỉnh {PROVINCE} chưa ban hành mẫu kế hoạch {TEMPLATE_CODE} / province {PROVINCE} has no published "
            f"template {TEMPLATE_CODE}: load the demo first (deploy/stack up --demo)"
        )
    return template


# ---------------------------------------------------------------------------------------------------- the campaign


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


# ------------------------------------------------------------------------------------ entrants and registrations


def _entrant(entrant: Entrant, number: int) -> Document:
    """As the officer's workbook import writes it (`entrants._document`), under the plan's id."""
    model = NewEntrant(
        name=entrant.name,
        kind=entrant.kind,
        target_group=entrant.target_group,
        unit_id=entrant.unit_id,
        position=entrant.position,
        focal_users=list(entrant.focal_users),
    )
    at = IMPORTED_AT + timedelta(milliseconds=number)
    return {
        "_id": entrant.id,
        "tenant": entrant.tenant,
        "province": PROVINCE,
        "natural_key": natural_key(entrant.tenant, entrant.kind, entrant.name, entrant.unit_id),
        **model.model_dump(),
        "created_by": OFFICER,
        "created_at": at,
        "announced_at": at,
        "audit": [entry(OFFICER, "created", at, origin="import", name=entrant.name)],
        "revision": 1,
        "applied_changes": _applied(entrant.id, [1]),  # EntrantRecorded
    }


def _registration(dossier: Dossier, campaign: Campaign, entrant: Document) -> Document:
    registration_id = _registration_id(dossier)
    at = dossier.created_at - REGISTERED_BEFORE
    return {
        "_id": registration_id,
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "campaign_id": campaign.id,
        "period": dossier.period,
        "entrant": entrant_ref(cast(aggregates.Entrant, entrant)).model_dump(),
        "targets": {},
        "registered_by": dossier.submitted_by,
        "created_at": at,
        "audit": [entry(dossier.submitted_by, "registered", at, targets={})],
        "revision": 1,
        "applied_changes": _applied(registration_id, [1]),  # RegistrationRecorded
    }


# ------------------------------------------------------------------------------------------------------ dossiers


def _quality(dossier: Dossier) -> float:
    """How good the evidence is, 0–1: a finally scored dossier's follows its total, the others' are drawn."""
    if dossier.total is not None:
        return dossier.total / 100
    return random.Random(dossier.id).uniform(0.6, 1.0)  # noqa: S311 (not security)


def _evidence(criterion: Criterion, quality: float) -> dict[str, Any] | None:
    """What the entrant reports for a criterion, checked as the service checks it; None for a bonus or penalty
    (reported only when it happened, which the plan does not say)."""
    rule = criterion.rule
    if rule.kind == "bonus_penalty":
        return None
    if rule.kind == "ratio" and criterion.indicator is not None:
        value = round(criterion.indicator.target * min(quality * 1.02, 1.0), 1)
        given = EvidenceInput(value=value, narrative=None)
    elif rule.kind == "steps":
        given = EvidenceInput(value=float(round(max(s.at_least for s in rule.steps) * quality)))
    elif rule.kind == "level":
        given = EvidenceInput(level="full" if quality >= 0.8 else "half" if quality >= 0.55 else "none")
    else:
        given = EvidenceInput(narrative=NARRATIVE)
    check_evidence(criterion, given)
    return given.model_dump(exclude_none=True)


class History:
    """A dossier's changes in order, as the use cases write them: one audit entry per revision; the insert (no
    event) records no change nonce, every later update one."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def change(self, actor: str, action: str, at: datetime, fields: dict[str, Any], **changes: Any) -> None:
        self.document.update(fields, updated_at=at)
        self.document["audit"].append(entry(actor, action, at, **changes))

    def finish(self) -> Document:
        revision = len(self.document["audit"])
        self.document["revision"] = revision
        self.document["applied_changes"] = _applied(self.document["_id"], range(2, revision + 1))
        return self.document

    def report(self, actor: str, at: datetime, criterion: Criterion, given: dict[str, Any]) -> None:
        themes = sorted(set(self.document["themes"]) | {criterion.theme})
        evidence = {**self.document["evidence"], criterion.code: {**given, "attachments": []}}
        self.change(
            actor, "evidence_reported", at, {"evidence": evidence, "themes": themes}, criterion=criterion.code, **given
        )

    def submit(self, actor: str, at: datetime, status: SubmissionStatus) -> None:
        version = self.document["version"] + 1
        fields = {"status": status.value, "version": version, "submitted_at": at, "submitted_by": actor}
        self.change(actor, status.value, at, fields, status=status.value, version=version)

    def return_for_correction(self, at: datetime, reasons: list[dict[str, Any]]) -> None:
        status = SubmissionStatus.RETURNED.value
        fields = {"status": status, "return_reasons": reasons, "returned_at": at}
        self.change(OFFICER, "returned", at, fields, status=status, reasons=reasons)

    def withdraw(self, actor: str, at: datetime) -> None:
        status = SubmissionStatus.WITHDRAWN.value
        fields = {"status": status, "active_key": f"withdrawn|{self.document['_id']}", "withdrawn_at": at}
        self.change(actor, "withdrawn", at, fields, status=status, reason=WITHDRAW_REASON)


def _draft(dossier: Dossier, campaign: Campaign, entrant: Document) -> History:
    """What `create_submission` inserts."""
    at = dossier.created_at
    return History(
        {
            "_id": dossier.id,
            "tenant": dossier.tenant,
            "province": PROVINCE,
            "campaign_id": campaign.id,
            "period": dossier.period,
            "entrant": entrant_ref(cast(aggregates.Entrant, entrant)).model_dump(),
            "criteria_set": campaign.set_ref(dossier),
            "evidence": {},
            "themes": [],
            "status": SubmissionStatus.DRAFT.value,
            "version": 0,
            "active_key": active_key(dossier.tenant, dossier.entrant.id, dossier.period),
            "return_reasons": [],
            "created_by": dossier.submitted_by,
            "created_at": at,
            "updated_at": at,
            "audit": [
                entry(
                    dossier.submitted_by, "created", at, status="draft", period=dossier.period, entrant=entrant["_id"]
                )
            ],
        }
    )


def _between(start: datetime, end: datetime, share: float) -> datetime:
    return start + (end - start) * share


def _submission(dossier: Dossier, campaign: Campaign, entrant: Document) -> Document:
    """The dossier after the plan's history: evidence reported (half of it for a draft), submitted, returned with
    a reason and corrected and resubmitted (version 2), returned (stage returned) or withdrawn (stage withdrawn)."""
    content = campaign.contents[(dossier.period, dossier.entrant.target_group)]
    quality = _quality(dossier)
    reported = [(c, given) for c in content.criteria if (given := _evidence(c, quality)) is not None]
    history = _draft(dossier, campaign, entrant)
    actor = dossier.submitted_by
    if dossier.submitted_at is None:  # a draft: part of the evidence so far, an hour apart
        for index, (criterion, given) in enumerate(reported[: max(1, len(reported) // 2)], start=1):
            history.report(actor, dossier.created_at + timedelta(hours=index), criterion, given)
        return history.finish()
    first_submit = (
        dossier.submitted_at if dossier.version == 1 else _between(dossier.created_at, dossier.submitted_at, 0.4)
    )
    for index, (criterion, given) in enumerate(reported, start=1):
        history.report(actor, _between(dossier.created_at, first_submit, index / (len(reported) + 1)), criterion, given)
    history.submit(actor, first_submit, SubmissionStatus.SUBMITTED)
    if dossier.version > 1:
        _corrected(history, dossier, content, reported)
    if dossier.stage == "returned":
        history.return_for_correction(dossier.submitted_at + RETURNED_AFTER, _reasons(content))
    elif dossier.stage == "withdrawn":
        history.withdraw(actor, dossier.submitted_at + WITHDRAWN_AFTER)
    return history.finish()


def _corrected(
    history: History, dossier: Dossier, content: CriteriaSetContent, reported: list[tuple[Criterion, dict[str, Any]]]
) -> None:
    """Version 2: returned after the first submission, the criterion named corrected, resubmitted."""
    assert dossier.submitted_at is not None
    reasons = _reasons(content)
    history.return_for_correction(_between(dossier.created_at, dossier.submitted_at, 0.6), reasons)
    named = {reason["code"] for reason in reasons}
    criterion, given = next(((c, g) for c, g in reported if c.code in named), reported[0])
    fixed = {**given, "narrative": CORRECTED}
    history.report(dossier.submitted_by, _between(dossier.created_at, dossier.submitted_at, 0.8), criterion, fixed)
    history.submit(dossier.submitted_by, dossier.submitted_at, SubmissionStatus.RESUBMITTED)


def _reasons(content: CriteriaSetContent) -> list[dict[str, Any]]:
    """The officer names the first criterion assessed on its narrative (or returns the dossier in general)."""
    code = next((c.code for c in content.criteria if c.rule.kind == "assessment"), None)
    return [{"code": code, "reason": RETURN_REASON}]


# ------------------------------------------------------------------------------------------------- seed and forget


def _entrant_documents(commune: CommunePlan) -> dict[str, Document]:
    return {e.id: _entrant(e, number) for number, e in enumerate(commune.entrants)}


def _dossier_documents(
    commune: CommunePlan, campaign: Campaign, entrants: dict[str, Document]
) -> Iterator[tuple[Document, Document]]:
    """Each dossier's registration and submission."""
    for dossier in commune.dossiers:
        entrant = entrants[dossier.entrant.id]
        yield _registration(dossier, campaign, entrant), _submission(dossier, campaign, entrant)


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """The commune's campaign and criteria sets (unless the demo adopted them), entrants, registrations, dossiers."""
    database = client[DATABASE]
    campaign = await _campaign(database, commune)
    entrants = _entrant_documents(commune)
    pairs = list(_dossier_documents(commune, campaign, entrants))
    inserted = 0
    if campaign.adopted_here:  # the sets first: a campaign present means its adoption was completed
        inserted += await insert_all(database[CRITERIA_SETS], campaign.sets.values())
        inserted += await insert_all(database[CAMPAIGNS], [campaign.document])
    inserted += await insert_all(database[ENTRANTS], entrants.values())
    inserted += await insert_all(database[REGISTRATIONS], (registration for registration, _ in pairs))
    inserted += await insert_all(database[SUBMISSIONS], (submission for _, submission in pairs))
    return inserted


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """The plan's ids, and the campaign with its criteria sets when the benchmark adopted it (a demo commune's own
    adoption stays). By id even for benchmark-only communes: FerretDB answers a delete by `_id` from its index, where
    `delete_many({"tenant": …})` scans the whole collection, every commune's dossiers, once per commune."""
    database = client[DATABASE]
    deleted = await _delete(database[SUBMISSIONS], [d.id for d in commune.dossiers])
    deleted += await _delete(database[REGISTRATIONS], [_registration_id(d) for d in commune.dossiers])
    deleted += await _delete(database[ENTRANTS], [e.id for e in commune.entrants])
    campaign_id = _campaign_id(commune.commune.tenant)
    campaign = await database[CAMPAIGNS].find_one({"_id": campaign_id}, {"adopted_by": 1, "periods": 1})
    if campaign is not None and campaign.get("adopted_by") == OFFICER:
        set_ids = [criteria_set_id(campaign_id, p["code"], g, 1) for p in campaign["periods"] for g in GROUPS]
        deleted += await _delete(database[CRITERIA_SETS], set_ids)
        deleted += await delete_ids(database[CAMPAIGNS], [campaign_id])  # last, as `seed` wrote it last
    return deleted


async def _delete(collection: AsyncCollection[Document], ids: list[str]) -> int:
    """Deletes by id, a few streams at once: each delete waits on its own round trip and commit (about 4 ms
    alone, 2 ms with four at a time)."""
    slices = [ids[start::DELETE_STREAMS] for start in range(DELETE_STREAMS)]
    return sum(await asyncio.gather(*(delete_ids(collection, part) for part in slices if part)))
