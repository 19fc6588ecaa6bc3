"""The statuses a candidate and an upward proposal go through (DOMAIN.md §4), as Vietnamese emulation software names
them, and the moves between them."""

from __future__ import annotations

from typing import Literal

CandidateStatus = Literal[
    "under_review",
    "excluded",
    "in_session",
    "eligible_here",
    "eligible_upward",
    "not_eligible",
    "proposed_to_province",
    "proposed_to_central",
    "awarded",
    "rejected",
]

STATUS_NAMES: dict[str, str] = {
    "under_review": "Đang xét / Under review",
    "excluded": "Không đưa vào danh sách / Left off the list",
    "in_session": "Đang trình Hội đồng / Before the council",
    "eligible_here": "Đủ điều kiện cấp này / Eligible at this level",
    "eligible_upward": "Đủ điều kiện trình cấp trên / Eligible to propose upward",
    "not_eligible": "Không đủ điều kiện / Not eligible",
    "proposed_to_province": "Đã trình tỉnh / Proposed to the province",
    "proposed_to_central": "Tỉnh đã trình Trung ương / Forwarded to the central level",
    "awarded": "Đã khen / Awarded",
    "rejected": "Không được khen / Not awarded",
}

# Before the council meets, the officer may still change the list.
OPEN_TO_REVIEW = ("under_review", "excluded")

ProposalStatus = Literal[
    "submitted_to_province", "returned", "province_awarded", "province_rejected", "forwarded_to_central",
    "central_awarded", "central_rejected",
]  # fmt: skip

PROPOSAL_STATUS_NAMES: dict[str, str] = {
    "submitted_to_province": "Đã trình tỉnh / Submitted to the province",
    "returned": "Tỉnh trả lại / Returned by the province",
    "province_awarded": "Tỉnh đã quyết định khen / Awarded by the province",
    "province_rejected": "Tỉnh không khen / Not awarded by the province",
    "forwarded_to_central": "Đã trình Trung ương / Forwarded to the central level",
    "central_awarded": "Trung ương đã quyết định khen / Awarded at the central level",
    "central_rejected": "Trung ương không khen / Not awarded at the central level",
}

# proposal status → outcome recorded by the province (or, once forwarded, the central level) → next proposal status
PROPOSAL_TRANSITIONS: dict[str, dict[str, ProposalStatus]] = {
    "submitted_to_province": {
        "awarded": "province_awarded",
        "rejected": "province_rejected",
        "returned": "returned",
        "forwarded_to_central": "forwarded_to_central",
    },
    "forwarded_to_central": {"awarded": "central_awarded", "rejected": "central_rejected"},
}
# the candidate statuses an award follows: the chairman's decision, or a proposal's award above
AWARDABLE = ("eligible_here", "proposed_to_province", "proposed_to_central")
# proposal status → (candidate status, the candidate statuses it follows); awards go through the award's own move
CANDIDATE_AFTER: dict[str, tuple[CandidateStatus, tuple[str, ...]]] = {
    "province_rejected": ("rejected", ("proposed_to_province",)),
    "returned": ("eligible_upward", ("proposed_to_province",)),
    "forwarded_to_central": ("proposed_to_central", ("proposed_to_province",)),
    "central_rejected": ("rejected", ("proposed_to_central",)),
}
