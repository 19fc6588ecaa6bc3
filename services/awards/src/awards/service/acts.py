"""What the chairman's two acts share, a decision (quyết định) and a proposal (tờ trình): the signed request, the
candidates each claims, none of them barred, and the recipients it names.

A candidate goes into one act only: each claim is a revision of the candidate, so concurrent acts cannot both take
it, and the loser of a race is refused (409) whether it read the candidate before the winner's claim or after.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from awards.domain.ad_hoc import Round
from awards.domain.aggregates import AwardedDecision, Candidate, ClaimField, Decision, Entrant, Proposal, RecipientRow
from awards.domain.catalogue import round_of
from awards.domain.lifecycle import CandidateStatus
from awards.repository import Repositories
from awards.service.common import distinct
from awards.service.standing import flags_of
from thidua_contracts.awards import AwardRecipient
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.mongo import Document
from thidua_platform.problems import Conflict, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED, ShortText

Act = TypeVar("Act", Decision, Proposal)
NUMBER_PATTERN = r"^[0-9]{1,6}/[0-9A-Za-zĐđ/-]{2,40}$"
CLAIMS: tuple[ClaimField, ...] = ("decision_id", "proposal_id")
CLAIMED_ELSEWHERE = (
    "Đề xuất đã được đưa vào một quyết định hay tờ trình khác / A candidate is already in another decision or proposal"
)


class Signed(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={"examples": [{"number": "125/QĐ-UBND", "signed_on": "2026-12-10"}]},
    )
    number: str = Field(pattern=NUMBER_PATTERN, description="Số văn bản, ví dụ 125/QĐ-UBND / Document number")
    signed_on: date
    signer_name: ShortText
    signer_title: ShortText = "CHỦ TỊCH"


class ActRequest(Protocol):
    """What the request for a decision and for a proposal both name: the number, the form, the period, the
    candidates."""

    @property
    def number(self) -> str: ...
    @property
    def award_form(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def candidate_ids(self) -> tuple[str, ...]: ...


def recipient(candidate_id: str, entrant: Mapping[str, Any], submitted_by: str | None) -> AwardRecipient:
    """A recipient of an award event, its entrant as stored (thidua_platform.text)."""
    return AwardRecipient.model_validate(
        {"candidate_id": candidate_id, "entrant": entrant, "submitted_by": submitted_by}, context=STORED
    )


def recipients_of(candidates: Sequence[Candidate]) -> tuple[AwardRecipient, ...]:
    return tuple(recipient(c["_id"], c["entrant"], c.get("submitted_by")) for c in candidates)


def recipient_rows(candidates: Sequence[Candidate] | Sequence[Document]) -> list[RecipientRow]:
    """The recipients of a decision or proposal (from candidates; the benchmark's seeder passes plain documents); an
    ad-hoc one with its achievement."""
    rows: list[RecipientRow] = []
    for c in candidates:
        row: RecipientRow = {
            "candidate_id": c["_id"],
            "entrant": c["entrant"],
            "submitted_by": c.get("submitted_by"),
            "submission_id": c["submission_id"],
            "total": c["total"],
            "grade": c["grade"],
            "session_id": c.get("session_id"),
        }
        if "ad_hoc" in c:
            row["achievement"] = c["ad_hoc"]["achievement"]
        rows.append(row)
    return rows


def act_round(period: str, candidates: Sequence[Candidate]) -> Round:
    """The round of a decision or proposal: "ad_hoc" when it names ad-hoc candidates (all of them, `take_candidates`
    refuses a mix), the period's round otherwise."""
    return "ad_hoc" if any("ad_hoc" in c for c in candidates) else round_of(period)


def _one_kind(candidates: Sequence[Candidate]) -> None:
    """An act rewards ad-hoc achievements or a round's results, not both: its wording differs (docs/adr/0026)."""
    ad_hoc = [c["_id"] for c in candidates if "ad_hoc" in c]
    if ad_hoc and len(ad_hoc) != len(candidates):
        raise Unprocessable(
            "Không gộp khen thưởng đột xuất với khen thưởng theo đợt trong một văn bản / "
            "Ad-hoc awards and a round's awards go in separate documents",
            errors=[{"field": "candidate_ids", "message": f"{i}: khen thưởng đột xuất / ad-hoc"} for i in ad_hoc],
        )


def replay(existing: Act, request: ActRequest) -> Act:
    """The act already recorded under the request's number, if the request names the same form and candidates (a
    retry); a conflict (409) if the number went to another act."""
    same = existing["award_form"] == request.award_form and sorted(
        r["candidate_id"] for r in existing["recipients"]
    ) == sorted(request.candidate_ids)
    if not same:
        raise Conflict(f"Số văn bản {request.number} đã được dùng / The number is already used")
    return existing


async def take_candidates(
    *,
    repos: Repositories,
    scope: Scope,
    request: ActRequest,
    field: ClaimField,
    claim_id: str,
    move: tuple[CandidateStatus, CandidateStatus],
    actor: str,
) -> list[Candidate]:
    """The act's candidates: each of its form and period, passed by the council (or already claimed by this very
    act, on a retry), none barred by a flag — then claimed for it."""
    ids = distinct(list(request.candidate_ids), "candidate_ids")
    candidates = await _candidates_in(
        repos, scope, ids, form=request.award_form, period=request.period, status=move[0], field="candidate_ids",
        claim=(field, claim_id),
    )  # fmt: skip
    _one_kind(candidates)
    await refuse_barred(repos=repos, scope=scope, entrants={c["_id"]: c["entrant"] for c in candidates})
    await claim(repos=repos, scope=scope, ids=ids, field=field, claim_id=claim_id, move=move, actor=actor)
    return candidates


async def _candidates_in(
    repos: Repositories,
    scope: Scope,
    ids: list[str],
    *,
    form: str,
    period: str,
    status: str,
    field: str,
    claim: tuple[ClaimField, str],
) -> list[Candidate]:
    """The named candidates, each of this form and period and in the status the act needs (422 naming them). One
    already in another decision or proposal is a conflict (409), as when two acts claim it at once (`claim`), so that
    the loser of a race gets the same answer whether it read the candidate before the winner's claim or after."""
    documents = {d["_id"]: d for d in await repos.candidates.named(scope, ids)}
    errors, elsewhere = _sorted_out(documents, ids, form=form, period=period, status=status, field=field, claim=claim)
    if elsewhere and not errors:
        raise Conflict(CLAIMED_ELSEWHERE, candidate_ids=elsewhere)
    errors += [{"field": field, "message": f"{identifier}: {CLAIMED_ELSEWHERE}"} for identifier in elsewhere]
    if errors:
        raise Unprocessable(
            "Có đề xuất chưa được Hội đồng thông qua cho hình thức này / "
            "Some candidates have not been passed by the council for this form",
            errors=errors,
        )
    return [documents[i] for i in ids]


def _sorted_out(
    documents: Mapping[str, Candidate],
    ids: list[str],
    *,
    form: str,
    period: str,
    status: str,
    field: str,
    claim: tuple[ClaimField, str],
) -> tuple[list[dict[str, str]], list[str]]:
    """The errors of the named candidates that do not fit the act, and those another act moved on."""
    errors = []
    elsewhere = []
    for identifier in ids:
        c = documents.get(identifier)
        if c is None or c["award_form"] != form or c["period"] != period:
            errors.append(
                {"field": field, "message": f"{identifier}: không phải đề xuất / not a candidate for {form} {period}"}
            )
        elif c["status"] != status and any(c.get(other) not in (None, claim[1]) for other in CLAIMS):
            elsewhere.append(identifier)  # moved on by another act (a proposal returned keeps its id: not this)
        elif c["status"] != status and c.get(claim[0]) != claim[1]:  # claimed by this very act: a retry
            errors.append(
                {"field": field, "message": f"{identifier}: trạng thái / status {c['status']}, cần / needs {status}"}
            )
    return errors, elsewhere


async def claim(
    *,
    repos: Repositories,
    scope: Scope,
    ids: list[str],
    field: ClaimField,
    claim_id: str,
    move: tuple[CandidateStatus, CandidateStatus],
    actor: str,
) -> None:
    """Claim every candidate for this decision or proposal before it is saved: a candidate goes into one only, even
    under concurrent requests (each claim is a revision of the candidate). A retry of the same act finds its own
    claims; if another act got there first, this one's claims are released and it is refused."""
    at = now()
    taken: list[str] = []
    refused: list[str] = []
    for identifier in ids:
        claimed_entry = audit(actor, "claimed", at, **{field: claim_id, "status": move[1]})
        try:
            claimed = await repos.candidates.claim(
                scope, identifier, field=field, claim_id=claim_id, move=move, audit=claimed_entry
            )
        except Conflict:
            refused.append(identifier)
        else:
            if claimed is not None:
                taken.append(identifier)
    if refused:
        await _release(repos, scope, taken, field=field, claim_id=claim_id, status=move[0], actor=actor, at=at)
        raise Conflict(CLAIMED_ELSEWHERE, candidate_ids=refused)


async def _release(
    repos: Repositories,
    scope: Scope,
    taken: list[str],
    *,
    field: ClaimField,
    claim_id: str,
    status: CandidateStatus,
    actor: str,
    at: datetime,
) -> None:
    """Give back the claims the act took before it was refused, each candidate back in `status`."""
    for identifier in taken:
        released = audit(actor, "released", at, **{field: None, "status": status})
        await repos.candidates.release(scope, identifier, field=field, claim_id=claim_id, status=status, audit=released)


async def refuse_barred(*, repos: Repositories, scope: Scope, entrants: Mapping[str, Entrant]) -> None:
    """Nobody under disciplinary review, investigation or complaint verification may be awarded or proposed
    (NĐ 152/2025): `entrants` holds each candidate's entrant by the candidate's id."""
    flags = await flags_of(repos=repos, scope=scope, entrant_ids=[entrant["id"] for entrant in entrants.values()])
    barred = [(identifier, entrant) for identifier, entrant in entrants.items() if flags.get(entrant["id"])]
    if barred:
        raise Unprocessable(
            "Có đối tượng đang bị xem xét kỷ luật, điều tra, thanh tra, kiểm tra khi có dấu hiệu vi phạm hoặc có khiếu "
            "nại, tố cáo đang được xác minh / Some entrants may not be awarded now",
            errors=[
                {
                    "field": "candidate_ids",
                    "message": f"{identifier}: đang bị / under {', '.join(sorted(flags[entrant['id']]))}",
                }
                for identifier, entrant in barred
            ],
        )


async def move_candidate(
    *,
    repos: Repositories,
    scope: Scope,
    candidate_id: str,
    status: CandidateStatus,
    actor: str,
    at: datetime,
    expect: tuple[str, ...],
    of_proposal: str | None = None,
    claimed_by: tuple[ClaimField, str] | None = None,
    decision: AwardedDecision | None = None,
) -> None:
    """Move a candidate on, only from the statuses the step follows (and, for proposals, only the candidates of
    that proposal), so a repeated or late event never moves it back."""
    fields = {} if decision is None else {"decision": decision}
    await repos.candidates.move_on(
        scope,
        candidate_id,
        status=status,
        expect=expect,
        audit=audit(actor, status, at, **fields),
        of_proposal=of_proposal,
        claimed_by=claimed_by,
        decision=decision,
    )
