"""Eligibility rules, table-driven: kind, group, minimum score and grade, flags, prerequisites, quota and ties."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from awards.domain.catalogue import FORMS, period_label, round_of
from awards.domain.rules import (
    DEFAULT_RULES,
    FLAG_NAMES,
    AwardRule,
    PastAward,
    Prerequisite,
    Scored,
    evaluate,
    quota_of,
    rule_for,
)
from thidua_contracts.terms import EntrantRef


def scored(entrant_id: str, total: float, *, group: str = "a", kind: str = "collective", grade: str = "Tốt") -> Scored:
    entrant = EntrantRef.model_validate(
        {"id": entrant_id, "name": f"Đơn vị {entrant_id}", "kind": kind, "target_group": group}
    )
    return Scored(entrant=entrant, total=total, grade=grade)


def rule(**settings: object) -> AwardRule:
    return AwardRule.model_validate({"form": "GIAY_KHEN_XA", "round": "yearly", **settings})


@pytest.mark.parametrize(
    ("settings", "item", "flags", "history", "eligible", "reason"),
    [
        ({"minimum_total": 80}, scored("e", 80), set(), [], True, None),
        ({"minimum_total": 80}, scored("e", 79.99), set(), [], False, "dưới mức 80"),
        ({"recipient_kinds": ["collective"]}, scored("e", 95, kind="individual", group="d1"), set(), [], False, "loại"),
        ({"target_groups": ["a", "b"]}, scored("e", 95, group="c"), set(), [], False, "nhóm"),
        ({"minimum_grade": "Xuất sắc"}, scored("e", 95, grade="Tốt"), set(), [], False, "xếp loại"),
        ({"minimum_grade": "Tốt"}, scored("e", 85, grade="Xuất sắc"), set(), [], True, None),
        ({}, scored("e", 95), {"discipline"}, [], False, "kỷ luật"),
        ({}, scored("e", 95), {"complaint"}, [], False, "khiếu nại"),
        ({"excluded_flags": ["discipline"]}, scored("e", 95), {"investigation"}, [], True, None),
        ({}, scored("e", 95), {"investigation"}, [], False, "dấu hiệu vi phạm"),
        ({"excluded_flags": ["inspection"]}, scored("e", 95), {"investigation"}, [], False, "điều tra"),
        (
            {"prerequisites": [{"form": "GIAY_KHEN_XA", "count": 2}]},
            scored("e", 95),
            set(),
            [PastAward("GIAY_KHEN_XA", "2025", "thematic")],
            False,
            "chưa có 2",
        ),
        (
            {"prerequisites": [{"form": "GIAY_KHEN_XA", "count": 1, "track": "regular"}]},
            scored("e", 95),
            set(),
            [PastAward("GIAY_KHEN_XA", "2025", "thematic")],
            False,
            "chưa có 1",
        ),
        (
            {"prerequisites": [{"form": "GIAY_KHEN_XA", "count": 1}]},
            scored("e", 95),
            set(),
            [PastAward("GIAY_KHEN_XA", "2025", "regular")],
            True,
            None,
        ),
    ],
)
def test_one_condition(
    settings: dict[str, object],
    item: Scored,
    flags: set[str],
    history: list[PastAward],
    eligible: bool,
    reason: str | None,
) -> None:
    verdict = evaluate(rule(**settings), [item], flags={"e": frozenset(flags)}, history={"e": history})["e"]  # type: ignore[arg-type]
    assert verdict.eligible is eligible
    if reason:
        assert any(reason in r for r in verdict.reasons), verdict.reasons


@pytest.mark.parametrize(
    ("size", "percent", "allowed"), [(10, 30, 3), (3, 30, 1), (1, 10, 1), (20, 10, 2), (7, 50, 3), (100, 5, 5)]
)
def test_quota_rounds_down_but_leaves_one(size: int, percent: float, allowed: int) -> None:
    assert quota_of(rule(quota_percent=percent), size) == allowed


def test_quota_takes_the_best_of_each_group_separately() -> None:
    items = [scored(f"a{i}", 90 - i) for i in range(10)] + [scored(f"b{i}", 85 - i, group="b") for i in range(4)]
    verdicts = evaluate(rule(quota_percent=30), items, flags={}, history={})
    assert sorted(k for k, v in verdicts.items() if v.eligible) == ["a0", "a1", "a2", "b0"]
    assert verdicts["a3"].rank == 4
    assert "hạn mức" in verdicts["a3"].reasons[0]


def test_ties_at_the_cutoff_are_left_to_the_officer() -> None:
    items = [scored("x", 95), scored("y", 90), scored("z", 90)] + [scored(f"o{i}", 50) for i in range(4)]
    verdicts = evaluate(rule(quota_percent=30), items, flags={}, history={})  # 7 entrants → 2 places
    assert verdicts["x"].eligible
    assert not verdicts["y"].eligible
    assert not verdicts["z"].eligible
    assert "đồng điểm" in verdicts["y"].reasons[0]
    assert verdicts["y"].rank == 2


def test_an_excluded_entrant_does_not_take_a_quota_place() -> None:
    items = [scored("best", 99), scored("next", 90), scored("third", 80)]
    verdicts = evaluate(rule(quota_percent=34), items, flags={"best": frozenset({"discipline"})}, history={})
    assert [k for k, v in verdicts.items() if v.eligible] == ["next"]
    assert verdicts["best"].rank is None


def test_a_rule_must_fit_its_form() -> None:
    with pytest.raises(ValidationError, match="không xét trong đợt này"):
        AwardRule.model_validate({"form": "CO_THI_DUA_CP", "round": "yearly"})
    with pytest.raises(ValidationError, match="recipient kinds"):
        AwardRule.model_validate({"form": "CO_THI_DUA_TINH", "round": "tong_ket", "recipient_kinds": ["individual"]})
    with pytest.raises(ValidationError):
        Prerequisite.model_validate({"form": "GIAY_KHEN_XA", "count": 0})


def test_defaults_cover_every_form_and_round_it_is_awarded_in() -> None:
    assert rule_for(DEFAULT_RULES, "GIAY_KHEN_XA", "yearly") is not None
    assert rule_for(DEFAULT_RULES, "BANG_KHEN_TTG", "yearly") is None
    assert rule_for(DEFAULT_RULES, "HCLD_HANG_BA", "tong_ket") is not None
    every = {f"{form.code}:{r}" for form in FORMS.values() for r in form.rounds}
    assert {r.key for r in DEFAULT_RULES} == every
    assert len(DEFAULT_RULES) == len(every)


def test_periods_map_to_rounds_and_labels() -> None:
    assert (round_of("2026"), period_label("2026")) == ("yearly", "năm 2026")
    assert (round_of("so-ket-2027"), period_label("so-ket-2027")) == ("so_ket", "sơ kết giai đoạn 2025–2027")
    assert round_of("tong-ket-2030") == "tong_ket"


def test_pass_rule_reads_as_the_minutes_say_it() -> None:
    assert rule().pass_rule_text() == "trên 50% tổng số thành viên Hội đồng"
    assert (
        rule(threshold_share=0.9, threshold_inclusive=True).pass_rule_text()
        == "từ 90% trở lên tổng số thành viên Hội đồng"
    )


@pytest.mark.parametrize(
    ("form", "round_", "size", "percent", "allowed"),
    [
        ("BANG_KHEN_TTG", "tong_ket", 10, 5, 0),  # a central form: 5% of 10 is no place of the group's own
        ("HCLD_HANG_BA", "tong_ket", 60, 2, 1),
        ("BANG_KHEN_TINH", "yearly", 5, 10, 1),  # a province form keeps its one place
        ("GIAY_KHEN_XA", "yearly", 2, 30, 1),
    ],
)
def test_central_forms_leave_no_place_per_group_by_default(
    form: str, round_: str, size: int, percent: float, allowed: int
) -> None:
    central = AwardRule.model_validate({"form": form, "round": round_, "quota_percent": percent})
    assert quota_of(central, size) == allowed


def test_at_least_one_place_is_a_setting_of_the_rule() -> None:
    central = AwardRule.model_validate({"form": "BANG_KHEN_TTG", "round": "tong_ket", "quota_percent": 5})
    assert quota_of(central.model_copy(update={"at_least_one": True}), 10) == 1
    assert quota_of(rule(quota_percent=30, at_least_one=False), 2) == 0


def test_a_group_without_a_central_place_has_every_entrant_over_the_quota() -> None:
    central = AwardRule.model_validate({"form": "BANG_KHEN_TTG", "round": "tong_ket", "quota_percent": 5})
    verdicts = evaluate(central, [scored("best", 99), scored("next", 97)], flags={}, history={})
    assert [v.eligible for v in verdicts.values()] == [False, False]
    assert "(0 suất)" in verdicts["best"].reasons[0]


def test_a_stored_rule_with_the_old_inspection_flag_still_loads() -> None:
    stored = {"form": "GIAY_KHEN_XA", "round": "yearly", "excluded_flags": ["discipline", "inspection"]}
    assert AwardRule.model_validate(stored).excluded_flags == ("discipline", "investigation")
    with pytest.raises(ValidationError):
        AwardRule.model_validate({**stored, "excluded_flags": ["routine_inspection"]})


def test_the_bar_names_the_decree_s_cases_not_any_inspection() -> None:
    assert set(FLAG_NAMES) == {"discipline", "investigation", "complaint"}
    assert "xem xét kỷ luật" in FLAG_NAMES["discipline"]
    assert "khi có dấu hiệu vi phạm" in FLAG_NAMES["investigation"]
    assert "đang được xác minh" in FLAG_NAMES["complaint"]


def test_the_province_chairman_decides_its_forms_and_proposes_the_central_ones() -> None:
    for code in ("BANG_KHEN_TINH", "CO_THI_DUA_TINH"):
        assert FORMS[code].decided_by.startswith("Chủ tịch UBND tỉnh")
        assert FORMS[code].proposed_to is None
    assert {code: FORMS[code].proposed_to for code in ("BANG_KHEN_TTG", "CO_THI_DUA_CP", "HCLD_HANG_BA")} == {
        "BANG_KHEN_TTG": "Thủ tướng Chính phủ",
        "CO_THI_DUA_CP": "Thủ tướng Chính phủ",
        "HCLD_HANG_BA": "Thủ tướng Chính phủ trình Chủ tịch nước",
    }
