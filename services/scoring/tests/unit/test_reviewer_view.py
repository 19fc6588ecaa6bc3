from __future__ import annotations

from typing import Any

from scoring.service.reviews import reviewer_view


def score(blind: bool) -> dict[str, Any]:
    return {
        "submission_id": "s1",
        "submission_version": 2,
        "period": "2026",
        "entrant": {"id": "e1", "name": "Trường Tiểu học Liên Minh", "kind": "collective", "target_group": "c"},
        "policy": {"blind": blind},
        "evidence": [
            {
                "code": "c1",
                "theme": 4,
                "title": "Văn hóa đổi mới",
                "rule": "assessment",
                "max_points": 15,
                "narrative": "Kế hoạch chuyển đổi số của trường",
                "attachments": [],
            },
            {"code": "c4", "theme": 5, "title": "Tỷ lệ kỹ năng số", "rule": "ratio", "max_points": 10},
        ],
    }


def test_a_blind_review_names_no_entrant() -> None:
    view = reviewer_view(score(blind=True), [], [{"status": "done"}, {"status": "pending"}, {"status": "recused"}])
    assert view["entrant"] is None and view["blind"] is True
    assert "Trường Tiểu học" not in str(view)
    assert [c["code"] for c in view["criteria"]] == ["c1"]  # only what the council scores
    assert (view["reviews_done"], view["reviews_wanted"]) == (1, 2)


def test_an_open_review_shows_the_entrant_and_my_points() -> None:
    view = reviewer_view(score(blind=False), [{"criterion": "c1", "points": 12, "comment": "Tốt"}], [])
    assert view["entrant"]["name"] == "Trường Tiểu học Liên Minh"
    assert view["my_assessments"] == {"c1": {"points": 12, "comment": "Tốt"}}
