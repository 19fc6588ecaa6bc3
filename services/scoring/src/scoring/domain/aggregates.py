"""The scoring service's aggregates as they are stored: each TypedDict's keys are a document's fields (docs/adr/0018).

Every aggregate written through the change log also has what it adds: `revision` (set at the insert, so absent from a
document a use case builds before adding it) and `applied_changes` (hidden from every read), and its `audit` trail
(ADR 0011), which lists and pages leave out. Criteria sets, known entrants and index marks are written around the
change log: none.

Nested parts are the shared events' models as `model_dump` leaves them (`stored_*`, repository/documents.py): an
entrant, a criterion's evidence or score, a scoring policy, a council member, the index's settings. Their arrays are
tuples when just dumped and lists once read back, hence `Sequence`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from scoring.domain.lifecycle import AssignmentStatus, ScoreStatus
from thidua_contracts.terms import EntrantKind, TargetGroup

AuditEntry = dict[str, Any]  # who, when, what: `at`, `actor`, `action`, `changes` (thidua_platform.audit builds them)
FinalReason = Literal["all_reviews_in", "nothing_to_review", "period_closed"]


# --- parts: the events' models, dumped -------------------------------------------------------------------------------


class Entrant(TypedDict):
    """`EntrantRef`: who a dossier is about."""

    id: str
    name: str
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: str | None


class Step(TypedDict):
    at_least: float
    points: float


class Attachment(TypedDict):
    id: str
    filename: str
    media_type: str
    size: int
    sha256: str


class Evidence(TypedDict):
    """`CriterionEvidence`: one criterion of a dossier with its rule and what the entrant reported."""

    code: str
    theme: int
    rule: Literal["ratio", "steps", "level", "assessment", "bonus_penalty"]
    max_points: float
    value: float | None
    target: float | None
    title: str
    steps: Sequence[Step]
    points_per_occurrence: float | None
    level: Literal["full", "half", "none"] | None
    occurrences: int | None
    self_points: float | None
    narrative: str | None
    attachments: Sequence[Attachment]


class ScoredCriterion(TypedDict):
    """`CriterionScore`: the points of one criterion and how they were computed."""

    code: str
    theme: int | None
    rule: str
    inputs: dict[str, float]
    max_points: float
    points: float
    explanation: str


class Band(TypedDict):
    minimum: float
    grade: str


class Policy(TypedDict):
    """`ScoringPolicy`: how the dossier's criteria set is scored."""

    aggregation: Literal["mean", "median"]
    reviewers: int
    blind: bool
    grade_bands: Sequence[Band]


class Member(TypedDict):
    """`CouncilMember`: a member of the commune's council and the entrants they may not review."""

    username: str
    unit_entrant_ids: Sequence[str]
    person_entrant_id: str | None
    name: NotRequired[str]  # the standing council's (scoring.domain.standing_council): absent in rosters set before
    position: NotRequired[str]
    council_role: NotRequired[str]


class PillarSettings(TypedDict):
    """`IndexSettings` (scoring.domain.index): the pillars' weights and the themes that feed each."""

    weights: dict[str, float]
    themes: dict[str, Sequence[int]]


# --- aggregates ------------------------------------------------------------------------------------------------------


class Score(TypedDict):
    """`scores`: the provisional score of one submitted version, with the evidence it was computed from; `_id` =
    `version_id(submission_id, submission_version)`."""

    _id: str
    tenant: str
    province: str
    submission_id: str
    submission_version: int
    period: str
    entrant: Entrant
    submitted_by: str
    total: float
    max_total: float
    grade: str
    criteria: list[ScoredCriterion]
    evidence: list[Evidence]
    policy: Policy
    status: ScoreStatus
    computed_at: datetime
    caused_by: str  # the id of the submission event scored
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class Final(TypedDict):
    """`finals`: the final score of one version, `_id` as its provisional score's."""

    _id: str
    tenant: str
    province: str
    submission_id: str
    submission_version: int
    period: str
    entrant: Entrant
    submitted_by: str
    total: float
    max_total: float
    grade: str
    criteria: list[ScoredCriterion]
    reason: FinalReason
    finalised_at: datetime
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class Council(TypedDict):
    """`councils`: a commune's council roster, `_id` = the commune."""

    _id: str
    tenant: str
    province: str | None  # the officer's, as their token names it
    members: list[Member]
    established_by: NotRequired[dict[str, Any] | None]  # as Establishment dumps it (mode="json")
    updated_at: datetime
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class Assignment(TypedDict):
    """`assignments`: a review of one version asked of a council member, `_id` = `<version id>:<reviewer>`."""

    _id: str
    tenant: str
    province: str
    submission_id: str
    submission_version: int
    period: str
    reviewer: str  # the member's username
    status: AssignmentStatus
    assigned_at: datetime
    # each status an assignment moves to by `AssignmentRepository.set_status` is stamped when (not `closed`)
    done_at: NotRequired[datetime]
    recused_at: NotRequired[datetime]
    released_at: NotRequired[datetime]
    superseded_at: NotRequired[datetime]
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class Assessment(TypedDict):
    """`assessments`: a reviewer's points for one criterion of one version, `_id` =
    `<version id>:<reviewer>:<criterion>`."""

    _id: str
    tenant: str
    province: str
    submission_id: str
    submission_version: int
    reviewer: str
    criterion: str  # the criterion's code
    points: float
    comment: str | None
    updated_at: datetime
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class IndexFields(TypedDict):
    """What each computation of a commune's index sets (None: no indicator of the pillar, or none at all)."""

    digital_government: float | None
    digital_economy: float | None
    digital_society: float | None
    overall: float | None
    indicators: int
    computed_at: datetime


class Index(IndexFields):
    """`indexes`: a commune's digital-transformation index of a period, `_id` = `<commune>:<period>`."""

    _id: str
    tenant: str
    province: str
    period: str
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class ProvinceSettings(TypedDict):
    """`index_settings`: the index's settings of a province, `_id` = the province."""

    _id: str
    tenant: None
    province: str
    settings: PillarSettings
    audit: NotRequired[list[AuditEntry]]
    revision: NotRequired[int]
    applied_changes: NotRequired[list[str]]


class CriteriaSet(TypedDict):
    """`criteria_sets`: a published criteria set (`CriteriaSetPublished`, dumped as JSON) kept within its commune,
    under its own id. Replaced as a whole on redelivery: no revision, no audit."""

    _id: str
    tenant: str | None
    province: str | None
    criteria_set_id: str
    campaign_id: str
    period: str
    target_group: TargetGroup
    version: int
    max_total: float
    criteria: list[Evidence]
    policy: Policy


class KnownEntrant(TypedDict):
    """`entrants`: an entrant of a commune as submissions announced it (`EntrantRecorded`), under its own id, so that a
    council roster names only entrants of its commune. Replaced as a whole on redelivery: no revision, no audit."""

    _id: str
    tenant: str
    province: str
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: str | None
    recorded_at: datetime  # the event's time


class IndexMark(TypedDict):
    """`index_queue`: one cause to recompute a commune's index of a period, `_id` = `<commune>:<period>:<cause>`.
    Inserted once, deleted once read: no revision, no audit."""

    _id: str
    tenant: str
    province: str
    period: str
    cause: str  # the id of the event that made the index stale
    cause_type: str  # its type
    traceparent: NotRequired[str | None]  # its trace: the recomputation and its index.computed event continue it
    marked_at: datetime
