"""An entrant's standing (discipline, investigation, complaint) and award history, which eligibility depends on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from awards.domain.aggregates import AwardSource, Entrant, HistoryEntry, Standing
from awards.domain.catalogue import Track, round_of
from awards.domain.past_forms import (
    HistoryLevel,
    PastFormCode,
    award_name_of,
    check_level,
    check_name,
    check_recipient,
    entry_key,
    year_of,
)
from awards.domain.rules import Flag, PastAward, StoredFlag, read_flag
from awards.repository import Repositories
from awards.service.common import stored_entrant
from thidua_contracts.roles import Role
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, NotFound
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText


class StandingInput(BaseModel):
    """Flags that bar an entrant from being awarded or proposed (NĐ 152/2025), with the reason: a disciplinary review
    or discipline, an investigation or an inspection on signs of a violation (not a routine one), complaints being
    verified. The legacy name "inspection" is read as "investigation"."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    entrant: EntrantRef
    flags: tuple[StoredFlag, ...] = Field(default=(), max_length=3)
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


MOVEMENT_BEGINS = 2025  # "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số" 2025–2030
# A period of the movement, or the year of an award of the past (from 1945).
HISTORY_PERIOD_PATTERN = r"^(19[4-9][0-9]|20[0-9]{2}|so-ket-2027|tong-ket-2030)$"


class PastAwardInput(BaseModel):
    """An award the entrant received before (or outside) the platform, as its decision says: any form of the history's
    catalogue (`past_forms.PAST_FORMS`), or OTHER with its name. Fields are checked in this order, each against those
    before it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    entrant: EntrantRef
    award_form: PastFormCode = Field(description="Mã hình thức (GET /history/forms) / The form's code")
    award_name: ShortText | None = Field(
        default=None,
        validate_default=True,
        description="Tên hình thức, bắt buộc khi mã là OTHER / The award's name, required for OTHER",
    )
    period: str = Field(
        pattern=HISTORY_PERIOD_PATTERN,
        description="Kỳ của phong trào, hoặc năm được khen (từ 1945) / A period of the movement, or the award's year",
    )
    track: Track = "regular"
    number: ShortText = Field(description="Số quyết định / The decision's number")
    signed_on: date = Field(
        description="Ngày ký quyết định, từ 02/09/1945 đến hôm nay / The decision's date, from 1945-09-02 to today"
    )
    issuer: ShortText = Field(
        description="Người ký, ví dụ “Chủ tịch UBND huyện Kim Sơn” / Who signed, e.g. the district chairman"
    )
    level: HistoryLevel | None = Field(
        default=None,
        validate_default=True,
        description="Cấp quyết định; trống: cấp thường gặp của hình thức. Cấp huyện chỉ trước 01/7/2025 / "
        "The deciding level; empty: the form's usual one. A district only before 1 July 2025",
    )

    @field_validator("award_form")
    @classmethod
    def _for_this_kind(cls, award_form: PastFormCode, info: ValidationInfo) -> PastFormCode:
        entrant = info.data.get("entrant")
        if isinstance(entrant, EntrantRef):
            check_recipient(award_form, entrant.kind)
        return award_form

    @field_validator("award_name")
    @classmethod
    def _named_when_other(cls, award_name: str | None, info: ValidationInfo) -> str | None:
        award_form = info.data.get("award_form")
        return check_name(award_form, award_name) if award_form else award_name

    @field_validator("period")
    @classmethod
    def _not_to_come(cls, period: str) -> str:
        this_year = datetime.now(VIETNAM).year
        if not EARLIEST_AWARD.year <= year_of(period) <= this_year:
            raise ValueError(
                f"Năm phải từ {EARLIEST_AWARD.year} đến {this_year} / The year must lie between "
                f"{EARLIEST_AWARD.year} and {this_year}"
            )
        return period

    @field_validator("track")
    @classmethod
    def _within_the_movement(cls, track: Track, info: ValidationInfo) -> Track:
        period = info.data.get("period")
        if track == "thematic" and period and year_of(period) < MOVEMENT_BEGINS:
            raise ValueError(
                f"Phong trào này bắt đầu năm {MOVEMENT_BEGINS}: khen thưởng trước đó là thường xuyên / "
                f"This movement began in {MOVEMENT_BEGINS}: an earlier award is of the regular track"
            )
        return track

    @field_validator("signed_on", mode="before")
    @classmethod
    def _written_out(cls, value: object) -> object:
        """A date is written out as YYYY-MM-DD: a number (a Unix timestamp) is not a date."""
        if not isinstance(value, str | date):
            raise ValueError("Cần ngày dạng YYYY-MM-DD / a date written as YYYY-MM-DD is required (not a number)")
        return value

    @field_validator("signed_on")
    @classmethod
    def _in_the_past_of_the_state(cls, signed_on: date, info: ValidationInfo) -> date:
        check_signed_on(signed_on, today=datetime.now(VIETNAM).date())
        period = info.data.get("period")
        if period and signed_on.year < year_of(period):
            raise ValueError(
                f"Quyết định không thể ký trước năm được khen ({year_of(period)}) / "
                f"The decision cannot be signed before the year it rewards ({year_of(period)})"
            )
        return signed_on

    @field_validator("level")
    @classmethod
    def _decided_there(cls, level: HistoryLevel | None, info: ValidationInfo) -> HistoryLevel | None:
        award_form = info.data.get("award_form")
        return check_level(award_form, level, signed_on=info.data.get("signed_on")) if award_form else level


class AdHocAward(NamedTuple):
    """What makes a history entry an ad-hoc award: its candidate (one entry per achievement) and the achievement."""

    candidate_id: str
    achievement: str


def standing_id(scope: Scope, entrant_id: str) -> str:
    return f"{scope.tenant}:{entrant_id}"


async def flags_of(*, repos: Repositories, scope: Scope, entrant_ids: Sequence[str]) -> dict[str, frozenset[Flag]]:
    documents = await repos.standings.named(scope, [standing_id(scope, e) for e in entrant_ids])
    return {d["entrant"]["id"]: frozenset(_current(d["flags"])) for d in documents}


def _current(flags: Sequence[str]) -> list[Flag]:
    """Stored flags under today's names (a standing saved with "inspection" bars as "investigation" does)."""
    return [cast(Flag, read_flag(flag)) for flag in flags]


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
    level: HistoryLevel,
    track: Track,
    number: str,
    signed_on: date,
    issuer: str,
    source: AwardSource,
    submitted_by: str | None,
    actor: str,
    award_name: str | None = None,
    ad_hoc: AdHocAward | None = None,
) -> HistoryEntry:
    """One award in an entrant's history; one per entrant, form, period and track (and decision, for forms given by
    several issuers: `past_forms.entry_key`), so applying it twice adds nothing (an award of the regular track
    recorded by hand never hides one of this movement); an ad-hoc award one per achievement (its candidate), flagged,
    with the achievement it rewards (docs/adr/0026)."""
    at = now()
    key = f"{scope.tenant}:{entrant['id']}:" + entry_key(
        award_form, period=period, track=track, name=award_name, decision_number=number
    )
    entry: HistoryEntry = {
        "_id": key if ad_hoc is None else f"{key}:ad-hoc:{ad_hoc.candidate_id}",
        "tenant": scope.tenant,
        "province": scope.province,
        "entrant": entrant,
        "award_form": award_form,
        "award_name": award_name_of(award_form, award_name),
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


def past_award_entry(
    scope: Scope, request: PastAwardInput, *, entrant: Entrant, source: AwardSource, actor: str
) -> HistoryEntry:
    """The history entry of an award recorded by hand or imported."""
    return history_entry(
        scope,
        entrant=entrant,
        award_form=request.award_form,
        award_name=request.award_name,
        period=request.period,
        level=check_level(request.award_form, request.level, signed_on=request.signed_on),
        track=request.track,
        number=request.number,
        signed_on=request.signed_on,
        issuer=request.issuer,
        source=source,
        submitted_by=None,
        actor=actor,
    )


async def record_past_award(
    *, repos: Repositories, principal: Principal, scope: Scope, request: PastAwardInput
) -> HistoryEntry:
    await require_own_entrant(repos=repos, scope=scope, entrant_id=request.entrant.id)
    entrant = stored_entrant(request.entrant)
    entry = past_award_entry(scope, request, entrant=entrant, source={"kind": "recorded"}, actor=principal.user_id)
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
