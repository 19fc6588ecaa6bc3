"""A commune's entrants are listed the best final score first, those without one (not scored yet, or only in
progress) last, then by entrant name and submission: the order the province's commune page shows, so that the API
can cut it into pages."""

from __future__ import annotations

from rollups.domain.aggregates import Fact
from rollups.domain.listing import best_first, final_total, listing_rows


def bare(submission: str) -> Fact:
    """A submission fact that says nothing yet but where it belongs."""
    return {"_id": submission, "tenant": "ph-37-lien-minh", "province": "37", "period": "2026"}


def fact(submission: str, name: str, total: float | None, *, scored: bool = True) -> Fact:
    found = bare(submission)
    found["entrant_name"] = name
    if total is not None:
        found["total"] = total
        if scored:
            found["scored"] = 1
    return found


def test_the_best_final_score_first_then_the_unscored_by_name() -> None:
    facts = [
        fact("s-1", "Thôn B", 81.0),
        fact("s-2", "Thôn C", None),
        fact("s-3", "Thôn A", 95.0),
        fact("s-4", "Bà Hường", 88.0),
        fact("s-5", "Thôn A", None),
        fact("s-6", "Thôn D", 95.0),
        fact("s-7", "Thôn E", 99.0, scored=False),  # a provisional total is no final score
    ]
    assert [f["_id"] for f in sorted(facts, key=best_first)] == ["s-3", "s-6", "s-4", "s-1", "s-5", "s-2", "s-7"]


def test_a_total_counts_only_once_it_is_final() -> None:
    assert final_total(fact("s-1", "Thôn A", 90.0)) == 90.0
    assert final_total(fact("s-1", "Thôn A", 90.0, scored=False)) is None
    assert final_total(bare("s-1")) is None


def test_the_listing_numbers_every_submission_and_the_finalised_ones_apart() -> None:
    """Province staff page through the finalised submissions only, commune users through all: each has its own
    gap-free numbering in the same order; an entrant's awards of the period ride on each of its rows."""
    withdrawn = fact("s-8", "Thôn F", 70.0)
    withdrawn["withdrawn"] = 1
    thon_a = fact("s-3", "Thôn A", 95.0)
    thon_a["entrant_id"] = "e-a"
    award: Fact = {**bare("a-1"), "entrant_id": "e-a", "award_form": "GIAY_KHEN_XA", "level": "commune"}
    stray: Fact = {**bare("a-2"), "entrant_id": "e-z", "award_form": "GIAY_KHEN_XA"}  # another entrant's
    rows = listing_rows(
        "ph-37-lien-minh", "37", "2026", [fact("s-1", "Thôn B", 81.0), fact("s-2", "Thôn C", None), thon_a, withdrawn],
        [award, stray],
    )  # fmt: skip
    assert [(r["_id"], r["position"], r["final_position"]) for r in rows] == [
        ("s-3", 0, 0),
        ("s-1", 1, 1),
        ("s-8", 2, None),  # scored, then withdrawn: listed for the commune, not for the province
        ("s-2", 3, None),
    ]
    assert rows[0]["awards"] == [{"award_form": "GIAY_KHEN_XA", "level": "commune", "number": None}]
    assert [r["awards"] for r in rows[1:]] == [[], [], []]
    assert {(r["tenant"], r["province"], r["period"]) for r in rows} == {("ph-37-lien-minh", "37", "2026")}
    assert (rows[0]["total"], rows[3]["total"], rows[3]["grade"]) == (95.0, None, None)
