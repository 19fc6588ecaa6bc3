from __future__ import annotations

from datetime import UTC, datetime

from scoring.domain.aggregates import Assessment, Assignment, Score
from scoring.domain.lifecycle import AssignmentStatus
from scoring.repository import stored_entrant, stored_evidence, stored_policy
from scoring.service.reviews import reviewer_view
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy
from thidua_contracts.terms import EntrantRef

AT = datetime(2026, 5, 4, tzinfo=UTC)
TENANT = "ph-37-lien-minh"


def score(blind: bool) -> Score:
    entrant = EntrantRef(id="e1", name="Trường Tiểu học Liên Minh", kind="collective", target_group="c")
    evidence = [
        CriterionEvidence(
            code="c1",
            theme=4,
            title="Văn hóa đổi mới",
            rule="assessment",
            max_points=15,
            narrative="Kế hoạch chuyển đổi số của trường",
        ),
        CriterionEvidence(code="c4", theme=5, title="Tỷ lệ kỹ năng số", rule="ratio", max_points=10),
    ]
    return {
        "_id": "s1:2",
        "tenant": TENANT,
        "province": "37",
        "submission_id": "s1",
        "submission_version": 2,
        "period": "2026",
        "entrant": stored_entrant(entrant),
        "submitted_by": "u-submitter",
        "total": 0.0,
        "max_total": 100.0,
        "grade": "Không đạt",
        "criteria": [],
        "evidence": stored_evidence(evidence),
        "policy": stored_policy(ScoringPolicy(blind=blind)),
        "status": "submitted",
        "computed_at": AT,
        "caused_by": "e-submitted",
    }


def assignment(reviewer: str, status: AssignmentStatus) -> Assignment:
    return {
        "_id": f"s1:2:{reviewer}",
        "tenant": TENANT,
        "province": "37",
        "submission_id": "s1",
        "submission_version": 2,
        "period": "2026",
        "reviewer": reviewer,
        "status": status,
        "assigned_at": AT,
    }


def assessment(criterion: str, points: float, comment: str | None) -> Assessment:
    return {
        "_id": f"s1:2:lm.council1:{criterion}",
        "tenant": TENANT,
        "province": "37",
        "submission_id": "s1",
        "submission_version": 2,
        "reviewer": "lm.council1",
        "criterion": criterion,
        "points": points,
        "comment": comment,
        "updated_at": AT,
    }


def test_a_blind_review_names_no_entrant() -> None:
    assignments = [assignment("a", "done"), assignment("b", "pending"), assignment("c", "recused")]
    view = reviewer_view(score(blind=True), [], assignments)
    assert view["entrant"] is None
    assert view["blind"] is True
    assert "Trường Tiểu học" not in str(view)
    assert [c["code"] for c in view["criteria"]] == ["c1"]  # only what the council scores
    assert (view["reviews_done"], view["reviews_wanted"]) == (1, 2)


def test_an_open_review_shows_the_entrant_and_my_points() -> None:
    view = reviewer_view(score(blind=False), [assessment("c1", 12, "Tốt")], [])
    assert view["entrant"]["name"] == "Trường Tiểu học Liên Minh"
    assert view["my_assessments"] == {"c1": {"points": 12, "comment": "Tốt"}}
