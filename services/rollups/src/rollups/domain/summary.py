"""A commune's figures for a period, computed from its facts; several of them combined; communes ranked. Pure.

A summary is a function of the facts alone, so rebuilding the facts from the events rebuilds the same summaries.
What a commune is still working on (dossiers submitted or returned, candidates) is kept apart in `in_progress`:
province views show finalised scores and decided awards only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from rollups.domain.aggregates import AwardCounts, Fact, Figures, IndexFigures

PENDING_UPWARD = frozenset({"submitted", "forwarded_to_central"})


def band_of(total: float) -> str:
    """The score band a total falls in: "0", "10", ..., "90" (100 is in "90")."""
    return str(min(90, int(total // 10) * 10))


def _mean(points: float, count: int) -> float | None:
    return round(points / count, 2) if count else None


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def summarise(
    *,
    submissions: Iterable[Fact],
    awards: Iterable[Fact],
    proposals: Iterable[Fact],
    index: Fact | None,
) -> Figures:
    """One commune's figures for one period."""
    live = [s for s in submissions if not s.get("withdrawn")]
    scored = [s for s in live if s.get("scored")]
    groups: dict[str, dict[str, float]] = {}
    themes: dict[str, dict[str, float]] = {}
    for s in scored:
        group = groups.setdefault(s.get("target_group") or "?", {"scored": 0, "points": 0.0})
        group["scored"] += 1
        group["points"] += float(s["total"])
        for theme, got in (s.get("themes") or {}).items():
            mine = themes.setdefault(theme, {"scored": 0, "points": 0.0, "max_points": 0.0})
            mine["scored"] += 1
            mine["points"] += float(got["points"])
            mine["max_points"] += float(got["max_points"])
    decided = list(awards)
    proposal_list = list(proposals)
    points = sum(float(s["total"]) for s in scored)
    return {
        "scored": len(scored),
        "points": round(points, 4),
        "average_score": _mean(points, len(scored)),
        "grades": _counts(str(s["grade"]) for s in scored),
        "bands": _counts(band_of(float(s["total"])) for s in scored),
        "groups": {
            g: {
                "scored": int(v["scored"]),
                "points": v["points"],
                "average_score": _mean(v["points"], int(v["scored"])),
            }
            for g, v in sorted(groups.items())
        },
        "themes": {
            t: {
                "scored": int(v["scored"]),
                "points": v["points"],
                "max_sum": v["max_points"],
                "average_points": _mean(v["points"], int(v["scored"])),
                "max_points": _mean(v["max_points"], int(v["scored"])),
            }
            for t, v in sorted(themes.items(), key=lambda kv: int(kv[0]))
        },
        "awards": award_counts(decided),
        "proposals": _counts(str(p["status"]) for p in proposal_list),
        "pending_upward": sum(1 for p in proposal_list if p["status"] in PENDING_UPWARD),
        "index": None if index is None else index_figures(index),
        "in_progress": {
            "submitted": sum(1 for s in submissions if s.get("submitted")),
            "returned": sum(1 for s in live if s.get("returned")),
            "withdrawn": sum(1 for s in submissions if s.get("withdrawn")),
            "awaiting_score": sum(1 for s in live if s.get("submitted") and not s.get("scored")),
            "candidates": sum(1 for s in live if s.get("candidate")),
        },
    }


INDEX_FIELDS = ("overall", "digital_government", "digital_economy", "digital_society")


def index_figures(index: Fact) -> IndexFigures:
    """The commune's index (its `INDEX_FIELDS`), from its index fact."""
    return {
        "overall": index.get("overall"),
        "digital_government": index.get("digital_government"),
        "digital_economy": index.get("digital_economy"),
        "digital_society": index.get("digital_society"),
    }


def award_counts(awards: Iterable[Fact]) -> AwardCounts:
    rows = list(awards)
    return {
        "total": len(rows),
        "by_form": _counts(str(a["award_form"]) for a in rows),
        "by_level": _counts(str(a["level"]) for a in rows),
        "by_kind": _counts(str(a["entrant_kind"]) for a in rows),
        "ad_hoc": sum(1 for a in rows if a.get("ad_hoc")),
    }


def _add_counts(into: dict[str, int], more: Mapping[str, int]) -> None:
    for key, value in more.items():
        into[key] = into.get(key, 0) + int(value)


def combine(summaries: Iterable[Figures]) -> Figures:
    """Several summaries as one (periods of a commune, or communes of a province): counts add up, means are
    weighted by what was scored (never a mean of means), per target group and theme too, from the exact sums; the
    index is not combined."""
    parts = list(summaries)
    scored = sum(int(p["scored"]) for p in parts)
    points = sum(float(p["points"]) for p in parts)
    grades: dict[str, int] = {}
    bands: dict[str, int] = {}
    proposals: dict[str, int] = {}
    in_progress: dict[str, int] = {}
    by_form: dict[str, int] = {}
    by_level: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    groups: dict[str, list[float]] = {}
    themes: dict[str, list[float]] = {}
    for p in parts:
        for t, theme in p["themes"].items():
            acc = themes.setdefault(t, [0, 0.0, 0.0])
            acc[0] += theme["scored"]
            # summaries made before the sums were kept have the means only
            acc[1] += theme.get("points", (theme["average_points"] or 0) * theme["scored"])
            acc[2] += theme.get("max_sum", (theme["max_points"] or 0) * theme["scored"])
        _add_counts(grades, p["grades"])
        _add_counts(bands, p["bands"])
        _add_counts(proposals, p["proposals"])
        _add_counts(in_progress, p["in_progress"])
        _add_counts(by_form, p["awards"]["by_form"])
        _add_counts(by_level, p["awards"]["by_level"])
        _add_counts(by_kind, p["awards"]["by_kind"])
        for g, group in p["groups"].items():
            acc = groups.setdefault(g, [0, 0.0])
            acc[0] += group["scored"]
            acc[1] += group.get("points", (group["average_score"] or 0) * group["scored"])
    return {
        "scored": scored,
        "points": round(points, 4),
        "average_score": _mean(points, scored),
        "grades": dict(sorted(grades.items())),
        "bands": dict(sorted(bands.items())),
        "groups": {
            g: {"scored": int(n), "points": pts, "average_score": _mean(pts, int(n))}
            for g, (n, pts) in sorted(groups.items())
        },
        "themes": {
            t: {
                "scored": int(n),
                "points": pts,
                "max_sum": mx,
                "average_points": _mean(pts, int(n)),
                "max_points": _mean(mx, int(n)),
            }
            for t, (n, pts, mx) in sorted(themes.items(), key=lambda kv: int(kv[0]))
        },
        "awards": {
            "total": sum(int(p["awards"]["total"]) for p in parts),
            "by_form": dict(sorted(by_form.items())),
            "by_level": dict(sorted(by_level.items())),
            "by_kind": dict(sorted(by_kind.items())),
            "ad_hoc": sum(int(p["awards"].get("ad_hoc", 0)) for p in parts),
        },
        "proposals": dict(sorted(proposals.items())),
        "pending_upward": sum(int(p["pending_upward"]) for p in parts),
        "index": None,
        "in_progress": dict(sorted(in_progress.items())),
    }


def ranks(values: Mapping[str, float | None]) -> dict[str, int | None]:
    """Competition ranks, best (highest) first: ties share a rank, the next rank skips (1, 1, 3); no value, no rank."""
    ordered = sorted((v for v in values.values() if v is not None), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: (first[value] if value is not None else None) for key, value in values.items()}
