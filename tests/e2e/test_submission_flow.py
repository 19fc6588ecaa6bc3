"""One submission through every service on real Kafka, FerretDB and Keycloak (issue #2's flow)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

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
    every_item,
    filled_dossier,
    final_score,
    new_entrant,
    ok,
    review_all,
)

SCORING, AWARDS = SERVICE_URLS["scoring"], SERVICE_URLS["awards"]
NOTIFICATIONS, ROLLUPS = SERVICE_URLS["notifications"], SERVICE_URLS["rollups"]


def get_json(http: httpx.Client, url: str, token: str) -> Any:
    response = http.get(url, headers=bearer(token))
    return response.json() if response.status_code == 200 else None


@pytest.mark.usefixtures("lien_minh")
def test_a_submission_flows_through_every_service(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer = token("lm.officer")
    province_staff = token("nb.staff")
    before = get_json(http, f"{ROLLUPS}/rollups/provinces/37?page_size=200", province_staff)
    scored_before = next((c["scored"] for c in before["communes"] if c["commune"] == LIEN_MINH), 0) if before else 0

    # submissions: a unit registers, its dossier is filled in and submitted (the event leaves through the outbox)
    entrant = new_entrant(http, officer)
    submission_id = filled_dossier(http, officer, entrant["id"], EVIDENCE_80)
    draft = ok(http.get(f"{SUBMISSIONS}/submissions/{submission_id}", headers=bearer(officer)))
    assert draft["status"] == "draft"
    assert draft["tenant"] == LIEN_MINH
    assert draft["version"] == 0
    assert draft["entrant"]["name"] == entrant["name"]
    assert draft["evidence"]["a8"]["value"] == 100
    submitted = http.post(f"{SUBMISSIONS}/submissions/{submission_id}/submit", headers=bearer(officer))
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["version"] == 1
    again = http.post(f"{SUBMISSIONS}/submissions/{submission_id}/submit", headers=bearer(officer))
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"

    # scoring: consumed submission.submitted, computed the indicator criteria, the council's criteria pending
    def provisional() -> dict[str, Any] | None:
        found = get_json(http, f"{SCORING}/scores/{submission_id}", officer)
        return found["provisional"] if found else None

    score = eventually(provisional, what="the provisional score")
    assert score["total"] == 80.0
    assert score["grade"] == "Tốt"
    assert score["submission_version"] == 1
    points = {c["code"]: c["points"] for c in score["criteria"]}
    assert points == {
        "a1": 15,
        "a2": 0,
        "a3": 0,
        "a4": 0,
        "a5": 0,
        "a6": 0,
        "a7": 10,
        "a8": 10,
        "a9": 8,
        "a10": 5,
        "a11": 8,
        "a12": 5,
        "a13": 5,
        "a14": 4,
        "a15": 0,
        "a-model": 10,
        "a-discipline": 0,
    }
    explained = {c["code"]: c["explanation"] for c in score["criteria"]}
    assert explained["a11"] == "min(90 / 90, 1) × 8 = 8"  # the target the unit registered, not the commune's 80
    assert explained["a3"] == "chờ Hội đồng chấm / awaiting the council's assessment"

    # the council: both members were assigned; each gives half of every assessment criterion's maximum
    assert review_all(http, council, submission_id) == ["lm.council1", "lm.council2"]
    breakdown = eventually(lambda: final_score(http, officer, submission_id), what="the final score")
    final = breakdown["final"]
    assert (final["total"], final["grade"], final["reason"]) == (95.0, "Xuất sắc", "all_reviews_in")
    finals = {c["code"]: c for c in final["criteria"]}
    assert finals["a2"]["explanation"] == "trung bình của 2 đánh giá (3, 3) = 3"
    assert finals["a3"]["points"] == 2.5  # half of its 5 (3 of its former 8 went to a15, cooperation, under #22)
    assert breakdown["rank"] >= 1

    # awards: consumed score.finalised, proposed a candidate
    def candidate() -> dict[str, Any] | None:
        listing = every_item(http, f"{AWARDS}/candidates", bearer(officer), period=OPEN_PERIOD) or []
        return next((c for c in listing if c["submission_id"] == submission_id), None)

    proposed = eventually(candidate, what="the award candidate")
    assert proposed["award_form"] == "GIAY_KHEN_XA"
    assert proposed["total"] == 95.0

    # notifications: the submitter reads three in-app messages about it
    def messages() -> list[dict[str, Any]] | None:
        inbox = get_json(http, f"{NOTIFICATIONS}/inbox?page_size=200", officer) or {"items": []}
        mine = [m for m in inbox["items"] if m["subject"] == submission_id]
        return mine if len(mine) >= 3 else None

    inbox = eventually(messages, what="three notifications")
    assert sorted(m["kind"] for m in inbox) == ["award_candidate", "submission_scored", "submission_submitted"]
    scored_message = next(m for m in inbox if m["kind"] == "submission_scored")
    assert scored_message["body_vi"] == f"{entrant['name']}: 95/100 điểm, xếp loại Xuất sắc (kỳ {OPEN_PERIOD})."
    # messages are the submitter's own: another user of the same commune does not see them
    assert not [
        m
        for m in get_json(http, f"{NOTIFICATIONS}/inbox?page_size=200", token("lm.chair"))["items"]
        if m["subject"] == submission_id
    ]
    read = http.post(f"{NOTIFICATIONS}/inbox/{scored_message['id']}/read", headers=bearer(officer))
    assert read.status_code == 200
    assert read.json()["read_at"]

    # rollups: counted for the commune and the province, readable by province staff
    def province_counts() -> dict[str, Any] | None:
        figures = get_json(http, f"{ROLLUPS}/rollups/provinces/37?page_size=200", province_staff)
        row = next((c for c in (figures or {"communes": []})["communes"] if c["commune"] == LIEN_MINH), None)
        # at least ours: final scores of earlier tests may still be arriving (exact counting: test_duplicate_delivery)
        return figures if row and row["scored"] >= scored_before + 1 else None

    figures = eventually(province_counts, what="the province rollup")
    assert figures["freshness"]["last_event_time"]
    assert figures["freshness"]["lag"] is not None
    row = next(c for c in figures["communes"] if c["commune"] == LIEN_MINH)
    assert row["in_progress"] is None
    assert row["rank"] >= 1  # the province sees finalised work only, ranked
    commune = get_json(http, f"{ROLLUPS}/rollups/communes/{LIEN_MINH}", officer)
    assert commune["figures"]["scored"] >= scored_before + 1
    assert commune["figures"]["in_progress"]["candidates"] >= 1


@pytest.mark.usefixtures("lien_minh")
def test_another_commune_sees_nothing(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer = token("lm.officer")
    entrant = new_entrant(http, officer)
    created = {"id": filled_dossier(http, officer, entrant["id"], {"a7": {"value": 2}})}
    other = token("sm.officer")
    for url in (f"{SUBMISSIONS}/submissions/{created['id']}", f"{SCORING}/scores/{created['id']}"):
        response = http.get(url, headers=bearer(other))
        assert response.status_code == 404, url
        assert response.headers["content-type"] == "application/problem+json"
    listed = http.get(f"{SUBMISSIONS}/submissions?page_size=200", headers=bearer(other)).json()["items"]
    assert created["id"] not in {s["id"] for s in listed}
    assert http.post(f"{SUBMISSIONS}/submissions/{created['id']}/submit", headers=bearer(other)).status_code == 404
    assert http.get(f"{ROLLUPS}/rollups/communes/{LIEN_MINH}", headers=bearer(other)).status_code == 404
    # province staff of another province
    assert http.get(f"{ROLLUPS}/rollups/provinces/37", headers=bearer(token("qn.staff"))).status_code == 403
    assert http.get(f"{SUBMISSIONS}/submissions/{created['id']}", headers=bearer(token("qn.staff"))).status_code == 404
    # province staff of the same province read it, and list dossiers one commune at a time (the province's
    # figures are the rollups' read models: a list of every commune's dossiers would grow with the province)
    staff = bearer(token("nb.staff"))
    assert http.get(f"{SUBMISSIONS}/submissions/{created['id']}", headers=staff).status_code == 200
    unnamed = http.get(f"{SUBMISSIONS}/submissions", params={"period": OPEN_PERIOD}, headers=staff)
    assert unnamed.status_code == 422
    assert [e["field"] for e in unnamed.json()["errors"]] == ["commune"]
    named = {"period": OPEN_PERIOD, "entrant": entrant["id"]}
    listed = http.get(f"{SUBMISSIONS}/submissions", params={**named, "commune": LIEN_MINH}, headers=staff).json()
    assert created["id"] in {s["id"] for s in listed["items"]}
    assert {s["tenant"] for s in listed["items"]} == {LIEN_MINH}
    elsewhere = http.get(f"{SUBMISSIONS}/submissions", params={**named, "commune": "ph-37-tam-diep"}, headers=staff)
    assert elsewhere.json()["items"] == []


@pytest.mark.usefixtures("lien_minh")
def test_roles_are_checked(http: httpx.Client, token: Callable[[str], str]) -> None:
    council = token("lm.council1")
    dossier = {"period": OPEN_PERIOD, "entrant_id": new_entrant(http, token("lm.officer"))["id"]}
    response = http.post(f"{SUBMISSIONS}/submissions", json=dossier, headers=bearer(council))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    staff = http.post(f"{SUBMISSIONS}/submissions", json=dossier, headers=bearer(token("nb.staff")))
    assert staff.status_code == 403
    operator = http.get(f"{SUBMISSIONS}/submissions", headers=bearer(token("op.admin")))
    assert operator.status_code == 403


def test_bad_input_names_the_field(http: httpx.Client, token: Callable[[str], str]) -> None:
    bad = {"period": "1999", "entrant_id": 42, "surprise": True}
    response = http.post(f"{SUBMISSIONS}/submissions", json=bad, headers=bearer(token("lm.officer")))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"period", "entrant_id", "surprise"} <= fields
    garbage = http.post(
        f"{SUBMISSIONS}/submissions",
        content=b"{not json",
        headers={**bearer(token("lm.officer")), "content-type": "application/json"},
    )
    assert garbage.status_code == 422


def test_expired_token_is_refused(http: httpx.Client) -> None:
    from thidua_platform.client import password_token

    short = password_token("lm.officer", client_id="thidua-e2e-short").access_token
    claims = jwt.decode(short, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] <= 5
    assert http.get(f"{SUBMISSIONS}/submissions", headers=bearer(short)).status_code == 200
    eventually(lambda: time.time() > claims["exp"] + 1, timeout=15, what="the token to expire")
    for url in SERVICE_URLS.values():
        response = http.get(f"{url}/openapi.json")
        assert response.status_code == 200
        for path, operations in response.json()["paths"].items():
            if path.startswith("/health") or "get" not in operations or "{" in path:
                continue
            refused = http.get(f"{url}{path}", headers=bearer(short))
            assert refused.status_code == 401, (url, path, refused.text)
            assert "expired" in refused.json()["detail"]
