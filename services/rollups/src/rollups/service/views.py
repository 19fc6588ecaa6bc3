"""What each reader sees. Commune users see their commune, in-progress work included; province staff see every
commune of their own province, ranked, with finalised scores and decided awards only, and can drill down to a
commune's entrants."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from typing import Any

from rollups.domain.aggregates import AwardShown, Figures, Standing, Summary
from rollups.domain.listing import as_shown, awards_by_entrant
from rollups.domain.summary import combine, ranks
from rollups.repository import ReadModels
from thidua_platform.auth import Principal
from thidua_platform.lag import LagProbe
from thidua_platform.problems import Forbidden, NotFound
from thidua_platform.tenancy import Scope, read_scope
from thidua_platform.units import NO_UNITS, ProvinceUnits, UnitDirectory


def _figures(summary: Summary) -> Figures:
    """A summary's figures, without what it is the summary of."""
    return {
        "scored": summary["scored"],
        "points": summary["points"],
        "average_score": summary["average_score"],
        "grades": summary["grades"],
        "bands": summary["bands"],
        "groups": summary["groups"],
        "themes": summary["themes"],
        "awards": summary["awards"],
        "proposals": summary["proposals"],
        "pending_upward": summary["pending_upward"],
        "index": summary["index"],
        "in_progress": summary["in_progress"],
    }


def _one(summaries: list[Summary]) -> Figures:
    """A commune's figures: its period's summary as it is, or several periods combined."""
    if len(summaries) == 1:
        return _figures(summaries[0])
    return combine(summaries)


def _for(principal: Principal, figures: Mapping[str, Any]) -> Mapping[str, Any]:
    """Province staff do not see work in progress."""
    return figures if principal.tenant else {**figures, "in_progress": None}


async def ranked(
    *, models: ReadModels, province: str, period: str | None, units: ProvinceUnits | None = None
) -> tuple[list[dict[str, Any]], Figures]:
    """Every commune of the province with its name and ranks, best first, and the province's totals (one read of
    the summaries). The communes are those the directory lists (`units`, read once and cached) and those with
    figures: a commune provisioned but without data yet is there with zeros and no rank."""
    summaries = await models.summaries(Scope(province=province), period=period)
    rows: list[dict[str, Any]] = [
        {"commune": tenant, **_one(list(group))} for tenant, group in groupby(summaries, key=lambda s: s["tenant"])
    ]
    known = units or ProvinceUnits(province)
    seen = {r["commune"] for r in rows}
    rows += [{"commune": tenant, **combine([])} for tenant in known.communes if tenant not in seen]
    by_score = ranks({r["commune"]: r["points"] / r["scored"] if r["scored"] else None for r in rows})  # unrounded
    by_index = ranks({r["commune"]: (r["index"] or {}).get("overall") for r in rows})
    for r in rows:
        r.update(name=known.commune_name(r["commune"]), rank=by_score[r["commune"]], index_rank=by_index[r["commune"]])
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"], r["commune"]))
    return rows, combine(summaries)


async def commune(
    *, models: ReadModels, principal: Principal, tenant: str, period: str | None, units: UnitDirectory = NO_UNITS
) -> Mapping[str, Any]:
    """One commune's figures with its ranks in the province: its own summaries in full, the other communes' only as
    far as ranking needs (their scores and index), so that the answer is one commune's, not the province's."""
    scope = read_scope(principal).narrowed_to(tenant)
    if scope is None or scope.province is None:
        raise NotFound(f"Không có số liệu của xã {tenant} / No figures for commune {tenant}")
    own = await models.summaries(scope, period=period)
    known = await units.province(scope.province)
    if not own and tenant not in known.communes:
        raise NotFound(f"Không có số liệu của xã {tenant} / No figures for commune {tenant}")
    standings: dict[str, list[Standing]] = {}
    for standing in await models.standings(Scope(province=scope.province), period=period):
        standings.setdefault(standing["tenant"], []).append(standing)
    by_score = ranks({c: _average(parts) for c, parts in standings.items()})
    by_index = ranks({c: _overall(parts) for c, parts in standings.items()})
    row = {
        "commune": tenant,
        "name": known.commune_name(tenant),
        **(_one(own) if own else combine([])),
        "rank": by_score.get(tenant),
        "index_rank": by_index.get(tenant),
    }
    return _for(principal, row)


def _average(parts: list[Standing]) -> float | None:
    """A commune's unrounded average over its summaries, as `ranked` ranks it."""
    scored = sum(int(p["scored"]) for p in parts)
    return sum(float(p["points"]) for p in parts) / scored if scored else None


def _overall(parts: list[Standing]) -> float | None:
    """A commune's index, as `ranked` ranks it: one period's, none for several combined."""
    if len(parts) != 1:
        return None
    overall = (parts[0].get("index") or {}).get("overall")
    return float(overall) if overall is not None else None


def own_province(principal: Principal, province: str) -> None:
    if principal.tenant is not None or principal.province != province:
        raise Forbidden("Chỉ xem được tỉnh của mình / Only your own province")


async def province(
    *,
    models: ReadModels,
    principal: Principal,
    code: str,
    period: str | None,
    skip: int,
    limit: int,
    units: UnitDirectory = NO_UNITS,
) -> dict[str, Any]:
    """A page of the province's communes (every one of them, by name), ranked over all of them, and the province's
    totals."""
    own_province(principal, code)
    known = await units.province(code)
    rows, totals = await ranked(models=models, province=code, period=period, units=known)
    return {
        "province": code,
        "province_name": known.name,
        "period": period,
        "communes": [_for(principal, r) for r in rows[skip : skip + limit]],
        "total": len(rows),
        "totals": _for(principal, totals),
    }


async def unit_names(*, units: UnitDirectory, principal: Principal, code: str) -> dict[str, Any]:
    """The province's name and every commune of it by name (the directory's, cached): what pages listing communes
    by their codes (the proposals received, …) show instead."""
    own_province(principal, code)
    known = await units.province(code)
    return {
        "province": code,
        "name": known.name,
        "communes": [{"commune": tenant, "name": name} for tenant, name in sorted(known.communes.items())],
    }


async def entrants(
    *, models: ReadModels, principal: Principal, tenant: str, period: str | None, skip: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of a commune's entrants with their final score and awards, the best score first (those without one
    last, then by name), and how many there are; in-progress dossiers for the commune only. A period's page is read
    from its listing (rows numbered when its summary was recomputed); all periods at once, or a period without a
    listing yet, are folded from the facts."""
    scope = read_scope(principal).narrowed_to(tenant)
    if scope is None or not await models.known(scope):
        raise NotFound(f"Không có số liệu của xã {tenant} / No figures for commune {tenant}")
    scored_only = principal.tenant is None
    if period is not None:
        listed, total = await models.listing(scope, period=period, scored_only=scored_only, skip=skip, limit=limit)
        # a period without a listing yet (its summary last computed before listings existed) is folded
        if total or await models.has_listing(scope, period=period):
            return [_entrant_row(principal, row, row["awards"]) for row in listed], total
    facts, total = await models.entrants(scope, period=period, scored_only=scored_only, skip=skip, limit=limit)
    shown = {f.get("entrant_id") for f in facts}
    awards = awards_by_entrant(a for a in await models.awards_of(scope, period=period) if a.get("entrant_id") in shown)
    return [
        _entrant_row(principal, as_shown(fact), awards.get(fact.get("entrant_id") or "", [])) for fact in facts
    ], total


def _entrant_row(principal: Principal, row: Mapping[str, Any], awards: list[AwardShown]) -> dict[str, Any]:
    return {
        "submission_id": row["_id"],
        "period": row.get("period"),
        "entrant_id": row.get("entrant_id"),
        "entrant_name": row.get("entrant_name"),
        "entrant_kind": row.get("entrant_kind"),
        "target_group": row.get("target_group"),
        "status": row.get("status") if principal.tenant else None,
        "total": row.get("total"),
        "grade": row.get("grade"),
        "awards": [dict(award) for award in awards],
    }


async def freshness(*, models: ReadModels, probe: LagProbe) -> dict[str, Any]:
    """How current the figures are: the last event applied and when, the events not applied yet (None if Kafka did
    not answer), the summaries waiting to be recomputed."""
    found = await models.freshness()
    return {
        "last_event_time": found.get("last_event_time") if found else None,
        "last_applied_at": found.get("last_applied_at") if found else None,
        "lag": await probe.lag(),
        "pending_summaries": await models.pending(),
    }
