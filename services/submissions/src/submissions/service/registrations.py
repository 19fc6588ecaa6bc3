"""Registration (đăng ký thi đua): at the start of a period each unit registers, with its own indicator targets."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from submissions.domain.aggregates import Entrant, EntrantSnapshot, Registration
from submissions.domain.criteria import CriteriaSetContent
from submissions.domain.periods import PeriodClosed, require_open
from submissions.repository import Repositories
from submissions.service import campaigns, criteria_sets
from submissions.service.access import Actor
from submissions.service.entrants import get_entrant
from thidua_contracts.submissions import RegistrationRecorded
from thidua_contracts.terms import PERIOD_CODE_PATTERN, EntrantRef
from thidua_platform.audit import entry, now
from thidua_platform.envelope import derived_id, new_event
from thidua_platform.idempotency import Idempotency
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.text import STORED

SOURCE = "thidua/submissions"


class NewRegistration(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [
                {
                    "period": "2026",
                    "entrant_id": "5b7f6c0e-2f0a-4c53-9a1e-1c8f6a0d2b11",
                    "targets": {"a8": 95, "a11": 90},
                }
            ]
        },
    )
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    entrant_id: str = Field(min_length=1, max_length=64)
    targets: dict[str, float] = Field(
        default_factory=dict,
        max_length=100,
        description="Chỉ tiêu tự đăng ký theo mã tiêu chí / Own targets by criterion code",
    )


def entrant_ref(entrant: Entrant) -> EntrantRef:
    """The entrant as events and snapshots carry it, its name as stored (thidua_platform.text)."""
    return EntrantRef.model_validate(
        {
            "id": entrant["_id"],
            "name": entrant["name"],
            "kind": entrant["kind"],
            "target_group": entrant["target_group"],
            "unit_id": entrant.get("unit_id"),
        },
        context=STORED,
    )


def entrant_snapshot(entrant: Entrant) -> EntrantSnapshot:
    """The entrant as a registration or a dossier keeps it: `entrant_ref(entrant).model_dump()`, typed."""
    ref = entrant_ref(entrant)
    return {"id": ref.id, "name": ref.name, "kind": ref.kind, "target_group": ref.target_group, "unit_id": ref.unit_id}


def _check_targets(content: CriteriaSetContent, targets: dict[str, float]) -> None:
    """A unit may aim higher than the commune's target, never lower (that would buy points)."""
    defaults = {c.code: c.indicator.target for c in content.criteria if c.indicator is not None}
    errors = []
    for code, value in targets.items():
        if code not in defaults:
            errors.append(
                {"field": f"targets.{code}", "message": "không phải chỉ tiêu của nhóm / not an indicator of this group"}
            )
        elif value < defaults[code]:
            errors.append(
                {
                    "field": f"targets.{code}",
                    "message": f"không thấp hơn chỉ tiêu chung {defaults[code]:g} "
                    f"/ not below the set's target {defaults[code]:g}",
                }
            )
    if errors:
        raise Unprocessable("Chỉ tiêu đăng ký không hợp lệ / Invalid targets", errors=errors)


async def register(
    *, repos: Repositories, actor: Actor, request: NewRegistration, key: Idempotency
) -> tuple[Registration, bool]:
    """Returns the registration and whether it was created now (False: an idempotent replay)."""
    entrant = await get_entrant(repos=repos, actor=actor, entrant_id=request.entrant_id)
    campaign, period = await campaigns.campaign_for_period(repos=repos, scope=actor.scope, period=request.period)
    try:
        require_open(period, now())
    except PeriodClosed as exc:
        raise Unprocessable(
            str(exc), errors=[{"field": "period", "message": "ngoài thời gian của kỳ / outside the period's window"}]
        ) from exc
    criteria_set = await criteria_sets.current_set(
        repos=repos, scope=actor.scope, campaign=campaign, period=request.period, group=entrant["target_group"]
    )
    _check_targets(CriteriaSetContent.model_validate(criteria_set["content"], context=STORED), request.targets)
    registration_id = str(derived_id("registration", actor.scope.tenant, request.period, entrant["_id"]))
    at = now()
    event = new_event(
        RegistrationRecorded(
            registration_id=registration_id,
            period=request.period,
            entrant=entrant_ref(entrant),
            targets=request.targets,
            registered_by=actor.user,
        ),
        source=SOURCE,
        subject=registration_id,
        tenant=actor.scope.tenant,
        province=actor.scope.province_code,
    )
    registration: Registration = {
        "_id": registration_id,
        "tenant": actor.scope.commune,
        "province": actor.scope.province_code,
        "campaign_id": campaign["_id"],
        "period": request.period,
        "entrant": entrant_snapshot(entrant),
        "targets": request.targets,
        "registered_by": actor.user,
        "created_at": at,
        "audit": [entry(actor.user, "registered", at, targets=request.targets)],
    }
    if key.keyed:  # key.stamp()
        registration["idempotency_fingerprint"] = key.fingerprint
    if await repos.registrations.add(registration, [event]):
        return await get_registration(repos=repos, actor=actor, registration_id=registration_id), True
    existing = await get_registration(repos=repos, actor=actor, registration_id=registration_id)
    if key.keyed and existing.get("idempotency_fingerprint") == key.fingerprint:
        return existing, False
    raise Conflict(
        f"«{entrant['name']}» đã đăng ký kỳ {request.period} / already registered for {request.period}",
        existing_id=registration_id,
    )


async def get_registration(*, repos: Repositories, actor: Actor, registration_id: str) -> Registration:
    document = await repos.registrations.visible(actor.scope, registration_id, entrants=actor.own_entrants)
    if document is None:
        raise NotFound(f"Không có đăng ký {registration_id} / No registration {registration_id}")
    return document


async def list_registrations(
    *,
    repos: Repositories,
    actor: Actor,
    period: str | None,
    group: str | None,
    entrant: str | None,
    paging: PageRequest,
) -> tuple[list[Registration], int]:
    return await repos.registrations.listed(
        actor.scope,
        entrants=actor.own_entrants,
        period=period,
        group=group,
        entrant=entrant,
        skip=paging.skip,
        limit=paging.page_size,
    )


async def registration_counts(*, repos: Repositories, actor: Actor, period: str) -> list[dict[str, Any]]:
    """How many registered, per commune and target group, within what the caller may see (province staff: every
    commune of the province; a submitter: their own units)."""
    counts = await repos.registrations.counted(actor.scope, period, entrants=actor.own_entrants)
    communes = sorted({tenant for tenant, _group in counts})
    return [
        {
            "commune": commune,
            "by_group": {group: n for (tenant, group), n in sorted(counts.items()) if tenant == commune},
            "total": sum(n for (tenant, _group), n in counts.items() if tenant == commune),
        }
        for commune in communes
    ]
