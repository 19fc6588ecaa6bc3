"""The submissions service's aggregates as they are stored: each TypedDict's keys are the document's fields
(docs/adr/0018). The repositories read and write these, and mypy checks every key a use case reads.

Every aggregate carries what ChangeLog and ScopedRepository add: `revision` (set at the insert, so absent from a
document a use case builds before adding it), `applied_changes` (hidden from every read) and the `audit` trail (left
out of lists and pages). Criteria set contents and adaptation limits are pydantic models' dumps, read back only
through their models (`CriteriaSetContent`, `AdaptationLimits`), so their keys are the models' to check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from submissions.domain.periods import PeriodKind
from thidua_contracts.terms import EntrantKind, TargetGroup

AuditEntry = dict[str, Any]  # thidua_platform.audit.entry(): at, actor, action and the fields the change set
CriteriaSetContentDump = dict[str, Any]  # CriteriaSetContent.model_dump(), read back with model_validate
AdaptationLimitsDump = dict[str, Any]  # AdaptationLimits.model_dump(), read back with model_validate
TemplateStatus = Literal["draft", "published"]
SubmissionStatusValue = Literal["draft", "submitted", "returned", "resubmitted", "withdrawn"]  # SubmissionStatus


class CampaignPeriod(TypedDict):
    """A period of a template or a campaign: `Period.model_dump()`, its window the commune's once it sets it."""

    code: str
    kind: PeriodKind
    year: int
    opens_at: datetime
    closes_at: datetime


class Template(TypedDict):
    """A province's campaign template (`campaign_templates`): no commune's (`tenant` is None)."""

    _id: str
    tenant: None
    province: str
    code: str
    name: str
    status: TemplateStatus
    periods: list[CampaignPeriod]
    limits: AdaptationLimitsDump
    criteria_sets: dict[str, CriteriaSetContentDump]  # per target group
    created_by: str
    created_at: datetime
    published_at: NotRequired[datetime]
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class Campaign(TypedDict):
    """A commune's campaign (`campaigns`), adopted from its province's published template."""

    _id: str
    tenant: str
    province: str
    template_id: str
    code: str
    name: str
    periods: list[CampaignPeriod]
    limits: AdaptationLimitsDump
    base_sets: dict[str, CriteriaSetContentDump]  # the template's criteria sets, per target group
    adopted_by: str
    created_at: datetime
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class CriteriaSet(TypedDict):
    """A version of a (campaign, period, target group) criteria set (`criteria_sets`); frozen once a dossier uses
    it, adapted in place until then (`updated_at`)."""

    _id: str
    tenant: str
    province: str
    campaign_id: str
    period: str
    target_group: TargetGroup
    version: int
    frozen: bool
    content: CriteriaSetContentDump
    created_by: str
    created_at: datetime
    updated_at: NotRequired[datetime]
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class Entrant(TypedDict):
    """A collective or an individual of a commune (`entrants`): `NewEntrant`'s fields, unique by `natural_key`."""

    _id: str
    tenant: str
    province: str
    natural_key: str
    name: str
    kind: EntrantKind
    target_group: TargetGroup
    unit_type: str | None
    unit_id: str | None  # an individual's collective
    position: str | None
    focal_users: list[str]  # a collective's focal officers (cán bộ đầu mối), by username
    created_by: str
    created_at: datetime
    # when `entrant.recorded` was written to the outbox: at the insert, or by the worker's announcement of an entrant
    # created before the event existed (absent until then)
    announced_at: NotRequired[datetime]
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class EntrantSnapshot(TypedDict):
    """The entrant as a registration, a dossier or an attachment keeps it: `EntrantRef.model_dump()`."""

    id: str
    name: str
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: str | None


class Registration(TypedDict):
    """An entrant's registration for a period (`registrations`), with its own targets per criterion code."""

    _id: str
    tenant: str
    province: str
    campaign_id: str
    period: str
    entrant: EntrantSnapshot
    targets: dict[str, float]
    registered_by: str
    created_at: datetime
    idempotency_fingerprint: NotRequired[str]  # made under an Idempotency-Key
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class AttachmentRef(TypedDict):
    """A file attached to a criterion of a dossier, as the dossier's evidence lists it."""

    id: str
    filename: str
    media_type: str
    size: int
    sha256: str


class Evidence(TypedDict):
    """What was reported for one criterion (`EvidenceInput`'s fields that were given) and its files. Every key may
    be absent: `{}` stands for a criterion nothing was reported for."""

    value: NotRequired[float]
    level: NotRequired[Literal["full", "half", "none"]]
    occurrences: NotRequired[int]
    narrative: NotRequired[str]
    self_points: NotRequired[float]
    attachments: NotRequired[list[AttachmentRef]]


class CriteriaSetRef(TypedDict):
    """The criteria set version a dossier is assessed against."""

    id: str
    version: int


class CorrectionReason(TypedDict):
    """Why an officer returned a dossier: for one criterion (`code`) or in general (None)."""

    code: str | None
    reason: str


class CompletenessCheck(TypedDict):
    """The commune officer's completeness check: the criteria still missing what their rule needs."""

    complete: bool
    missing: list[str]
    checked_by: str
    checked_at: datetime


class Submission(TypedDict):
    """A dossier (`submissions`): one entrant's for one period, its evidence per criterion code and its status;
    `active_key` holds the entrant's period while it is not withdrawn."""

    _id: str
    tenant: str
    province: str
    campaign_id: str
    period: str
    entrant: EntrantSnapshot
    criteria_set: CriteriaSetRef
    evidence: dict[str, Evidence]  # per criterion code
    themes: list[int]  # the themes evidence was reported for
    status: SubmissionStatusValue
    version: int  # how many times it was submitted
    active_key: str
    return_reasons: list[CorrectionReason]
    created_by: str
    created_at: datetime
    updated_at: datetime
    submitted_at: NotRequired[datetime]
    submitted_by: NotRequired[str]
    returned_at: NotRequired[datetime]
    withdrawn_at: NotRequired[datetime]
    completeness: NotRequired[CompletenessCheck]
    idempotency_fingerprint: NotRequired[str]  # made under an Idempotency-Key
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class Attachment(AttachmentRef):
    """An uploaded evidence file's record (`attachments`): its reference as the dossier lists it, where it was
    attached, and how many chunks hold its bytes."""

    _id: str  # the reference's `id`
    tenant: str
    province: str
    submission_id: str
    entrant: EntrantSnapshot
    criterion: str
    chunks: int
    uploaded_by: str
    created_at: datetime
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]
