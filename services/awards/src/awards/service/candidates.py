"""The candidate list: computed from final scores by the form's rule, then reviewed by the commune officer."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from awards.domain.aggregates import Candidate, Computed, OfficerReview, RuleVerdict, Score, ScoreFields
from awards.domain.catalogue import FORMS, FormCode, round_of
from awards.domain.lifecycle import OPEN_TO_REVIEW
from awards.domain.rules import FLAG_NAMES, Scored, evaluate, rule_for
from awards.repository import Repositories
from awards.service.common import entrant_of, event, field_error, found
from awards.service.intake import add_or_refresh_candidate, candidate, new_candidate, newer_score
from awards.service.province_rules import effective_rules
from awards.service.standing import flags_of, history_of
from thidua_contracts.awards import AwardCandidateReviewed
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import TextRule

# A reason is typed in a text area: line breaks are kept, other control characters refused.
Reason = Annotated[str, TextRule(max_length=300)]


class EvaluateRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    award_form: FormCode


class ReviewRequest(BaseModel):
    """Keep a candidate on the list or take them off, always with a reason (ghi rõ lý do)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    included: bool
    reason: Reason


class AddRequest(BaseModel):
    """Put an entrant on a form's list by hand, e.g. one tied at the quota's cutoff, with the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    submission_id: str = Field(min_length=1, max_length=100)
    award_form: FormCode
    reason: Reason


async def latest_scores(*, repos: Repositories, scope: Scope, period: str) -> list[Score]:
    """The newest final score of every entrant of the period."""
    newest: dict[str, Score] = {}
    for score in await repos.scores.find(scope, {"period": period}, limit=100_000, sort=("finalised_at", 1)):
        newest[score["entrant"]["id"]] = score
    return list(newest.values())


def score_fields(score: Score) -> ScoreFields:
    return {
        "entrant": score["entrant"],
        "submission_id": score["_id"],
        "submission_version": score["version"],
        "submitted_by": score["submitted_by"],
        "total": score["total"],
        "grade": score["grade"],
    }


async def evaluate_list(
    *, repos: Repositories, principal: Principal, scope: Scope, request: EvaluateRequest
) -> list[dict[str, Any]]:
    """Apply the form's rule to every final score of the period. New eligible entrants become candidates; those the
    rule now leaves out (quota, flags) are taken off unless the officer put them there by hand."""
    assert scope.tenant is not None
    assert scope.province is not None
    rule = rule_for(
        await effective_rules(repos=repos, province=scope.province), request.award_form, round_of(request.period)
    )
    if rule is None:
        raise field_error(
            "award_form",
            "không xét trong đợt này / not awarded in this round",
            "Hình thức này không xét trong đợt này / Not awarded in this round",
        )
    scores = await latest_scores(repos=repos, scope=scope, period=request.period)
    ids = [s["entrant"]["id"] for s in scores]
    flags = await flags_of(repos=repos, scope=scope, entrant_ids=ids)
    verdicts = evaluate(
        rule,
        [Scored(entrant=entrant_of(s), total=s["total"], grade=s["grade"]) for s in scores],
        flags=flags,
        history=await history_of(repos=repos, scope=scope, entrant_ids=ids),
        period=request.period,
    )
    at = now()
    existing = {
        c["entrant"]["id"]: c
        for c in await repos.candidates.of_the_rounds(
            scope, period=request.period, award_form=request.award_form, limit=100_000
        )
    }
    answer = []
    for score in scores:
        verdict = verdicts[score["entrant"]["id"]]
        computed: RuleVerdict = {"eligible": verdict.eligible, "reasons": list(verdict.reasons), "rank": verdict.rank}
        fields = score_fields(score)
        current = existing.get(score["entrant"]["id"])
        if verdict.eligible and current is None:
            by = audit(principal.user_id, "evaluated", at, status="under_review", eligible=True, rank=verdict.rank)
            document, proposed = new_candidate(scope, request.period, request.award_form, fields, at=at, by=by)
            document["computed"] = {**computed, "at": at}
            await add_or_refresh_candidate(repos=repos, scope=scope, document=document, events=[proposed])
        elif current is not None and _needs_update(current, fields, computed):
            barred = bool(flags.get(score["entrant"]["id"]))
            await _apply_verdict(repos, scope, principal, current["_id"], fields, {**computed, "at": at}, barred=barred)
        answer.append({"entrant": score["entrant"], "total": score["total"], "grade": score["grade"], **computed})
    return answer


def _needs_update(current: Candidate, fields: ScoreFields, computed: RuleVerdict) -> bool:
    """Only candidates still open to review whose score or verdict changed are written (the list can be long)."""
    if current["status"] not in OPEN_TO_REVIEW:
        return False
    before = {k: v for k, v in (current.get("computed") or {}).items() if k != "at"}
    return (
        before != computed
        or current["submission_id"] != fields["submission_id"]
        or (current["submission_version"] != fields["submission_version"])
    )


async def _apply_verdict(
    repos: Repositories,
    scope: Scope,
    principal: Principal,
    identifier: str,
    score: ScoreFields,
    computed: Computed,
    *,
    barred: bool,
) -> None:
    """Record the verdict; an entrant the rule now leaves out comes off the list, unless the officer put them there
    by hand — but never one barred by discipline, investigation or complaint."""

    def changes(current: Candidate) -> dict[str, Any]:
        update: dict[str, Any] = {
            **(newer_score(current, score) or {}),
            "computed": computed,
            "updated_at": computed["at"],
        }
        officer_review = current.get("officer_review")
        by_hand = officer_review["included"] if officer_review else None
        if not computed["eligible"] and (barred or by_hand is not True) and current["status"] == "under_review":
            update["status"] = "excluded"
        elif computed["eligible"] and by_hand is not False and current["status"] == "excluded":
            update["status"] = "under_review"  # e.g. a flag was lifted; the officer's own removal stands
        return update

    audit_entry = audit(
        principal.user_id, "evaluated", computed["at"], eligible=computed["eligible"], rank=computed["rank"]
    )
    await repos.candidates.record_verdict(scope, identifier, changes=changes, audit=audit_entry)


async def list_candidates(
    *,
    repos: Repositories,
    scope: Scope,
    period: str | None,
    award_form: str | None,
    status: str | None,
    paging: PageRequest,
) -> tuple[list[Candidate], int]:
    """A page of the candidates in scope, highest total first (equal totals in the order of their ids)."""
    query = {k: v for k, v in (("period", period), ("award_form", award_form), ("status", status)) if v is not None}
    return await repos.candidates.page(scope, query, skip=paging.skip, limit=paging.page_size, sort=("total", -1))


async def review(
    *, repos: Repositories, principal: Principal, scope: Scope, identifier: str, request: ReviewRequest
) -> Candidate:
    at = now()
    found(await repos.candidates.get(scope, identifier), "đề xuất / candidate")
    if request.included:
        await _refuse_barred(repos, scope, identifier)

    def reviewed(current: Candidate) -> Envelope:
        if current["status"] not in OPEN_TO_REVIEW:
            raise Conflict(
                "Danh sách đã trình Hội đồng, không sửa được / The candidate is already before the council",
                status_now=current["status"],
            )
        return event(
            AwardCandidateReviewed(
                candidate_id=identifier,
                period=current["period"],
                entrant=entrant_of(current),
                award_form=current["award_form"],
                included=request.included,
                reason=request.reason,
                reviewed_by=principal.user_id,
            ),
            scope=scope,
            subject=identifier,
        )

    note: OfficerReview = {"included": request.included, "reason": request.reason, "by": principal.user_id, "at": at}
    revised = await repos.candidates.record_review(
        scope, identifier, note=note, audit=audit(principal.user_id, "reviewed", at, **note), reviewed=reviewed
    )
    return found(revised, "đề xuất / candidate")


async def _refuse_barred(repos: Repositories, scope: Scope, identifier: str) -> None:
    """The law, not the officer, bars people under disciplinary review, investigation or complaint verification."""
    current = found(await repos.candidates.get(scope, identifier), "đề xuất / candidate")
    flags = (await flags_of(repos=repos, scope=scope, entrant_ids=[current["entrant"]["id"]])).get(
        current["entrant"]["id"], frozenset()
    )
    if flags:
        raise Unprocessable(
            "Đối tượng không được đề nghị khen thưởng / The entrant may not be proposed: "
            + "; ".join(FLAG_NAMES[f] for f in sorted(flags)),
            errors=[
                {"field": "included", "message": "đối tượng đang bị / the entrant is under " + ", ".join(sorted(flags))}
            ],
        )


async def add(*, repos: Repositories, principal: Principal, scope: Scope, request: AddRequest) -> Candidate:
    assert scope.tenant is not None
    score = await repos.scores.get(scope, request.submission_id)
    if score is None:
        raise field_error(
            "submission_id",
            "chưa có điểm chính thức / no final score yet",
            "Hồ sơ chưa có điểm chính thức / The dossier has no final score yet",
        )
    form = FORMS[request.award_form]
    assert scope.province is not None
    if (
        rule_for(await effective_rules(repos=repos, province=scope.province), form.code, round_of(score["period"]))
        is None
    ):
        raise field_error(
            "award_form",
            "không xét trong đợt này / not awarded in this round",
            f"{form.name} không xét trong đợt này / Not awarded in this round",
        )
    if score["entrant"]["kind"] not in form.recipient_kinds:
        raise field_error(
            "award_form",
            "không dành cho loại đối tượng này / not for this kind of entrant",
            f"{form.name}: sai loại đối tượng / not for this kind of entrant",
        )
    if (await flags_of(repos=repos, scope=scope, entrant_ids=[score["entrant"]["id"]])).get(score["entrant"]["id"]):
        raise field_error(
            "submission_id",
            "đối tượng đang bị hạn chế / the entrant is barred",
            "Đối tượng không được đề nghị khen thưởng / The entrant may not be proposed",
        )
    fields = score_fields(score)
    at = now()
    by = audit(principal.user_id, "added", at, status="excluded", submission_id=request.submission_id)
    document = candidate(scope, score["period"], request.award_form, score=fields, status="excluded", at=at, by=by)
    await add_or_refresh_candidate(repos=repos, scope=scope, document=document)
    return await review(
        repos=repos,
        principal=principal,
        scope=scope,
        identifier=document["_id"],
        request=ReviewRequest(included=True, reason=request.reason),
    )
