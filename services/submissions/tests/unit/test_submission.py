import pytest
from pydantic import ValidationError

from submissions.domain.submission import (
    EntrantInput,
    NewSubmission,
    SubmissionStatus,
    TransitionRefused,
    can_submit,
)


def test_an_individual_must_be_in_group_d() -> None:
    with pytest.raises(ValidationError, match="d1 hoặc d2"):
        EntrantInput(name="Nguyễn Văn An", kind="individual", target_group="a")
    assert EntrantInput(name="Nguyễn Văn An", kind="individual", target_group="d1").target_group == "d1"


def test_criterion_codes_are_unique() -> None:
    criterion = {"code": "a1", "theme": 1, "max_points": 10, "value": 1, "target": 1}
    with pytest.raises(ValidationError, match="trùng"):
        NewSubmission.model_validate(
            {
                "period": "2025",
                "entrant": {"name": "Thôn Đông", "kind": "collective", "target_group": "a"},
                "criteria": [criterion, criterion],
            }
        )


def test_only_a_draft_can_be_submitted() -> None:
    can_submit(SubmissionStatus.DRAFT)
    with pytest.raises(TransitionRefused):
        can_submit(SubmissionStatus.SUBMITTED)
