"""A dossier returned for correction and resubmitted, through the API with real tokens (issue #3)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import jwt
import pytest

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH, eventually
from .world import (
    EVIDENCE_80,
    OPEN_PERIOD,
    SUBMISSIONS,
    bearer,
    filled_dossier,
    final_score,
    new_entrant,
    ok,
    review_all,
)


@pytest.mark.usefixtures("lien_minh")
def test_return_and_resubmit_round_trip(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer, submitter = token("lm.officer"), token("lm.submitter")
    submitter_id = jwt.decode(submitter, options={"verify_signature": False})["sub"]
    entrant = new_entrant(http, officer, focal=("lm.submitter",))
    incomplete = {code: given for code, given in EVIDENCE_80.items() if code != "a8"}

    def returned_in_lien_minh() -> int:
        figures = ok(http.get(f"{SERVICE_URLS['rollups']}/rollups/communes/{LIEN_MINH}", headers=bearer(officer)))
        return int(figures["figures"]["in_progress"]["returned"])

    returned_before = returned_in_lien_minh()

    # the unit's focal officer files the dossier, without a8
    dossier_id = filled_dossier(http, submitter, entrant["id"], incomplete)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier_id}/submit", headers=bearer(submitter)))

    # the commune officer checks completeness and returns it with a reason on a8
    checked = ok(http.post(f"{SUBMISSIONS}/submissions/{dossier_id}/completeness", headers=bearer(officer)))
    assert checked["completeness"]["complete"] is False
    assert "a8" in checked["completeness"]["missing"]
    refused = http.post(
        f"{SUBMISSIONS}/submissions/{dossier_id}/return",
        headers=bearer(submitter),
        json={"reasons": [{"code": "a8", "reason": "x"}]},
    )
    assert refused.status_code == 403  # only the commune officer returns dossiers
    reason = "Thiếu số liệu tỷ lệ hồ sơ trực tuyến toàn trình (a8)."
    returned = ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier_id}/return",
            headers=bearer(officer),
            json={"reasons": [{"code": "a8", "reason": reason}]},
        )
    )
    assert returned["status"] == "returned"
    assert returned["return_reasons"] == [{"code": "a8", "reason": reason}]

    # the submitter reads why, in the dossier and in the inbox
    seen = ok(http.get(f"{SUBMISSIONS}/submissions/{dossier_id}", headers=bearer(submitter)))
    assert seen["status"] == "returned"
    assert seen["return_reasons"][0]["reason"] == reason

    def inbox_kinds() -> list[str]:
        listing = ok(http.get(f"{SERVICE_URLS['notifications']}/inbox?page_size=200", headers=bearer(submitter)))
        return [m["kind"] for m in listing["items"] if m["subject"] == dossier_id]

    eventually(lambda: "submission_returned" in inbox_kinds(), what="the return notice")
    eventually(lambda: returned_in_lien_minh() == returned_before + 1, what="the rollup to count the return")

    # corrects a8 and resubmits: a new version that scoring scores again
    ok(http.put(f"{SUBMISSIONS}/submissions/{dossier_id}/evidence/a8", json={"value": 100}, headers=bearer(submitter)))
    resubmitted = ok(http.post(f"{SUBMISSIONS}/submissions/{dossier_id}/submit", headers=bearer(submitter)))
    assert resubmitted["status"] == "resubmitted"
    assert resubmitted["version"] == 2

    reviewers = review_all(http, council, dossier_id, share=0.0, version=2)
    assert reviewers == ["lm.council1", "lm.council2"]  # the new version is reviewed again
    rescored = eventually(lambda: final_score(http, submitter, dossier_id, version=2), what="the rescored version")
    assert rescored["final"]["total"] == 80.0
    assert rescored["provisional"]["submission_version"] == 2
    expected = [
        "award_candidate",
        "submission_resubmitted",
        "submission_returned",
        "submission_scored",
        "submission_submitted",
    ]
    eventually(lambda: sorted(set(inbox_kinds())) == expected, what="every notice of the round trip")
    eventually(lambda: returned_in_lien_minh() == returned_before, what="the rollup to follow the resubmission")

    # every change is in the audit trail: who, when, what
    trail = ok(http.get(f"{SUBMISSIONS}/submissions/{dossier_id}/audit", headers=bearer(officer)))
    actions = [e["action"] for e in trail]
    assert actions[0] == "created"
    assert actions[-1] == "resubmitted"
    assert {"evidence_reported", "submitted", "completeness_checked", "returned"} <= set(actions)
    returned_entry = next(e for e in trail if e["action"] == "returned")
    assert returned_entry["actor"] != submitter_id
    assert returned_entry["changes"]["reasons"][0]["code"] == "a8"
    assert all(e["at"] for e in trail)


@pytest.mark.usefixtures("lien_minh")
def test_a_withdrawn_dossier_frees_the_entrant(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer = token("lm.officer")
    entrant = new_entrant(http, officer)
    first = filled_dossier(http, officer, entrant["id"], {"a7": {"value": 1}})
    second = http.post(
        f"{SUBMISSIONS}/submissions", json={"period": OPEN_PERIOD, "entrant_id": entrant["id"]}, headers=bearer(officer)
    )
    assert second.status_code == 409  # one active dossier per entrant and period
    withdrawn = ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{first}/withdraw", json={"reason": "Nộp nhầm đơn vị"}, headers=bearer(officer)
        )
    )
    assert withdrawn["status"] == "withdrawn"
    again = http.post(f"{SUBMISSIONS}/submissions/{first}/submit", headers=bearer(officer))
    assert again.status_code == 409
    ok(
        http.post(
            f"{SUBMISSIONS}/submissions",
            json={"period": OPEN_PERIOD, "entrant_id": entrant["id"]},
            headers=bearer(officer),
        ),
        201,
    )
