"""Summaries from facts: bands at their edges, means weighted by what was scored, ranks with ties."""

from rollups.domain.aggregates import Fact
from rollups.domain.summary import band_of, combine, ranks, summarise


def _fact(total: float, *, withdrawn: bool = False) -> Fact:
    fact: Fact = {
        "_id": "s-1",
        "tenant": "ph-37-lien-minh",
        "province": "37",
        "period": "2026",
        "submitted": 1,
        "scored": 1,
        "total": total,
        "grade": "Tốt",
        "target_group": "a",
    }
    if withdrawn:
        fact["withdrawn"], fact["submitted"] = 1, 0
    return fact


def test_bands_at_their_edges() -> None:
    assert [band_of(t) for t in (0, 9.99, 10, 89.9, 90, 100)] == ["0", "0", "10", "80", "90", "90"]


def test_a_withdrawn_dossier_counts_as_withdrawn_only() -> None:
    summary = summarise(submissions=[_fact(80), _fact(60, withdrawn=True)], awards=[], proposals=[], index=None)
    assert (summary["scored"], summary["average_score"]) == (1, 80.0)
    assert summary["in_progress"]["withdrawn"] == 1
    assert summary["in_progress"]["submitted"] == 1


def test_the_province_mean_weighs_every_scored_submission() -> None:
    a = summarise(submissions=[_fact(90), _fact(90), _fact(90)], awards=[], proposals=[], index=None)
    b = summarise(submissions=[_fact(60)], awards=[], proposals=[], index=None)
    line = combine([a, b])
    assert (line["scored"], line["average_score"]) == (4, 82.5)  # (3 × 90 + 60) / 4, not the mean of means (75)
    assert line["groups"]["a"] == {"scored": 4, "points": 330.0, "average_score": 82.5}
    assert combine([])["average_score"] is None


def test_ties_share_a_rank_and_the_next_one_skips() -> None:
    assert ranks({"a": 90.0, "b": 95.0, "c": 90.0, "d": 80.0, "e": None}) == {
        "b": 1,
        "a": 2,
        "c": 2,
        "d": 4,
        "e": None,
    }


def test_combined_means_come_from_exact_sums_not_rounded_means() -> None:
    thirds = summarise(submissions=[_fact(80), _fact(80), _fact(81)], awards=[], proposals=[], index=None)
    assert thirds["groups"]["a"]["average_score"] == 80.33  # 80.333… shown rounded
    line = combine([thirds, thirds, thirds])
    assert line["groups"]["a"]["points"] == 723.0
    assert line["groups"]["a"]["average_score"] == 80.33
