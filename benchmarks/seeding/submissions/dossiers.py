"""Seeds the dossiers themselves: each submission after the plan's history (evidence reported as the service checks
it, submitted, returned and corrected, withdrawn), one audit entry and one change nonce per revision."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, cast

from benchmarks.seeding.plan import PROVINCE, Dossier
from benchmarks.seeding.submissions.campaign import Campaign
from benchmarks.seeding.submissions.common import (
    CORRECTED,
    NARRATIVE,
    OFFICER,
    RETURN_REASON,
    RETURNED_AFTER,
    WITHDRAW_REASON,
    WITHDRAWN_AFTER,
    _applied,
)
from submissions.domain import aggregates
from submissions.domain.criteria import CriteriaSetContent, Criterion
from submissions.domain.lifecycle import SubmissionStatus
from submissions.domain.submission import EvidenceInput, check_evidence
from submissions.service.registrations import entrant_ref
from submissions.service.submissions import active_key
from thidua_platform.audit import entry
from thidua_platform.mongo import Document


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
