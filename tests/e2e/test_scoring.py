"""Council scoring through the API with real tokens: conflicts of interest, recusal, tenancy, closing, ranks, index."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import httpx
import pytest

from .conftest import LIEN_MINH, eventually
from .world import (
    COUNCIL,
    EVIDENCE_80,
    OPEN_PERIOD,
    SCORING,
    SUBMISSIONS,
    bearer,
    filled_dossier,
    final_score,
    new_entrant,
    ok,
    review_all,
    set_council,
)

PROBLEM = "application/problem+json"


def submitted_dossier(http: httpx.Client, officer: str, entrant_id: str) -> str:
    dossier = filled_dossier(http, officer, entrant_id, EVIDENCE_80)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    return dossier


def reviewable(http: httpx.Client, token: str, dossier: str) -> int:
    return http.get(f"{SCORING}/reviews/{dossier}", headers=bearer(token)).status_code


@pytest.mark.usefixtures("lien_minh")
def test_conflicts_of_interest_are_enforced_everywhere(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer = token("lm.officer")
    village = new_entrant(http, officer, name="Thôn Trung")
    person = ok(
        http.post(
            f"{SUBMISSIONS}/entrants",
            headers=bearer(officer),
            json={
                "name": f"Trần Thị Mai {uuid.uuid4().hex[:6]}",
                "kind": "individual",
                "target_group": "d1",
                "unit_id": new_entrant(http, officer, name="Văn phòng UBND")["id"],
            },
        ),
        201,
    )
    try:
        # council1 heads the village; council2 is herself an entrant
        set_council(
            http,
            officer,
            [
                {"username": "lm.council1", "unit_entrant_ids": [village["id"]]},
                {"username": "lm.council2", "person_entrant_id": person["id"]},
            ],
        )
        own_unit = submitted_dossier(http, officer, village["id"])
        assert review_all(http, council, own_unit) == ["lm.council2"]  # never council1
        assert reviewable(http, council["lm.council1"], own_unit) == 404
        refused = http.put(
            f"{SCORING}/reviews/{own_unit}/assessments/a2", json={"points": 6}, headers=bearer(council["lm.council1"])
        )
        assert refused.status_code == 404
        assert refused.headers["content-type"] == PROBLEM
        queue = ok(http.get(f"{SCORING}/reviews/queue", headers=bearer(council["lm.council1"])))
        assert queue["next"] is None or queue["next"]["submission_id"] != own_unit
        assert (
            eventually(lambda: final_score(http, officer, own_unit), what="the final score")["final"]["reason"]
            == "all_reviews_in"
        )

        herself = filled_dossier(
            http,
            officer,
            person["id"],
            {"d1-3": {"level": "full"}, "d1": {"narrative": "Sáng kiến số hóa hồ sơ"}},
            targets={},
        )
        ok(http.post(f"{SUBMISSIONS}/submissions/{herself}/submit", headers=bearer(officer)))
        assert review_all(http, council, herself) == ["lm.council1"]  # never council2 on herself
        assert reviewable(http, council["lm.council2"], herself) == 404
    finally:
        set_council(http, officer, [{"username": name} for name in COUNCIL])


@pytest.mark.usefixtures("lien_minh")
def test_a_recused_member_sees_nothing_and_does_not_count(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer = token("lm.officer")
    dossier = submitted_dossier(http, officer, new_entrant(http, officer)["id"])
    first, second = council["lm.council1"], council["lm.council2"]
    eventually(lambda: reviewable(http, first, dossier) == 200, what="the assignment")
    ok(http.put(f"{SCORING}/reviews/{dossier}/assessments/a2", json={"points": 6}, headers=bearer(first)))
    ok(
        http.post(
            f"{SCORING}/reviews/{dossier}/recuse", json={"reason": "Người thân trong đơn vị"}, headers=bearer(first)
        )
    )
    assert reviewable(http, first, dossier) == 404
    assert http.get(f"{SCORING}/scores/{dossier}", headers=bearer(first)).status_code == 404
    assert (
        http.put(f"{SCORING}/reviews/{dossier}/assessments/a3", json={"points": 8}, headers=bearer(first)).status_code
        == 404
    )
    assert review_all(http, {"lm.council2": second}, dossier, share=0.5) == ["lm.council2"]
    final = eventually(lambda: final_score(http, officer, dossier), what="the final score")["final"]
    a2 = next(c for c in final["criteria"] if c["code"] == "a2")
    assert a2["explanation"] == "trung bình của 1 đánh giá (3) = 3"  # the recused member's 6 does not count
    late = http.post(f"{SCORING}/reviews/{dossier}/recuse", json={"reason": "x"}, headers=bearer(second))
    assert late.status_code == 409  # no recusal once the score is final

    # returned and resubmitted: the member who stepped aside is not asked again
    ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier}/return",
            headers=bearer(officer),
            json={"reasons": [{"code": "a3", "reason": "Bổ sung minh chứng"}]},
        )
    )
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    assert review_all(http, {"lm.council1": first, "lm.council2": second}, dossier, version=2) == ["lm.council2"]


@pytest.mark.usefixtures("lien_minh")
def test_another_commune_cannot_see_or_score(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer = token("lm.officer")
    dossier = submitted_dossier(http, officer, new_entrant(http, officer)["id"])
    eventually(lambda: reviewable(http, council["lm.council1"], dossier) == 200, what="the assignment")
    outsider = token("sm.council1")
    for method, path, body in (
        ("GET", f"/reviews/{dossier}", None),
        ("GET", f"/scores/{dossier}", None),
        ("PUT", f"/reviews/{dossier}/assessments/a2", {"points": 1}),
        ("POST", f"/reviews/{dossier}/recuse", {"reason": "x"}),
    ):
        response = http.request(method, f"{SCORING}{path}", json=body, headers=bearer(outsider))
        assert response.status_code == 404, (method, path, response.status_code)
    assert http.get(f"{SCORING}/scores/{dossier}", headers=bearer(token("qn.staff"))).status_code == 404
    assert (
        http.get(f"{SCORING}/index/provinces/37?period={OPEN_PERIOD}", headers=bearer(token("qn.staff"))).status_code
        == 403
    )
    over = http.put(
        f"{SCORING}/reviews/{dossier}/assessments/a2", json={"points": 7}, headers=bearer(council["lm.council1"])
    )
    assert over.status_code == 422  # a2 is worth at most 6


@pytest.mark.usefixtures("lien_minh")
def test_closing_the_period_finalises_what_waits(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer = token("lm.officer")
    dossier = submitted_dossier(http, officer, new_entrant(http, officer)["id"])
    eventually(lambda: reviewable(http, token("lm.council1"), dossier) == 200, what="the assignment")
    assert http.post(f"{SCORING}/periods/{OPEN_PERIOD}/close", headers=bearer(token("lm.council1"))).status_code == 403
    closed = ok(http.post(f"{SCORING}/periods/{OPEN_PERIOD}/close", headers=bearer(officer)))
    assert closed["count"] >= 1
    final = final_score(http, officer, dossier)
    assert final is not None
    assert final["final"]["reason"] == "period_closed"
    assert final["final"]["total"] == 80.0
    later = http.put(
        f"{SCORING}/reviews/{dossier}/assessments/a2", json={"points": 6}, headers=bearer(token("lm.council1"))
    )
    assert later.status_code == 409  # a final score is not reopened by a late review


@pytest.mark.usefixtures("lien_minh")
def test_leaderboard_and_the_provinces_index_ranking(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer, staff = token("lm.officer"), token("nb.staff")
    dossier = submitted_dossier(http, officer, new_entrant(http, officer)["id"])
    review_all(http, council, dossier, share=1.0)
    eventually(lambda: final_score(http, officer, dossier), what="the final score")
    board = ok(
        http.get(f"{SCORING}/leaderboard", params={"period": OPEN_PERIOD, "group": "a"}, headers=bearer(officer))
    )
    ours = next(row for row in board if row["submission_id"] == dossier)
    assert ours["total"] == 100.0  # 80 from indicators + every assessment at its maximum
    assert ours["rank"] == 1
    assert [row["rank"] for row in board] == sorted(row["rank"] for row in board)
    unnamed = http.get(f"{SCORING}/leaderboard", params={"period": OPEN_PERIOD, "group": "a"}, headers=bearer(staff))
    assert unnamed.status_code == 422  # province staff name the commune
    assert [e["field"] for e in unnamed.json()["errors"]] == ["commune"]
    for_staff = ok(
        http.get(
            f"{SCORING}/leaderboard",
            params={"period": OPEN_PERIOD, "group": "a", "commune": LIEN_MINH},
            headers=bearer(staff),
        )
    )
    assert for_staff == board

    def lien_minh_indexed() -> dict[str, Any] | None:
        ranking = ok(http.get(f"{SCORING}/index/provinces/37", params={"period": OPEN_PERIOD}, headers=bearer(staff)))
        row = next((r for r in ranking if r["commune"] == LIEN_MINH), None)
        return row if row and row["overall"] is not None else None

    row = eventually(lien_minh_indexed, what="Liên Minh's index")
    assert row["rank"] == 1
    assert 0 < row["overall"] <= 1
    assert all(0 <= row[p] <= 1 for p in ("digital_government", "digital_economy", "digital_society"))
    ranked = {
        r["commune"]
        for r in ok(http.get(f"{SCORING}/index/provinces/37", params={"period": OPEN_PERIOD}, headers=bearer(staff)))
    }
    # Ninh Bình's communes only (Yên Mô is the one tests/e2e/test_operator_cli.py provisions)
    assert LIEN_MINH in ranked
    assert ranked <= {LIEN_MINH, "ph-37-tam-diep", "ph-37-yen-mo"}

    # a withdrawn dossier leaves the ranking
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/withdraw", json={}, headers=bearer(officer)))

    def gone() -> bool:
        rows = ok(
            http.get(f"{SCORING}/leaderboard", params={"period": OPEN_PERIOD, "group": "a"}, headers=bearer(officer))
        )
        return all(row["submission_id"] != dossier for row in rows)

    eventually(gone, what="the withdrawn dossier to leave the leaderboard")


def test_the_province_sets_the_index_weights(http: httpx.Client, token: Callable[[str], str]) -> None:
    admin, staff = token("nb.admin"), token("nb.staff")
    defaults = ok(http.get(f"{SCORING}/index/settings", headers=bearer(staff)))
    assert defaults["weights"] == {"digital_government": 0.4, "digital_economy": 0.3, "digital_society": 0.3}
    changed = {**defaults, "weights": {"digital_government": 0.5, "digital_economy": 0.25, "digital_society": 0.25}}
    assert http.put(f"{SCORING}/index/settings", json=changed, headers=bearer(staff)).status_code == 403
    assert http.put(f"{SCORING}/index/settings", json=changed, headers=bearer(token("lm.officer"))).status_code == 403
    for bad_settings in (
        {**defaults, "weights": {"digital_government": 1}},
        {**defaults, "weights": {**defaults["weights"], "digital_society": 2}},
        {**defaults, "themes": {**defaults["themes"], "digital_society": [100000000000000000000]}},
    ):
        bad = http.put(f"{SCORING}/index/settings", json=bad_settings, headers=bearer(admin))
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"] == PROBLEM, bad.text
    try:
        assert (
            ok(http.put(f"{SCORING}/index/settings", json=changed, headers=bearer(admin)))["weights"]
            == changed["weights"]
        )
        assert ok(http.get(f"{SCORING}/index/settings", headers=bearer(staff)))["weights"] == changed["weights"]
        other = ok(http.get(f"{SCORING}/index/settings", headers=bearer(token("qn.staff"))))
        assert other["weights"] == defaults["weights"]  # Quảng Ngãi keeps its own
    finally:
        ok(http.put(f"{SCORING}/index/settings", json=defaults, headers=bearer(admin)))


@pytest.mark.usefixtures("lien_minh")
def test_several_dossiers_scores_in_one_read(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    """GET /scores?submission_id=…: each dossier as GET /scores/{id} answers the same person, one it answers 404 for
    (no score yet, another commune's, not the submitter's own, a council member's) simply absent."""
    officer, submitter = token("lm.officer"), token("lm.submitter")
    own = filled_dossier(http, submitter, new_entrant(http, officer)["id"], EVIDENCE_80)  # filed by the submitter
    ok(http.post(f"{SUBMISSIONS}/submissions/{own}/submit", headers=bearer(submitter)))
    theirs = submitted_dossier(http, officer, new_entrant(http, officer)["id"])  # filed by the officer
    draft = filled_dossier(http, officer, new_entrant(http, officer)["id"], {"a7": {"value": 2}})
    review_all(http, council, own, share=1.0)
    eventually(lambda: final_score(http, officer, own), what="the final score")
    eventually(lambda: http.get(f"{SCORING}/scores/{theirs}", headers=bearer(officer)).status_code == 200)
    ids = [own, theirs, draft, str(uuid.uuid4()), own]

    def read(who: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
        """The batch and the single reads of the same ids, when they agree (other finals may move the ranks)."""
        batch = ok(http.get(f"{SCORING}/scores", params={"submission_id": ids}, headers=bearer(token(who))))["items"]
        singles = []
        for submission_id in dict.fromkeys(ids):
            single = http.get(f"{SCORING}/scores/{submission_id}", headers=bearer(token(who)))
            assert single.status_code in (200, 404), single.text
            singles += [single.json()] if single.status_code == 200 else []
        return (batch, singles) if batch == singles else None

    seen = {
        "lm.officer": [own, theirs],
        "lm.chair": [own, theirs],
        "nb.staff": [own, theirs],  # province staff read every commune of their province
        "lm.submitter": [own],  # the dossiers they submitted
        "lm.council1": [],  # through /reviews only
        "td.officer": [],  # another commune of the province
        "sm.officer": [],
        "qn.staff": [],  # another province
    }
    answers: dict[str, list[dict[str, Any]]] = {}
    for who, expected in seen.items():
        answers[who], _ = eventually(partial(read, who), timeout=20, what=f"{who}'s batch and single reads to agree")
        assert [s["provisional"]["submission_id"] for s in answers[who]] == expected, who
    scored = answers["lm.submitter"][0]
    assert scored["final"]["total"] == 100.0
    assert scored["rank"] >= 1

    # bad input: a clear 422 naming the parameter
    for params, field in (
        ({}, "submission_id"),
        ({"submission_id": [str(uuid.uuid4()) for _ in range(51)]}, "submission_id"),
        ({"submission_id": ""}, "submission_id.0"),
        ({"submission_id": [own, "x" * 65]}, "submission_id.1"),
    ):
        bad = http.get(f"{SCORING}/scores", params=params, headers=bearer(officer))
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"] == PROBLEM, bad.text
        assert [e["field"] for e in bad.json()["errors"]] == [field], bad.text
    fifty = {"submission_id": [own, *(str(uuid.uuid4()) for _ in range(49))]}
    assert len(ok(http.get(f"{SCORING}/scores", params=fifty, headers=bearer(officer)))["items"]) == 1
