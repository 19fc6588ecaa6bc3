"""A dossier's lifecycle (hồ sơ thi đua): its statuses and the moves between them. Pure rules, no I/O.

draft ──submit──► submitted ──return──► returned ──submit──► resubmitted ──return──► returned …
  any status but withdrawn ──withdraw──► withdrawn (final; the entrant may then start a new dossier)
Evidence can be changed only in draft and returned.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class SubmissionStatus(StrEnum):
    DRAFT = "draft"  # nháp
    SUBMITTED = "submitted"  # đã nộp
    RETURNED = "returned"  # trả lại để bổ sung
    RESUBMITTED = "resubmitted"  # đã nộp lại
    WITHDRAWN = "withdrawn"  # đã rút


STATUS_NAMES = {
    SubmissionStatus.DRAFT: "nháp",
    SubmissionStatus.SUBMITTED: "đã nộp",
    SubmissionStatus.RETURNED: "trả lại để bổ sung",
    SubmissionStatus.RESUBMITTED: "đã nộp lại",
    SubmissionStatus.WITHDRAWN: "đã rút",
}
EDITABLE = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})
Action = Literal["submit", "return", "withdraw"]
TRANSITIONS: dict[Action, dict[SubmissionStatus, SubmissionStatus]] = {
    "submit": {
        SubmissionStatus.DRAFT: SubmissionStatus.SUBMITTED,
        SubmissionStatus.RETURNED: SubmissionStatus.RESUBMITTED,
    },
    "return": {
        SubmissionStatus.SUBMITTED: SubmissionStatus.RETURNED,
        SubmissionStatus.RESUBMITTED: SubmissionStatus.RETURNED,
    },
    "withdraw": {
        status: SubmissionStatus.WITHDRAWN for status in SubmissionStatus if status is not SubmissionStatus.WITHDRAWN
    },
}
ACTION_NAMES: dict[Action, str] = {"submit": "nộp", "return": "trả lại", "withdraw": "rút"}


class TransitionRefused(Exception):
    """A lifecycle step that the current status does not allow."""


def next_status(action: Action, status: SubmissionStatus) -> SubmissionStatus:
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise TransitionRefused(
            f"Không thể {ACTION_NAMES[action]} hồ sơ đang ở trạng thái «{STATUS_NAMES[status]}» / "
            f"cannot {action} a submission that is {status.value}"
        ) from None


def require_editable(status: SubmissionStatus) -> None:
    if status not in EDITABLE:
        raise TransitionRefused(
            f"Chỉ sửa được hồ sơ nháp hoặc bị trả lại (hiện: «{STATUS_NAMES[status]}») / "
            f"only a draft or returned submission can be changed (it is {status.value})"
        )
