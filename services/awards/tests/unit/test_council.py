"""Quorum, threshold and recusal edge cases: ties, absent members, exactly at the threshold."""

from __future__ import annotations

import pytest

from awards.domain.council import SessionMember, quorum_required, recusals, tally
from awards.domain.rules import AwardRule
from thidua_contracts.terms import EntrantRef


def rule(**settings: object) -> AwardRule:
    return AwardRule.model_validate({"form": "GIAY_KHEN_XA", "round": "yearly", **settings})


@pytest.mark.parametrize(
    ("members", "share", "required"), [(3, 2 / 3, 2), (7, 2 / 3, 5), (9, 2 / 3, 6), (10, 0.5, 5), (1, 2 / 3, 1)]
)
def test_quorum_is_the_share_rounded_up(members: int, share: float, required: int) -> None:
    assert quorum_required(members, share) == required


@pytest.mark.parametrize(
    ("votes", "members", "recused", "settings", "passed"),
    [
        (["yes"] * 3 + ["no"] * 3, 6, 0, {}, False),  # a tie is not "more than half"
        (["yes"] * 4 + ["no"] * 2, 6, 0, {}, True),
        (["yes"] * 3, 6, 0, {}, False),  # three absent members count against: 3/6 is not > 50%
        (["yes"] * 3 + ["abstain"], 5, 0, {}, True),  # 3/5
        (["yes"] * 2, 5, 1, {}, False),  # 2/5 of all members
        (["yes"] * 2 + ["no"], 4, 1, {"threshold_base": "non_recused_members"}, True),  # 2/3 of those who may vote
        (["yes"] * 9 + ["no"], 10, 0, {"threshold_share": 0.9, "threshold_inclusive": True}, True),  # exactly at 90%, ≥
        (["yes"] * 9 + ["no"], 10, 0, {"threshold_share": 0.9}, False),  # exactly at 90%, >
        (
            ["yes"] * 2,
            3,
            0,
            {"threshold_share": 2 / 3, "threshold_inclusive": True},
            True,
        ),  # 2/3 exactly, no float error
        ([], 2, 2, {"threshold_base": "non_recused_members"}, False),  # nobody may vote: not passed
    ],
)
def test_threshold(votes: list[str], members: int, recused: int, settings: dict[str, object], passed: bool) -> None:
    counted = tally(votes, members=members, recused=recused, rule=rule(**settings))  # type: ignore[arg-type]
    assert counted.passed is passed
    assert counted.yes + counted.no + counted.abstain == len(votes)


def test_members_recuse_from_themselves_and_their_units() -> None:
    members = [
        SessionMember(username="a", name="Nguyễn Văn A", unit_entrant_ids=("school",)),
        SessionMember(username="b", name="Trần Thị B", person_entrant_id="teacher"),
        SessionMember(username="c", name="Lê Văn C"),
    ]
    school = EntrantRef(id="school", name="Trường Tiểu học Liên Minh", kind="collective", target_group="c")
    teacher = EntrantRef(id="teacher", name="Phạm Thị D", kind="individual", target_group="d1", unit_id="school")
    assert set(recusals(members, school)) == {"a"}
    assert set(recusals(members, teacher)) == {"a", "b"}
