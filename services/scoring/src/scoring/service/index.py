"""The commune digital-transformation index: recomputed from final scores, ranked across the province."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Link, Span

from scoring.domain.aggregates import Final, IndexFields, IndexMark, ProvinceSettings
from scoring.domain.assessment import ranks
from scoring.domain.index import PILLARS, IndexSettings, Observation, commune_index
from scoring.repository import IndexComputation, Repositories, stored_settings
from scoring.service.common import SOURCE
from scoring.service.views import standing_finals
from thidua_contracts.scoring import IndexComputed, ScoreFinalised
from thidua_platform.audit import entry as audit
from thidua_platform.audit import from_event, now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope, derived_id, new_event
from thidua_platform.problems import Conflict
from thidua_platform.telemetry import context_from_traceparent, current_traceparent
from thidua_platform.tenancy import Scope

tracer = trace.get_tracer(__name__)


async def settings_for(*, repos: Repositories, province: str) -> IndexSettings:
    document = await repos.index_settings.get(Scope(province=province), province)
    return IndexSettings.model_validate(document["settings"]) if document else IndexSettings()


async def set_settings(*, repos: Repositories, principal: Principal, settings: IndexSettings) -> IndexSettings:
    province = str(principal.province)
    scope = Scope(province=province)
    at = now()
    current = await repos.index_settings.get(scope, province)
    entry = audit(principal.user_id, "index_settings_set", at, **settings.model_dump())
    if current is None:
        document: ProvinceSettings = {
            "_id": province,
            "tenant": None,
            "province": province,
            "settings": stored_settings(settings),
            "audit": [entry],
        }
        saved = await repos.index_settings.add(document)
    else:
        saved = await repos.index_settings.replace(
            scope, province, revision=current["revision"], settings=stored_settings(settings), audit=entry
        )
    if not saved:
        raise Conflict("Cấu hình vừa được thay đổi / The settings changed meanwhile, reload them")
    return settings


def observations(finals: Sequence[Final]) -> list[Observation]:
    """Indicator attainment reported in final scores: ratio criteria with a value and a target."""
    found = []
    for final in finals:
        for criterion in final["criteria"]:
            inputs = criterion.get("inputs") or {}
            theme = criterion.get("theme")
            if criterion["rule"] == "ratio" and theme and "value" in inputs and inputs.get("target"):
                found.append(Observation(theme=theme, value=inputs["value"], target=inputs["target"]))
    return found


async def mark_stale(*, repos: Repositories, envelope: Envelope, period: str) -> None:
    """After a final score, a return or a withdrawal: the commune's index of that period is to be recomputed (by
    the worker's index loop, once for every mark made meanwhile)."""
    await repos.index_queue.mark(
        tenant=str(envelope.tenant),
        province=envelope.province,
        period=period,
        cause=str(envelope.id),
        cause_type=envelope.type,
        traceparent=current_traceparent() or envelope.traceparent,  # the handling's span, child of the event's
    )


async def on_final(*, repos: Repositories, envelope: Envelope) -> None:
    await mark_stale(repos=repos, envelope=envelope, period=envelope.payload(ScoreFinalised).period)


async def recompute_marked(*, repos: Repositories) -> int:
    """Recompute each marked commune's index once, then forget the marks that asked for it; how many communes."""
    marks = await repos.index_queue.marked()
    by_commune: dict[tuple[str, str, str], list[IndexMark]] = {}
    for mark in marks:
        by_commune.setdefault((mark["tenant"], mark["province"], mark["period"]), []).append(mark)
    for (tenant, province, period), its in by_commune.items():
        latest = its[-1]
        with trace.use_span(recomputation_span(its, tenant=tenant, period=period), end_on_exit=True):
            await recompute_commune(
                repos=repos,
                tenant=tenant,
                province=province,
                period=period,
                cause=latest["cause"],
                cause_type=latest["cause_type"],
            )
        await repos.index_queue.done(its)
    return len(by_commune)


MAX_LINKS = 32


def recomputation_span(marks: Sequence[IndexMark], *, tenant: str, period: str) -> Span:
    """The span of one commune's recomputation, current while its index.computed event is made, so the event carries
    a trace (the loop runs outside any request or event): a child of the latest cause's trace, linked to the other
    causes' (a few); a trace of its own when the latest cause had none (a mark made before marks kept it)."""
    *others, latest = marks
    links = [
        Link(trace.get_current_span(context).get_span_context())
        for mark in others[-MAX_LINKS:]
        if (context := context_from_traceparent(mark.get("traceparent")))
    ]
    return tracer.start_span(
        "recompute index",
        context=context_from_traceparent(latest.get("traceparent")),
        links=links,
        attributes={"thidua.tenant": tenant, "thidua.period": period, "thidua.index.causes": len(marks)},
    )


async def recompute_commune(
    *, repos: Repositories, tenant: str, province: str, period: str, cause: str, cause_type: str
) -> None:
    """The commune's index from the final scores of dossiers still in the running, recomputed on every attempt so a
    concurrent recomputation never leaves a stale value behind."""
    scope = Scope(tenant=tenant, province=province)
    index_id = f"{tenant}:{period}"
    settings = await settings_for(repos=repos, province=province)

    async def computed(revision: int) -> IndexComputation:
        result = commune_index(observations(await standing_finals(repos=repos, scope=scope, period=period)), settings)
        event = new_event(
            IndexComputed(period=period, indicators=result.indicators, overall=result.overall, **result.pillars),
            event_id=derived_id(cause, "index.computed", revision),
            source=SOURCE,
            subject=index_id,
            tenant=tenant,
            province=province,
        )
        at = now()
        fields: IndexFields = {
            "digital_government": result.pillars["digital_government"],
            "digital_economy": result.pillars["digital_economy"],
            "digital_society": result.pillars["digital_society"],
            "overall": result.overall,
            "indicators": result.indicators,
            "computed_at": at,
        }
        entry = from_event(cause, cause_type, "computed", at, overall=result.overall, **result.pillars)
        return IndexComputation(fields, entry, [event])

    if not await repos.indexes.record(index_id, tenant=tenant, province=province, period=period, compute=computed):
        raise RuntimeError(f"could not store the index {index_id}")


async def took_part(*, repos: Repositories, envelope: Envelope, period: str) -> None:
    """A commune's first score of a period gives it an index document (with no value until a final score brings
    indicators), so the province's ranking lists it from the index documents alone: one per commune and period,
    never the province's scores."""
    tenant = str(envelope.tenant)
    if await repos.indexes.get(Scope(tenant=tenant, province=envelope.province), f"{tenant}:{period}") is None:
        await mark_stale(repos=repos, envelope=envelope, period=period)


async def province_ranking(*, repos: Repositories, province: str, period: str) -> list[dict[str, Any]]:
    """Every commune of the province that has taken part, ranked by the overall index (no data: last). Reads one
    document per commune, whatever the number of dossiers."""
    found = await repos.indexes.find(Scope(province=province), {"period": period}, limit=10_000, audited=False)
    indexes = {d["tenant"]: d for d in found}
    positions = ranks([(t, overall) for t, d in indexes.items() if (overall := d.get("overall")) is not None])
    rows: list[dict[str, Any]] = [
        {
            "commune": commune,
            "rank": positions.get(commune),
            **{p: document.get(p) for p in (*PILLARS, "overall", "indicators")},
        }
        for commune, document in indexes.items()
    ]
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["commune"]))
