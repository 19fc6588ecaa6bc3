"""A commune's entrants are listed the best final score first, those without one (not scored yet, or only in
progress) last, then by entrant name and submission: the order the province's commune page shows, so that the API
can cut it into pages."""

from __future__ import annotations

from rollups.domain.aggregates import Fact, ListingRow
from rollups.domain.listing import LISTING_ORDER, best_first, final_total, listing_rows


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


def test_a_listing_row_sorts_by_its_own_fields_as_best_first_orders_the_facts() -> None:
    """A row carries the fields pages sort by, so the listing sorted by them (as the index walks it) is the facts'
    `best_first` order; the finalised flag separates what province staff see; an entrant's awards of the period ride
    on each of its rows. A row depends on its own submission only: a new score moves no other row."""
    withdrawn = fact("s-8", "Thôn F", 70.0)
    withdrawn["withdrawn"] = 1
    thon_a = fact("s-3", "Thôn A", 95.0)
    thon_a["entrant_id"] = "e-a"
    award: Fact = {**bare("a-1"), "entrant_id": "e-a", "award_form": "GIAY_KHEN_XA", "level": "commune"}
    stray: Fact = {**bare("a-2"), "entrant_id": "e-z", "award_form": "GIAY_KHEN_XA"}  # another entrant's
    facts = [fact("s-1", "Thôn B", 81.0), fact("s-2", "Thôn C", None), thon_a, withdrawn, fact("s-9", "Thôn Z", 0.0)]
    rows = listing_rows("ph-37-lien-minh", "37", "2026", facts, [award, stray])

    def sort_key(row: ListingRow) -> tuple[object, ...]:
        return tuple(row[field] for field, _ in LISTING_ORDER)  # type: ignore[literal-required]

    listed = [r["_id"] for r in sorted(rows, key=sort_key)]
    assert listed == [f["_id"] for f in sorted(facts, key=best_first)] == ["s-3", "s-1", "s-8", "s-9", "s-2"]
    assert [r["_id"] for r in sorted(rows, key=sort_key) if r["finalised"]] == ["s-3", "s-1", "s-9"]
    assert {r["_id"]: r["rank_total"] for r in rows}["s-9"] == 0.0
    assert str(rows[-1]["rank_total"]) == "0.0"
    by_id = {r["_id"]: r for r in rows}
    assert by_id["s-3"]["awards"] == [{"award_form": "GIAY_KHEN_XA", "level": "commune", "number": None}]
    assert [by_id[i]["awards"] for i in ("s-1", "s-2", "s-8")] == [[], [], []]
    assert {(r["tenant"], r["province"], r["period"]) for r in rows} == {("ph-37-lien-minh", "37", "2026")}
    assert (by_id["s-3"]["total"], by_id["s-2"]["total"], by_id["s-2"]["grade"]) == (95.0, None, None)
    better = listing_rows("ph-37-lien-minh", "37", "2026", [*facts, fact("s-0", "Thôn Mới", 99.0)], [award])
    assert [r for r in better if r["_id"] != "s-0"] == list(rows)  # the others' rows are unchanged
