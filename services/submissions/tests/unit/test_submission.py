"""Every lifecycle transition and evidence rule of a dossier."""

from __future__ import annotations

import itertools

import pytest

from submissions.domain.aggregates import AttachmentRef, Evidence
from submissions.domain.criteria import Criterion, Indicator, Rule, Step
from submissions.domain.lifecycle import (
    EDITABLE,
    TRANSITIONS,
    SubmissionStatus,
    TransitionRefused,
    next_status,
    require_editable,
)
from submissions.domain.submission import EvidenceInput, EvidenceRefused, check_evidence, missing_evidence

S = SubmissionStatus
ALLOWED = {
    ("submit", S.DRAFT): S.SUBMITTED,
    ("submit", S.RETURNED): S.RESUBMITTED,
    ("return", S.SUBMITTED): S.RETURNED,
    ("return", S.RESUBMITTED): S.RETURNED,
    ("withdraw", S.DRAFT): S.WITHDRAWN,
    ("withdraw", S.SUBMITTED): S.WITHDRAWN,
    ("withdraw", S.RETURNED): S.WITHDRAWN,
    ("withdraw", S.RESUBMITTED): S.WITHDRAWN,
}


@pytest.mark.parametrize(("action", "status"), list(itertools.product(TRANSITIONS, SubmissionStatus)))
def test_every_transition(action: str, status: SubmissionStatus) -> None:
    expected = ALLOWED.get((action, status))
    if expected is None:
        with pytest.raises(TransitionRefused, match=" / cannot"):
            next_status(action, status)  # type: ignore[arg-type]
    else:
        assert next_status(action, status) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("status", list(SubmissionStatus))
def test_only_drafts_and_returned_dossiers_are_editable(status: SubmissionStatus) -> None:
    if status in EDITABLE:
        require_editable(status)
    else:
        with pytest.raises(TransitionRefused):
            require_editable(status)


def test_withdrawn_is_final() -> None:
    for action in TRANSITIONS:
        with pytest.raises(TransitionRefused):
            next_status(action, S.WITHDRAWN)


RATIO = Criterion(
    code="a8",
    theme=3,
    title="Tỷ lệ hồ sơ trực tuyến toàn trình",
    max_points=10,
    rule=Rule(kind="ratio"),
    indicator=Indicator(name="Tỷ lệ", unit="%", target=100),
)
STEPS = Criterion(
    code="a7",
    theme=1,
    title="Họp Ban Chỉ đạo",
    max_points=10,
    rule=Rule(kind="steps", steps=(Step(at_least=4, points=10), Step(at_least=1, points=2.5))),
    indicator=Indicator(name="Số cuộc họp", unit="cuộc", target=4),
)
LEVEL = Criterion(code="a1", theme=1, title="Hoàn thành NQ 57", max_points=15, rule=Rule(kind="level"))
REVIEW = Criterion(code="a3", theme=3, title="Chuyển đổi số trong đơn vị", max_points=8, rule=Rule(kind="assessment"))
FLAG = Criterion(
    code="a-flag", theme=1, title="Cờ thi đua", max_points=10, rule=Rule(kind="bonus_penalty", points_per_occurrence=10)
)


@pytest.mark.parametrize(
    ("criterion", "evidence"),
    [
        (RATIO, EvidenceInput(value=95, narrative="95%", self_points=9.5)),
        (STEPS, EvidenceInput(value=4)),
        (LEVEL, EvidenceInput(level="half")),
        (REVIEW, EvidenceInput(narrative="Mô hình «Thôn số»", self_points=8)),
        (FLAG, EvidenceInput(occurrences=1)),
    ],
)
def test_evidence_that_fits_the_rule(criterion: Criterion, evidence: EvidenceInput) -> None:
    check_evidence(criterion, evidence)


@pytest.mark.parametrize(
    ("criterion", "evidence", "field"),
    [
        (RATIO, EvidenceInput(level="full"), "level"),
        (LEVEL, EvidenceInput(value=3), "value"),
        (REVIEW, EvidenceInput(value=1), "value"),
        (FLAG, EvidenceInput(value=1), "value"),
        (FLAG, EvidenceInput(occurrences=1, self_points=5), "self_points"),
        (RATIO, EvidenceInput(value=5, self_points=10.5), "self_points"),
    ],
)
def test_evidence_that_does_not_fit_names_the_field(criterion: Criterion, evidence: EvidenceInput, field: str) -> None:
    with pytest.raises(EvidenceRefused) as refused:
        check_evidence(criterion, evidence)
    assert refused.value.field == field


def test_completeness_lists_what_each_rule_still_needs() -> None:
    criteria = (RATIO, STEPS, LEVEL, REVIEW, FLAG)
    assert missing_evidence(criteria, {}) == ["a8", "a7", "a1", "a3"]  # a bonus is never required
    file: AttachmentRef = {
        "id": "f",
        "filename": "bien-ban.pdf",
        "media_type": "application/pdf",
        "size": 1,
        "sha256": "0" * 64,
    }
    evidence: dict[str, Evidence] = {
        "a8": {"value": 0},
        "a7": {"value": 2},
        "a1": {"level": "none"},
        "a3": {"attachments": [file]},
    }
    assert missing_evidence(criteria, evidence) == []
