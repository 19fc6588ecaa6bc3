"""What each reader sees. Commune users see their commune, in-progress work included; province staff see every
commune of their own province, ranked, with finalised scores and decided awards only, and can drill down to a
commune's entrants."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from typing import Any

from rollups.domain.aggregates import Figures, Summary
from rollups.domain.summary import combine, ranks
from rollups.repository import ReadModels, final_total
from thidua_shared.auth import Principal
from thidua_shared.problems import Forbidden, NotFound
from thidua_shared.tenancy import Scope, read_scope


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


async def ranked(models: ReadModels, province: str, period: str | None) -> tuple[list[dict[str, Any]], Figures]:
    """Every commune of the province with its ranks, best first, and the province's totals (one read)."""
    summaries = await models.summaries(Scope(province=province), period=period)
    rows: list[dict[str, Any]] = [
        {"commune": tenant, **_one(list(group))} for tenant, group in groupby(summaries, key=lambda s: s["tenant"])
    ]
    by_score = ranks({r["commune"]: r["points"] / r["scored"] if r["scored"] else None for r in rows})  # unrounded
    by_index = ranks({r["commune"]: (r["index"] or {}).get("overall") for r in rows})
    rows = [{**r, "rank": by_score[r["commune"]], "index_rank": by_index[r["commune"]]} for r in rows]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["commune"]))
    return rows, combine(summaries)


async def commune(models: ReadModels, principal: Principal, tenant: str, period: str | None) -> Mapping[str, Any]:
    scope = read_scope(principal).narrowed_to(tenant)
    if scope is None or scope.province is None:
        raise NotFound(f"Không có số liệu của xã {tenant} / No figures for commune {tenant}")
    rows, _totals = await ranked(models, scope.province, period)
    row = next((r for r in rows if r["commune"] == tenant), None)
    if row is None:
        raise NotFound(f"Không có số liệu của xã {tenant} / No figures for commune {tenant}")
    return _for(principal, row)


def own_province(principal: Principal, province: str) -> None:
    if principal.tenant is not None or principal.province != province:
        raise Forbidden("Chỉ xem được tỉnh của mình / Only your own province")


async def province(models: ReadModels, principal: Principal, code: str, period: str | None) -> dict[str, Any]:
    own_province(principal, code)
    rows, totals = await ranked(models, code, period)
    return {
        "province": code,
        "period": period,
        "communes": [_for(principal, r) for r in rows],
        "totals": _for(principal, totals),
    }


async def entrants(
    models: ReadModels, principal: Principal, tenant: str, period: str | None, *, skip: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of a commune's entrants with their final score and awards, the best score first (those without one
    last, then by name), and how many there are; in-progress dossiers for the commune only."""
    scope = read_scope(principal).narrowed_to(tenant)
    if scope is None or not await models.known(scope):
        raise NotFound(f"Không có số liệu của xã {tenant} / No figures for commune {tenant}")
    facts, total = await models.entrants(
        scope, period=period, scored_only=principal.tenant is None, skip=skip, limit=limit
    )
    shown = {f.get("entrant_id") for f in facts}
    awards: dict[str, list[dict[str, Any]]] = {}
    for award in await models.awards_of(scope, period=period):
        if award.get("entrant_id") in shown:
            awards.setdefault(award["entrant_id"], []).append(
                {"award_form": award["award_form"], "level": award["level"], "number": award["number"]}
            )
    rows = [
        {
            "submission_id": f["_id"],
            "period": f.get("period"),
            "entrant_id": f.get("entrant_id"),
            "entrant_name": f.get("entrant_name"),
            "entrant_kind": f.get("entrant_kind"),
            "target_group": f.get("target_group"),
            "status": f.get("status") if principal.tenant else None,
            "total": final_total(f),
            "grade": f.get("grade") if f.get("scored") else None,
            "awards": awards.get(f.get("entrant_id") or "", []),
        }
        for f in facts
    ]
    return rows, total
