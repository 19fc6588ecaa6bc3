"""Council reviews: aggregation, final breakdown, ranks, conflicts of interest and load-balanced assignment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scoring.domain.assessment import aggregate, final_breakdown, ranks
from scoring.domain.council import CouncilMember, choose_reviewers, conflict
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy
from thidua_contracts.terms import EntrantRef, GradeBand

VILLAGE = EntrantRef(id="thon-dong", name="Thôn Đông", kind="collective", target_group="a")
PERSON = EntrantRef(id="hoa", name="Nguyễn Thị Hoa", kind="individual", target_group="d1", unit_id="thon-dong")


def test_mean_and_median_by_hand() -> None:
    assert aggregate([6, 7, 10], "mean") == 7.67
    assert aggregate([6, 7, 10], "median") == 7.0
    assert aggregate([6, 8], "median") == 7.0


@given(
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=9),
    st.sampled_from(["mean", "median"]),
)
def test_an_aggregate_lies_between_the_lowest_and_highest_review(points: list[float], method: str) -> None:
    assert round(min(points), 2) - 0.01 <= aggregate(points, method) <= round(max(points), 2) + 0.01


def test_final_breakdown_by_hand() -> None:
    criteria = [
        CriterionEvidence(code="a3", theme=3, rule="assessment", max_points=30),
        CriterionEvidence(code="a4", theme=4, rule="assessment", max_points=20),
        CriterionEvidence(code="a8", theme=3, rule="ratio", max_points=50, value=45, target=50),
    ]
    policy = ScoringPolicy(aggregation="median", grade_bands=(GradeBand(minimum=60, grade="Tốt"),))
    result = final_breakdown(criteria, {"a3": [20, 24, 30]}, max_total=100, policy=policy)
    assert [c.points for c in result.criteria] == [24.0, 0.0, 45.0]
    assert result.criteria[0].explanation == "trung vị của 3 đánh giá (20, 24, 30) = 24"
    assert result.criteria[1].explanation == "không có đánh giá của Hội đồng / no council assessment"
    assert (result.total, result.grade) == (69.0, "Tốt")  # the province's own bands


@given(st.lists(st.floats(min_value=0, max_value=40, allow_nan=False), min_size=0, max_size=5))
def test_a_final_total_stays_within_bounds(points: list[float]) -> None:
    criteria = [CriterionEvidence(code=f"c{n}", theme=1, rule="assessment", max_points=40) for n in range(3)]
    result = final_breakdown(
        criteria, {"c0": points, "c1": points, "c2": points}, max_total=100, policy=ScoringPolicy()
    )
    assert 0 <= result.total <= 100
    assert all(0 <= c.points <= c.max_points for c in result.criteria)


def test_competition_ranks_share_ties() -> None:
    assert ranks([("a", 90), ("b", 85), ("c", 90), ("d", 70)]) == {"a": 1, "c": 1, "b": 3, "d": 4}


def test_a_member_never_reviews_their_unit_its_people_or_themselves() -> None:
    head = CouncilMember(username="lm.council1", unit_entrant_ids=("thon-dong",))
    assert conflict(head, VILLAGE) is not None
    assert conflict(head, PERSON) is not None  # a person of their unit
    herself = CouncilMember(username="lm.council2", person_entrant_id="hoa")
    assert conflict(herself, PERSON) is not None
    assert conflict(herself, VILLAGE) is None


def test_assignment_balances_load_and_skips_conflicts() -> None:
    members = [
        CouncilMember(username=n, unit_entrant_ids=u)
        for n, u in (("an", ("thon-dong",)), ("binh", ()), ("cuc", ()), ("dung", ()))
    ]
    load = {"binh": 3, "cuc": 1, "dung": 1}
    assert choose_reviewers(members, VILLAGE, load, 2) == ["cuc", "dung"]  # an is excluded, binh is busiest
    assert choose_reviewers(members, VILLAGE, load, 5) == ["cuc", "dung", "binh"]
    assert choose_reviewers(members, VILLAGE, load, 2, exclude=frozenset({"cuc"})) == ["dung", "binh"]
