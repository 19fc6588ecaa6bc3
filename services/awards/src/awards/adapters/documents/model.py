"""Input data of the awards documents: frozen dataclasses holding already-decided facts (all text is plain str)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from thidua_commons.documents.model import Letterhead, Signature

BallotMode = Literal["secret", "open"]
Vote = Literal["yes", "no", "abstain"]


@dataclass(frozen=True)
class MinutesMember:
    name: str
    present: bool
    role: str = ""  # e.g. "Chủ tịch Hội đồng"


@dataclass(frozen=True)
class MinutesResult:
    candidate: str
    group: str
    award_form: str
    total: float | None  # None: an ad-hoc candidate, shown with its achievement
    yes: int
    no: int
    abstain: int
    recused: int
    passed: bool
    achievement: str = ""  # an ad-hoc candidate's (khen thưởng đột xuất)


@dataclass(frozen=True)
class MinutesVote:
    """One member's vote on one candidate; only rendered for open ballots."""

    member: str
    candidate: str
    vote: str  # "yes" | "no" | "abstain"


@dataclass(frozen=True)
class MinutesData:
    letterhead: Letterhead
    title: str  # subtitle under "BIÊN BẢN", e.g. "Họp Hội đồng Thi đua - Khen thưởng xã Liên Minh"
    held_at: datetime  # a naive value is taken as Vietnam time (UTC+7)
    location: str
    chaired_by: Signature  # title = the chair's position, e.g. "Chủ tịch UBND xã, Chủ tịch Hội đồng"
    secretary: Signature | None
    members: tuple[MinutesMember, ...]
    quorum_required: int
    ballot_mode: BallotMode
    pass_rule: str  # human text, e.g. "trên 50% tổng số thành viên Hội đồng"
    results: tuple[MinutesResult, ...]
    votes: tuple[MinutesVote, ...]
    number: str = ""
    paper: bool = False  # a secret vote on paper ballots, counted by the committee
    counting_committee: tuple[str, ...] = ()  # Ban kiểm phiếu by name, its head first
    ballot_count: tuple[int, int, int] | None = None  # papers issued, returned, valid
    written_opinions: tuple[str, ...] = ()  # absent members who sent a written opinion, by name
    quorum_share: float | None = None  # the province's share the session was convened with (ADR 0028), e.g. 2/3
    ad_hoc: bool = False  # a session on ad-hoc candidates: their achievements, no scores


@dataclass(frozen=True)
class DecisionRecipient:
    name: str
    kind: str  # e.g. "Tập thể", "Cá nhân"
    unit: str
    achievement: str
    amount: int | None = None  # the prize in đồng, when the decision pays one


@dataclass(frozen=True)
class PrizeRate:
    """What each recipient of a kind gets: "mỗi tập thể được thưởng 710.000 đồng (0,3 lần mức lương cơ sở)"."""

    kind: str  # "tập thể", "cá nhân"
    amount: int
    coefficient: float


@dataclass(frozen=True)
class DecisionPrizeData:
    """The prize money the decision pays (Điều 2), its total and where it is paid from."""

    rates: tuple[PrizeRate, ...]
    total: int
    source: str = "Quỹ thi đua, khen thưởng của xã"


@dataclass(frozen=True)
class DecisionData:
    letterhead: Letterhead
    number: str  # e.g. "125/QĐ-UBND"
    signed_on: date
    award_form: str  # e.g. "Giấy khen của Chủ tịch Ủy ban nhân dân xã"
    period_label: str  # e.g. "năm 2025"
    recipients: tuple[DecisionRecipient, ...]
    signer: Signature
    basis: tuple[str, ...] = ()  # "Căn cứ ..." lines; empty means the default legal basis
    ad_hoc: bool = False  # khen thưởng đột xuất: each recipient's achievement instead of a period's results
    prize: DecisionPrizeData | None = None  # None: a decision stored before prize money, "theo quy định hiện hành"


@dataclass(frozen=True)
class ProposalLetterData:
    letterhead: Letterhead
    number: str  # e.g. "45/TTr-UBND"
    signed_on: date
    addressee: str  # e.g. "Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình"
    award_form: str
    period_label: str
    session_held_on: date | None
    session_summary: str  # e.g. "9/9 thành viên có mặt, bỏ phiếu kín, 100% đồng ý"
    recipients: tuple[DecisionRecipient, ...]
    signer: Signature
    # a central form: whom the province chairman is asked to propose it to (e.g. "Thủ tướng Chính phủ")
    proposed_to: str | None = None
    ad_hoc: bool = False


@dataclass(frozen=True)
class ReportCriterion:
    code: str
    title: str
    points: float
    max_points: float
    explanation: str


@dataclass(frozen=True)
class ReportEvidence:
    criterion: str
    filename: str
    media_type: str
    sha256: str  # hex digest; the report shows its first 12 characters


@dataclass(frozen=True)
class AdHocReport:
    """An ad-hoc achievement (khen thưởng đột xuất): what was done, when, and the documents it rests on."""

    achievement: str
    achieved_on: date
    evidence: tuple[tuple[str, str], ...]  # (title, reference)


@dataclass(frozen=True)
class AchievementReportData:
    letterhead: Letterhead
    entrant: str
    kind: str
    unit: str
    period_label: str
    total: float
    max_total: float
    grade: str
    criteria: tuple[ReportCriterion, ...]
    evidence: tuple[ReportEvidence, ...]
    signer: Signature
    signed_on: date
    ad_hoc: AdHocReport | None = None  # then no score: total, max_total, grade and criteria are not shown


__all__ = [
    "AchievementReportData",
    "AdHocReport",
    "BallotMode",
    "DecisionData",
    "DecisionPrizeData",
    "DecisionRecipient",
    "Letterhead",
    "MinutesData",
    "MinutesMember",
    "MinutesResult",
    "MinutesVote",
    "PrizeRate",
    "ProposalLetterData",
    "ReportCriterion",
    "ReportEvidence",
    "Signature",
    "Vote",
]
