"""An entrant's standing (discipline, inspection, complaint) and award history, which eligibility depends on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

from awards.domain.aggregates import AwardSource, Entrant, HistoryEntry, Standing
from awards.domain.catalogue import FORMS, FormCode, Track, round_of
from awards.domain.rules import Flag, PastAward
from awards.repository import Repositories
from awards.service.common import stored_entrant
from thidua_contracts.awards import AwardLevel
from thidua_contracts.roles import Role
from thidua_contracts.terms import PERIOD_CODE_PATTERN, EntrantRef
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, NotFound
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText


class StandingInput(BaseModel):
    """Flags that bar an entrant from being awarded or proposed (NĐ 152/2025), with the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    entrant: EntrantRef
    flags: tuple[Flag, ...] = Field(default=(), max_length=3)
    note: ShortText | None = Field(default=None, description="Căn cứ, số văn bản / Grounds, document number")


# The founding of the state (Tuyên ngôn Độc lập, 2 September 1945): no award of its emulation system is older.
EARLIEST_AWARD = date(1945, 9, 2)
VIETNAM = timezone(timedelta(hours=7))


def check_signed_on(signed_on: date, *, today: date) -> date:
    """A past award was signed between the founding of the state and today (Vietnam time)."""
    if not EARLIEST_AWARD <= signed_on <= today:
        raise ValueError(
            f"Ngày ký phải từ {EARLIEST_AWARD:%d/%m/%Y} đến hôm nay ({today:%d/%m/%Y}) / "
            f"signed_on must lie between {EARLIEST_AWARD.isoformat()} and today ({today.isoformat()})"
        )
    return signed_on


class PastAwardInput(BaseModel):
    """An award the entrant received before (or outside) the platform, as its decision says."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    entrant: EntrantRef
    award_form: FormCode
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    track: Track = "regular"
    number: ShortText
    signed_on: date = Field(
        description="Ngày ký quyết định, từ 02/09/1945 đến hôm nay / The decision's date, from 1945-09-02 to today"
    )
    issuer: ShortText

    @field_validator("signed_on", mode="before")
    @classmethod
    def _written_out(cls, value: object) -> object:
        """A date is written out as YYYY-MM-DD: a number (a Unix timestamp) is not a date."""
        if not isinstance(value, str | date):
            raise ValueError("Cần ngày dạng YYYY-MM-DD / a date written as YYYY-MM-DD is required (not a number)")
        return value

    @field_validator("signed_on")
    @classmethod
    def _in_the_past_of_the_state(cls, signed_on: date) -> date:
        return check_signed_on(signed_on, today=datetime.now(VIETNAM).date())


class AdHocAward(NamedTuple):
    """What makes a history entry an ad-hoc award: its candidate (one entry per achievement) and the achievement."""

    candidate_id: str
    achievement: str


def standing_id(scope: Scope, entrant_id: str) -> str:
    return f"{scope.tenant}:{entrant_id}"


async def flags_of(*, repos: Repositories, scope: Scope, entrant_ids: Sequence[str]) -> dict[str, frozenset[Flag]]:
    documents = await repos.standings.named(scope, [standing_id(scope, e) for e in entrant_ids])
    return {d["entrant"]["id"]: frozenset(d["flags"]) for d in documents}


async def history_of(*, repos: Repositories, scope: Scope, entrant_ids: Sequence[str]) -> dict[str, list[PastAward]]:
    history: dict[str, list[PastAward]] = {}
    for entry in await repos.history.of_entrants(scope, entrant_ids):
        history.setdefault(entry["entrant"]["id"], []).append(
            PastAward(form=entry["award_form"], period=entry["period"], track=entry["track"])
        )
    return history


async def require_own_entrant(*, repos: Repositories, scope: Scope, entrant_id: str) -> None:
    """An entrant's standing and history are kept by its own commune, which knows it from the dossiers it filed.
    Any other entrant id (another commune's, or unknown) answers 404, as another tenant's ids do (ADR 0003):
    otherwise a commune could write records about another's entrant that the province reads under that entrant."""
    for known in (repos.dossiers, repos.scores):
        if await known.find(scope, {"entrant.id": entrant_id}, limit=1):
            return
    raise NotFound(f"Xã chưa có hồ sơ nào của đối tượng {entrant_id} / No dossier of entrant {entrant_id} here")


async def set_standing(*, repos: Repositories, principal: Principal, scope: Scope, request: StandingInput) -> Standing:
    await require_own_entrant(repos=repos, scope=scope, entrant_id=request.entrant.id)
    at = now()
    flags = sorted(set(request.flags))
    entry = audit(principal.user_id, "standing_set", at, flags=flags, note=request.note)
    standing: Standing = {
        "_id": standing_id(scope, request.entrant.id),
        "tenant": scope.tenant,
        "province": scope.province,
        "entrant": stored_entrant(request.entrant),
        "flags": flags,
        "note": request.note,
        "updated_at": at,
    }
    return await repos.standings.set_standing(scope, standing, entry)


def history_entry(
    scope: Scope,
    *,
    entrant: Entrant,
    award_form: str,
    period: str,
    level: AwardLevel,
    track: Track,
    number: str,
    signed_on: date,
    issuer: str,
    source: AwardSource,
    submitted_by: str | None,
    actor: str,
    ad_hoc: AdHocAward | None = None,
) -> HistoryEntry:
    """One award in an entrant's history; one per entrant, form, period and track, so applying it twice adds
    nothing (an award of the regular track recorded by hand never hides one of this movement); an ad-hoc award one
    per achievement (its candidate), flagged, with the achievement it rewards (docs/adr/0026)."""
    at = now()
    key = f"{scope.tenant}:{entrant['id']}:{award_form}:{period}:{track}"
    entry: HistoryEntry = {
        "_id": key if ad_hoc is None else f"{key}:ad-hoc:{ad_hoc.candidate_id}",
        "tenant": scope.tenant,
        "province": scope.province,
        "entrant": entrant,
        "award_form": award_form,
        "award_name": FORMS[award_form].name,
        "period": period,
        "round": round_of(period) if ad_hoc is None else "ad_hoc",
        "level": level,
        "track": track,
        "decision": {"number": number, "signed_on": signed_on.isoformat(), "issuer": issuer},
        "source": source,
        "submitted_by": submitted_by,
        "recorded_at": at,
        "audit": [audit(actor, "award_recorded", at, source=source, number=number)],
    }
    if ad_hoc is not None:
        entry["ad_hoc"] = True
        entry["achievement"] = ad_hoc.achievement
    return entry


async def record_past_award(
    *, repos: Repositories, principal: Principal, scope: Scope, request: PastAwardInput
) -> HistoryEntry:
    await require_own_entrant(repos=repos, scope=scope, entrant_id=request.entrant.id)
    entry = history_entry(
        scope,
        entrant=stored_entrant(request.entrant),
        award_form=request.award_form,
        period=request.period,
        level=FORMS[request.award_form].level,
        track=request.track,
        number=request.number,
        signed_on=request.signed_on,
        issuer=request.issuer,
        source={"kind": "recorded"},
        submitted_by=None,
        actor=principal.user_id,
    )
    if not await repos.history.add(entry):
        raise Conflict(
            "Đối tượng đã có hình thức khen này trong kỳ / The entrant already holds this award for the period"
        )
    return entry


async def list_history(
    *,
    repos: Repositories,
    principal: Principal,
    scope: Scope,
    entrant_ids: Sequence[str],
    period: str | None,
    paging: PageRequest,
) -> tuple[list[HistoryEntry], int]:
    """A page of the awards in scope, newest recorded first: of the given entrants only when some are named (all in
    one query)."""
    filed_by = None
    if principal.has_any_role(Role.SUBMITTER) and not principal.has_any_role(
        Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.COUNCIL_MEMBER, Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN
    ):
        filed_by = principal.user_id  # a focal officer sees the awards of what they filed
    return await repos.history.listed(
        scope, entrant_ids=entrant_ids, period=period, filed_by=filed_by, skip=paging.skip, limit=paging.page_size
    )
