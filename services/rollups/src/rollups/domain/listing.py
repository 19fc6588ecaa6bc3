"""A commune's entrants in the order its pages show them: the best final score first, those without one last, then
by entrant name and submission. Computed with the period's summary, from the same facts, and stored as rows, so that
a page is a walk of an index instead of a fold of every fact of the period (ADR 0010, amended). Pure."""

from __future__ import annotations

from collections.abc import Iterable

from rollups.domain.aggregates import AwardShown, EntrantShown, Fact, ListingRow


def finalised(fact: Fact) -> bool:
    """A scored submission not withdrawn: what the province sees."""
    return fact.get("scored") == 1 and fact.get("withdrawn") != 1


def final_total(fact: Fact) -> float | None:
    """The submission's final score, None until it has one."""
    return fact.get("total") if fact.get("scored") else None


def best_first(fact: Fact) -> tuple[bool, float, str, str]:
    """The order a commune's entrants are listed in: the best final score first, those without one last, then by
    entrant name and submission."""
    total = final_total(fact)
    return total is None, -float(total or 0), str(fact.get("entrant_name")), str(fact["_id"])


def awards_by_entrant(awards: Iterable[Fact]) -> dict[str, list[AwardShown]]:
    """The awards of the period by the entrant that received them, in the order of their facts."""
    shown: dict[str, list[AwardShown]] = {}
    for award in awards:
        if award.get("entrant_id") and award.get("award_form"):
            shown.setdefault(award["entrant_id"], []).append(
                {"award_form": award["award_form"], "level": award.get("level"), "number": award.get("number")}
            )
    return shown


def as_shown(fact: Fact) -> EntrantShown:
    """What an entrants' page shows of a submission: its entrant, status, and final score and grade once it has
    them."""
    return {
        "_id": fact["_id"],
        "period": fact.get("period"),
        "entrant_id": fact.get("entrant_id"),
        "entrant_name": fact.get("entrant_name"),
        "entrant_kind": fact.get("entrant_kind"),
        "target_group": fact.get("target_group"),
        "status": fact.get("status"),
        "total": final_total(fact),
        "grade": fact.get("grade") if fact.get("scored") else None,
    }


# how a listing's rows are sorted, the fields `best_first` orders by; an index holds them after (tenant, period)
LISTING_ORDER = (("unscored", 1), ("rank_total", 1), ("name_key", 1), ("_id", 1))


def listing_rows(
    tenant: str, province: str, period: str, submissions: Iterable[Fact], awards: Iterable[Fact]
) -> list[ListingRow]:
    """One row per submission of the commune's period, carrying the fields pages sort it by (`best_first`)."""
    by_entrant = awards_by_entrant(awards)
    rows: list[ListingRow] = []
    for fact in submissions:
        unscored, rank_total, name_key, _ = best_first(fact)
        row: ListingRow = {
            **as_shown(fact),
            "tenant": tenant,
            "province": province,
            "period": period,
            "finalised": finalised(fact),
            "unscored": unscored,
            "rank_total": 0.0 + rank_total,  # never -0.0, which a server may order before 0.0
            "name_key": name_key,
            "awards": by_entrant.get(fact.get("entrant_id") or "", []),
        }
        rows.append(row)
    return rows
