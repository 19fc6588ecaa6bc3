"""Ad-hoc awards (khen thưởng đột xuất): the commune officer proposes, at any time, an entrant of the commune for an
outstanding achievement, with its evidence; the candidate then goes through the council and the chairman's decision
(or a proposal upward) as the rounds' candidates do (docs/adr/0026)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from awards.domain.ad_hoc import AD_HOC_FORMS, FIRST_YEAR, LAST_YEAR, council_rule, period_of
from awards.domain.aggregates import AdHocAchievement, Candidate, Entrant
from awards.domain.catalogue import FORMS, FormCode
from awards.domain.rules import FLAG_NAMES, AwardRule
from awards.repository import Repositories
from awards.service.common import field_error
from awards.service.standing import flags_of
from thidua_contracts.terms import EntrantKind, TargetGroup
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import derived_id
from thidua_platform.problems import NotFound, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText, TextRule

VIETNAM = timezone(timedelta(hours=7))
Achievement = Annotated[str, TextRule(max_length=2000)]  # a text area: line breaks kept
EntrantId = Annotated[str, Field(min_length=1, max_length=100)]


class AdHocSession(Protocol):
    """What a session request names of the candidates it seats (awards.service.sessions.SessionRequest)."""

    @property
    def period(self) -> str: ...
    @property
    def award_forms(self) -> tuple[FormCode, ...]: ...


class NamedEntrant(BaseModel):
    """An entrant the officer names (a unit, organisation, village or person of the commune with no dossier)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: ShortText
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: EntrantId | None = Field(default=None, description="Tập thể của cá nhân / An individual's collective")

    @model_validator(mode="after")
    def _kind_fits_group(self) -> NamedEntrant:
        if (self.kind == "individual") != self.target_group.startswith("d"):
            raise ValueError(
                "Nhóm d1, d2 dành cho cá nhân; a, b, c cho tập thể / d1, d2 are individuals, a–c collectives"
            )
        return self


class EvidenceInput(BaseModel):
    """A document the achievement rests on: its title and where it is found (number, date, issuer, link)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    title: ShortText
    reference: ShortText | None = None


class AdHocRequest(BaseModel):
    """An ad-hoc award proposed by the commune officer: the entrant (an entrant of the commune by its id, or named),
    the form, the achievement and its day, and its evidence."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "entrant": {
                        "name": "Tổ công nghệ số cộng đồng thôn Bắc Sơn",
                        "kind": "collective",
                        "target_group": "a",
                    },
                    "award_form": "GIAY_KHEN_XA",
                    "achievement": "Hướng dẫn 320 người dân cài đặt và kích hoạt định danh điện tử VNeID mức 2 "
                    "trong 10 ngày",
                    "achieved_on": "2026-09-15",
                    "evidence": [{"title": "Báo cáo của Công an xã", "reference": "Số 45/BC-CAX ngày 20/9/2026"}],
                }
            ]
        },
    )
    entrant_id: EntrantId | None = Field(default=None, description="Đối tượng đã có của xã / An entrant of the commune")
    entrant: NamedEntrant | None = Field(
        default=None, validate_default=True, description="Hoặc đối tượng chưa có hồ sơ / Or one named here"
    )
    award_form: FormCode
    achievement: Achievement = Field(description="Thành tích xuất sắc đột xuất / The outstanding achievement")
    achieved_on: date = Field(description="Ngày lập thành tích / The day of the achievement")
    evidence: tuple[EvidenceInput, ...] = Field(default=(), max_length=20)

    @field_validator("award_form")
    @classmethod
    def _given_ad_hoc(cls, value: FormCode) -> FormCode:
        if value not in AD_HOC_FORMS:
            raise ValueError(f"khen thưởng đột xuất chỉ với / ad-hoc awards are only {', '.join(AD_HOC_FORMS)}")
        return value

    @field_validator("achieved_on", mode="before")
    @classmethod
    def _written_out(cls, value: object) -> object:
        if not isinstance(value, str | date):
            raise ValueError("Cần ngày dạng YYYY-MM-DD / a date written as YYYY-MM-DD is required (not a number)")
        return value

    @field_validator("achieved_on")
    @classmethod
    def _in_the_movement(cls, value: date) -> date:
        today = datetime.now(VIETNAM).date()
        if not (FIRST_YEAR <= value.year <= LAST_YEAR and value <= today):
            raise ValueError(
                f"Ngày phải trong giai đoạn {FIRST_YEAR}–{LAST_YEAR} và không sau hôm nay / "
                f"must fall in {FIRST_YEAR}–{LAST_YEAR} and not after today"
            )
        return value

    @field_validator("entrant")
    @classmethod
    def _one_entrant(cls, value: NamedEntrant | None, info: ValidationInfo) -> NamedEntrant | None:
        """Named on `entrant` (after `entrant_id`, which is validated first), so the refusal names a field."""
        if (info.data.get("entrant_id") is None) == (value is None):
            raise ValueError("Cần đúng một trong entrant_id, entrant / exactly one of entrant_id, entrant is required")
        return value


async def known_entrant(*, repos: Repositories, scope: Scope, entrant_id: str, field: str) -> Entrant:
    """An entrant of the commune as its dossiers and scores name it; any other id (another commune's, or unknown)
    answers 404 naming the field, as another tenant's ids do (ADR 0003)."""
    for known in (repos.scores, repos.dossiers):
        found = await known.find(scope, {"entrant.id": entrant_id}, limit=1)
        if found:
            return found[0]["entrant"]
    raise NotFound(
        f"Xã chưa có hồ sơ nào của đối tượng {entrant_id} / No dossier of entrant {entrant_id} here",
        errors=[{"field": field, "message": f"{entrant_id}: không phải đối tượng của xã / not an entrant here"}],
    )


async def _entrant(repos: Repositories, scope: Scope, request: AdHocRequest) -> Entrant:
    """The entrant the request names: one the commune knows, or one the officer names (its id derived from the commune
    and what names it, so naming it again finds the same entrant); its unit must be the commune's."""
    if request.entrant_id is not None:
        return await known_entrant(repos=repos, scope=scope, entrant_id=request.entrant_id, field="entrant_id")
    named = request.entrant
    assert named is not None
    if named.unit_id is not None:
        await known_entrant(repos=repos, scope=scope, entrant_id=named.unit_id, field="entrant.unit_id")
    identifier = derived_id("ad-hoc-entrant", scope.tenant, named.kind, named.name.casefold(), named.unit_id)
    return {
        "id": str(identifier),
        "name": named.name,
        "kind": named.kind,
        "target_group": named.target_group,
        "unit_id": named.unit_id,
    }


async def _refuse_barred(repos: Repositories, scope: Scope, entrant: Entrant, field: str) -> None:
    """The law bars people under discipline, inspection or complaint review from any award (NĐ 152/2025)."""
    flags = (await flags_of(repos=repos, scope=scope, entrant_ids=[entrant["id"]])).get(entrant["id"], frozenset())
    if flags:
        why = "; ".join(FLAG_NAMES[f] for f in sorted(flags))
        raise Unprocessable(
            f"Đối tượng không được đề nghị khen thưởng / The entrant may not be proposed: {why}",
            errors=[{"field": field, "message": why}],
        )


def ad_hoc_candidate_id(tenant: str, period: str, form: str, entrant_id: str, request: AdHocRequest) -> str:
    """One candidate per entrant, form and achievement (its day and words): the same proposal sent again finds it."""
    return str(
        derived_id("ad-hoc-candidate", tenant, period, form, entrant_id, request.achieved_on, request.achievement)
    )


async def propose_ad_hoc(
    *, repos: Repositories, principal: Principal, scope: Scope, request: AdHocRequest
) -> tuple[Candidate, bool]:
    """Put the entrant before the council for the achievement, under review. Returns the candidate and whether it is
    new (the same proposal sent again returns the one kept)."""
    assert scope.tenant is not None
    entrant = await _entrant(repos, scope, request)
    form = FORMS[request.award_form]  # every ad-hoc form is for collectives and individuals alike
    await _refuse_barred(repos, scope, entrant, "entrant_id" if request.entrant_id else "entrant")
    period = period_of(request.achieved_on)
    at = now()
    achievement: AdHocAchievement = {
        "achievement": request.achievement,
        "achieved_on": request.achieved_on.isoformat(),
        "evidence": [{"title": e.title, "reference": e.reference} for e in request.evidence],
        "proposed_by": principal.user_id,
    }
    document: Candidate = {
        "_id": ad_hoc_candidate_id(scope.tenant, period, form.code, entrant["id"], request),
        "tenant": scope.tenant,
        "province": scope.province,
        "period": period,
        "round": "ad_hoc",
        "award_form": form.code,
        "entrant": entrant,
        "submission_id": None,
        "submission_version": None,
        "submitted_by": None,
        "total": None,
        "grade": None,
        "status": "under_review",
        "ad_hoc": achievement,
        "created_at": at,
        "updated_at": at,
        "audit": [audit(principal.user_id, "proposed_ad_hoc", at, status="under_review", **achievement)],
    }
    if await repos.candidates.add(document, []):
        return document, True
    kept = await repos.candidates.get(scope, document["_id"])
    assert kept is not None
    return kept, False


async def ad_hoc_before_the_council(
    *, repos: Repositories, scope: Scope, request: AdHocSession, rules: Sequence[AwardRule]
) -> list[tuple[Candidate, AwardRule]]:
    """The year's ad-hoc candidates under review (of the forms named, if any) that no bar holds now, each with what
    the council needs to pass it; 422 when there is none. A barred one stays under review, out of the session."""
    under_review = await repos.candidates.under_review(
        scope, period=request.period, forms=request.award_forms, limit=500, ad_hoc=True
    )
    flags = await flags_of(repos=repos, scope=scope, entrant_ids=[c["entrant"]["id"] for c in under_review])
    listed = [(c, council_rule(rules, c["award_form"])) for c in under_review if not flags.get(c["entrant"]["id"])]
    if not listed:
        raise field_error(
            "ad_hoc",
            "không có đề xuất đột xuất đang xét / no ad-hoc candidates under review",
            "Chưa có đề xuất khen thưởng đột xuất nào đang xét trong năm này / No ad-hoc candidates under review "
            "for this year",
        )
    return listed
