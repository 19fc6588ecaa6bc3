"""Response shapes of the awards API: what each reader needs, nothing internal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, Self, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from awards.domain.aggregates import Session
from awards.domain.ballot_box import ballot_count, voters_of
from awards.domain.council import SessionMember
from awards.domain.lifecycle import PROPOSAL_STATUS_NAMES, STATUS_NAMES
from awards.domain.past_forms import HistoryLevel
from awards.domain.rules import AwardRule, StoredFlag
from thidua_contracts.awards import SessionCandidateResult
from thidua_contracts.terms import EntrantKind, EntrantRef
from thidua_platform.pagination import Page, PageRequest
from thidua_platform.text import STORED


class _View(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status_names: ClassVar[dict[str, str]] = {}

    @classmethod
    def of(cls, document: Mapping[str, Any], **extra: Any) -> Self:
        """The stored aggregate as this view, its text as stored (thidua_platform.text); a view with statuses also gets
        the status's name."""
        if cls.status_names:
            extra = {"status_name": cls.status_names.get(document["status"], ""), **extra}
        return cls.model_validate({**document, "id": document["_id"], **extra}, context=STORED)


class AuditEntry(_View):
    at: datetime
    actor: str
    action: str
    changes: dict[str, Any]


class FormView(BaseModel):
    code: str
    name: str
    name_en: str
    recipient_kinds: list[str]
    level: str
    decided_by: str
    rounds: list[str]
    proposed_to: str | None = None  # a central form: whom the province chairman proposes it to


class Catalogue(BaseModel):
    forms: list[FormView]
    rounds: dict[str, str]


class RuleList(BaseModel):
    items: list[AwardRule]


class Computed(_View):
    eligible: bool
    reasons: list[str]
    rank: int | None


class EvidenceView(BaseModel):
    title: str
    reference: str | None


class AdHocView(BaseModel):
    """What an ad-hoc candidate (khen thưởng đột xuất) stands on instead of a score."""

    achievement: str
    achieved_on: date
    evidence: list[EvidenceView]
    proposed_by: str


class CandidateView(_View):
    id: str
    tenant: str
    period: str = Field(description="Kỳ; đề xuất đột xuất: năm của thành tích / An ad-hoc candidate's: its year")
    round: str
    award_form: str
    entrant: EntrantRef
    submission_id: str | None = Field(description="Không có với đề xuất đột xuất / None for an ad-hoc candidate")
    submission_version: int | None
    total: float | None
    grade: str | None
    ad_hoc: AdHocView | None = None
    status: str
    status_name: str = ""
    computed: Computed | None = None
    officer_review: dict[str, Any] | None = None
    council: dict[str, Any] | None = None
    session_id: str | None = None
    proposal_id: str | None = None
    decision: dict[str, Any] | None = None
    updated_at: datetime
    audit: list[AuditEntry] = []
    status_names: ClassVar[dict[str, str]] = STATUS_NAMES


class Evaluation(_View):
    entrant: EntrantRef
    total: float
    grade: str
    eligible: bool
    reasons: list[str]
    rank: int | None


class EvaluationList(BaseModel):
    items: list[Evaluation]


class StandingView(_View):
    entrant: EntrantRef
    flags: list[StoredFlag]  # a legacy "inspection" reads as "investigation"
    note: str | None
    updated_at: datetime
    audit: list[AuditEntry] = []


class Recusal(BaseModel):
    member: str
    reason: str


class SessionCandidate(_View):
    candidate_id: str
    entrant: EntrantRef
    award_form: str
    total: float | None
    grade: str | None
    achievement: str | None = Field(default=None, description="Thành tích đột xuất / An ad-hoc achievement")
    recused: list[Recusal]


class BallotView(BaseModel):
    member: str
    at: datetime
    in_writing: bool = Field(default=False, description="Ý kiến bằng văn bản / A written opinion of an absent member")
    votes: list[dict[str, Any]] | None = Field(default=None, description="Chỉ với biểu quyết công khai / Open only")


class BallotCountView(BaseModel):
    issued: int
    returned: int
    valid: int


class SessionResult(SessionCandidateResult):
    """The event's result of one candidate, and what it was measured against."""

    base: int
    pass_rule: str


class SessionView(_View):
    id: str
    tenant: str
    period: str
    round: str
    title: str
    held_at: datetime
    location: str
    ballot_mode: str
    counting: str = "electronic"
    counting_committee: list[str] = []
    ballot_count: BallotCountView | None = Field(
        default=None, description="Khi đã kết thúc / Once closed: phiếu phát ra, thu về, hợp lệ"
    )
    quorum_share: float
    quorum_required: int | None = None
    members: list[SessionMember]
    chair: str
    secretary: str | None
    status: str
    present: list[str]
    candidates: list[SessionCandidate]
    ballots: list[BallotView]
    results: list[SessionResult]
    audit: list[AuditEntry] = []

    @classmethod
    def of(cls, document: Mapping[str, Any], **extra: Any) -> Self:
        """Who voted; how, for an open vote only (a secret one keeps no paper: awards.domain.ballot_box)."""
        session = cast(Session, document)
        papers = {b["member"]: b["votes"] for b in document["ballots"]} if document["ballot_mode"] == "open" else {}
        ballots = [
            {
                "member": v["member"],
                "at": v["at"],
                "in_writing": v.get("in_writing", False),
                "votes": papers.get(v["member"]),
            }
            for v in voters_of(session)
        ]
        counted = ballot_count(session) if session["status"] == "closed" else None
        return super().of(document, ballots=ballots, ballot_count=counted, **extra)


class Recipient(_View):
    candidate_id: str
    entrant: EntrantRef
    total: float | None
    grade: str | None
    achievement: str | None = Field(default=None, description="Thành tích đột xuất / An ad-hoc achievement")
    session_id: str | None = None
    amount: int | None = Field(default=None, description="Tiền thưởng, đồng / The prize in đồng (decisions)")


class PrizeView(BaseModel):
    """What a decision pays, as computed when it was signed."""

    base_salary: int
    base_salary_from: date
    rounding_unit: int
    coefficients: dict[str, float]
    amounts: dict[str, int]
    total: int


class DecisionView(_View):
    id: str
    tenant: str
    number: str
    signed_on: date
    signer_name: str
    signer_title: str
    issuer: str
    award_form: str
    period: str
    round: str
    recipients: list[Recipient]
    created_at: datetime
    prize: PrizeView | None = Field(default=None, description="Tiền thưởng / Prize money (none before it existed)")
    pdf: str = Field(default="", description="Quyết định kèm danh sách (PDF) / The decision document")
    payments: str | None = Field(default=None, description="Danh sách chi (Excel) / The payment list")
    audit: list[AuditEntry] = []

    @classmethod
    def of(cls, document: Mapping[str, Any], **extra: Any) -> Self:
        base = f"/decisions/{document['_id']}"
        payments = f"{base}/payments.xlsx" if document.get("prize") else None
        return super().of(document, pdf=f"{base}/document.pdf", payments=payments, **extra)


class ProposalView(_View):
    id: str
    tenant: str
    number: str
    signed_on: date
    signer_name: str
    signer_title: str
    addressee: str
    award_form: str
    period: str
    round: str
    level: str
    status: str
    status_name: str = ""
    recipients: list[Recipient]
    province_outcome: dict[str, Any] | None = None
    central_outcome: dict[str, Any] | None = None
    created_at: datetime
    audit: list[AuditEntry] = []
    status_names: ClassVar[dict[str, str]] = PROPOSAL_STATUS_NAMES


class DossierDocument(BaseModel):
    kind: str
    title: str
    href: str


class DossierEvidence(BaseModel):
    entrant: str
    criterion: str
    filename: str
    media_type: str
    sha256: str


class Dossier(BaseModel):
    proposal_id: str
    documents: list[DossierDocument]
    evidence: list[DossierEvidence]


class HistoryView(_View):
    id: str
    entrant: EntrantRef
    award_form: str
    award_name: str
    period: str
    round: str
    level: str
    track: str
    decision: dict[str, str]
    source: dict[str, str]
    recorded_at: datetime
    ad_hoc: bool = Field(default=False, description="Khen thưởng đột xuất / An ad-hoc award")
    achievement: str | None = None


class ShowcaseItem(_View):
    """A published award as the whole province reads it: the entrant's name and nothing else personal."""

    id: str = Field(description="Mã mục trong lịch sử khen thưởng / The history entry's id")
    tenant: str = Field(description="Mã xã / The commune's code")
    entrant_name: str
    entrant_kind: EntrantKind
    award_form: str
    award_name: str
    level: HistoryLevel
    period: str
    decision_number: str
    decision_signed_on: date
    title: str
    story: str
    published_at: datetime


V = TypeVar("V", bound=_View)


def page_of(view: type[V], found: tuple[Sequence[Mapping[str, Any]], int], paging: PageRequest) -> Page[V]:
    """A page of aggregates and how many match in all, as the list answers them."""
    documents, total = found
    return Page(items=[view.of(d) for d in documents], total=total, page=paging.page, page_size=paging.page_size)
