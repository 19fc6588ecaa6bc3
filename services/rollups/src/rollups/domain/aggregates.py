"""The rollups' documents as they are stored and read: each TypedDict's keys are a document's fields
(docs/adr/0018).

A fact is stored as the change records events made to it (`rollups.domain.changes`) and read folded: `Fact` is a
folded fact of any kind (a submission, an award to one recipient, a proposal, a commune's index), `FactRecord` one of
its records. Which of a fact's fields are there depends on its kind and on the events applied so far (a submission
only proposed as a candidate has no entrant yet), so every field but those each change sets (`tenant`, `province`,
`period`) is `NotRequired`; the changes' fields themselves are free-form (`Change.fields`), these are the ones the
appliers in `rollups.service.facts` set. A summary (`Summary`) is a commune's figures for a period, computed from
its facts; `Figures` are the figures alone, as `summary.summarise` computes them and `summary.combine` adds them up.

Report jobs are not change-log aggregates, yet each status change counts a `revision` and pushes an `audit` entry
(ADR 0011).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from thidua_contracts.awards import AwardLevel, AwardRound
from thidua_contracts.terms import EntrantKind, TargetGroup

AuditEntry = dict[str, Any]  # who, when, what: `at`, `actor`, `action`, `changes` (thidua_platform.audit builds them)


# --- facts -----------------------------------------------------------------------------------------------------------


class ThemePoints(TypedDict):
    """A scored submission's points in one theme of criteria, and the most it could have had."""

    points: float
    max_points: float


class FactFields(TypedDict):
    """What changes set on a fact: its commune and period always, the rest by kind and event."""

    tenant: str
    province: str
    period: str
    # the entrant: of a submission (its status and score), or of an award's recipient
    entrant_id: NotRequired[str]
    entrant_name: NotRequired[str]
    entrant_kind: NotRequired[EntrantKind]
    target_group: NotRequired[TargetGroup]
    # a submission: its status (submitted, resubmitted, returned, withdrawn), its final score, its candidacy
    status: NotRequired[str]  # also a proposal's: submitted, forwarded_to_central, awarded, rejected, returned
    submitted: NotRequired[int]
    returned: NotRequired[int]
    withdrawn: NotRequired[int]
    scored: NotRequired[int]
    total: NotRequired[float]
    grade: NotRequired[str]
    band: NotRequired[str]
    themes: NotRequired[dict[str, ThemePoints]]  # by theme number
    candidate: NotRequired[int]
    # an award to one recipient (all of these), or a proposal (its form, recipients, level once decided, number)
    award_form: NotRequired[str]
    level: NotRequired[AwardLevel]
    round: NotRequired[AwardRound]
    ad_hoc: NotRequired[bool]  # an ad-hoc award (khen thưởng đột xuất), of the year its period is
    number: NotRequired[str]
    signed_on: NotRequired[str]  # ISO date
    issuer: NotRequired[str]
    recipients: NotRequired[int]
    # a commune's index
    overall: NotRequired[float | None]
    digital_government: NotRequired[float | None]
    digital_economy: NotRequired[float | None]
    digital_society: NotRequired[float | None]
    indicators: NotRequired[int]


class Fact(FactFields):
    """A fact as folded from its records, `_id` the fact's id, with the version of each guard its fields came
    under (`rollups.domain.changes.fold`)."""

    _id: str
    status_rank: NotRequired[float]
    score_version: NotRequired[float]
    step: NotRequired[float]
    computed_at: NotRequired[float]


class FactRecord(FactFields):
    """One change to a fact as stored (`rollups.domain.changes.Change.record`), `_id` derived from what it says."""

    _id: str
    fact: str
    guarded_by: str | None
    version: float


# --- summaries -------------------------------------------------------------------------------------------------------


class GroupFigures(TypedDict):
    scored: int
    points: NotRequired[float]  # absent from summaries made before the sums were kept
    average_score: float | None


class ThemeFigures(TypedDict):
    scored: int
    points: NotRequired[float]  # absent from summaries made before the sums were kept
    max_sum: NotRequired[float]
    average_points: float | None
    max_points: float | None


class AwardCounts(TypedDict):
    total: int
    by_form: dict[str, int]
    by_level: dict[str, int]
    by_kind: dict[str, int]
    ad_hoc: NotRequired[int]  # of the total, ad-hoc awards (khen thưởng đột xuất); summaries made before lack it


class IndexFigures(TypedDict):
    overall: float | None
    digital_government: float | None
    digital_economy: float | None
    digital_society: float | None


class Figures(TypedDict):
    """A commune's figures for a period (`summary.summarise`), or several of them added up (`summary.combine`)."""

    scored: int
    points: float
    average_score: float | None
    grades: dict[str, int]
    bands: dict[str, int]
    groups: dict[str, GroupFigures]  # by target group
    themes: dict[str, ThemeFigures]  # by theme number
    awards: AwardCounts
    proposals: dict[str, int]  # by status
    pending_upward: int
    index: IndexFigures | None
    in_progress: dict[str, int]  # submitted, returned, withdrawn, awaiting_score, candidates


class Summary(Figures):
    """A commune's figures for a period as stored (`summaries`), `_id` "<tenant>|<period>"."""

    _id: str
    tenant: str
    province: str
    period: str
    refreshed_at: NotRequired[datetime]  # left out of what a rebuild's digest compares


class DirtyMarker(TypedDict):
    """A summary to recompute (`dirty`), `_id` the summary's; `marks` counts how often it was marked."""

    _id: str
    tenant: str
    province: str
    period: str
    marked_at: datetime
    marks: int


class Freshness(TypedDict):
    """When the last event applied was made, and when it was applied (`freshness`, `_id` "events")."""

    _id: str
    last_event_time: datetime
    last_applied_at: datetime


# --- reports ---------------------------------------------------------------------------------------------------------


class ReportJob(TypedDict):
    """A report asked for, with its progress (`report_jobs`)."""

    _id: str
    kind: Literal["commune", "province"]
    code: str  # the commune's tenant or the province's code
    period: str
    tenant: str | None
    province: str | None
    letterhead: dict[str, Any]  # thidua_commons.documents.model.Letterhead's fields
    status: str  # queued, running, ready, failed
    progress: int
    step: str
    requested_by: str  # the username
    finalised_only: bool
    created_at: datetime
    finished_at: datetime | None
    error: str | None
    files: list[str]
    revision: int
    audit: list[AuditEntry]


# --- a commune's entrants, in the order pages show them --------------------------------------------------------------


class AwardShown(TypedDict):
    award_form: str
    level: AwardLevel | None
    number: str | None


class EntrantShown(TypedDict):
    """What a commune's entrants' page shows of a submission."""

    _id: str  # the submission's id
    period: str | None
    entrant_id: str | None
    entrant_name: str | None
    entrant_kind: str | None
    target_group: str | None
    status: str | None
    total: float | None
    grade: str | None


class ListingRow(EntrantShown):
    """One submission of a commune's period as its entrants' page shows it, written when the period's summary is
    recomputed, with the order pages list it in as fields of its own (`rollups.domain.listing.best_first`): those
    without a final score after those with one (`unscored`), the best total first (`rank_total`, the total negated),
    then by entrant name (`name_key`) and id. An index on them serves a page by an index walk, and a row is rewritten
    only when its own submission changes (ADR 0010, amended)."""

    tenant: str
    province: str
    finalised: bool
    unscored: bool
    rank_total: float
    name_key: str
    awards: list[AwardShown]


class OverallIndex(TypedDict):
    overall: NotRequired[float | None]


class Standing(TypedDict):
    """A summary as far as ranking communes needs it (a projection of `Summary`)."""

    _id: str
    tenant: str
    period: str
    scored: int
    points: float
    index: NotRequired[OverallIndex | None]
