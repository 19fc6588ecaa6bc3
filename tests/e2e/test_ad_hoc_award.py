"""Issue #22 part 4 on the real stack: ad-hoc awards (khen thưởng đột xuất, docs/adr/0026). The officer proposes an
entrant with no dossier for the commune's Giấy khen and an entrant with a dossier for the province's Bằng khen, each
for an achievement with its evidence; an ad-hoc council session passes them; the chairman decides the one and proposes
the other, which the province awards; both land in the history flagged ad hoc, and the rollups count them apart. Bad
input, a barred entrant, another commune's officer and the wrong role are refused. Real Keycloak tokens, real Kafka
and database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH, eventually
from .test_awards_flow import LETTERHEAD, MEMBERS, pdf_text, problem
from .world import (
    DECISION_SIGNED_ON,
    OPEN_PERIOD,
    PROPOSAL_SIGNED_ON,
    PROVINCE_SIGNED_ON,
    SESSION_HELD_AT,
    bearer,
    ok,
    submitted_with_a_file,
)

AWARDS, ROLLUPS = SERVICE_URLS["awards"], SERVICE_URLS["rollups"]
TODAY = datetime.now(timezone(timedelta(hours=7))).date().isoformat()  # Vietnam's day: no achievement is later


def ad_hoc_count(http: httpx.Client, officer: str) -> int:
    figures = ok(http.get(f"{ROLLUPS}/rollups/communes/{LIEN_MINH}", headers=bearer(officer)))
    return int(figures["figures"]["awards"].get("ad_hoc", 0))


@pytest.mark.skipif(TODAY[:4] != OPEN_PERIOD, reason="the open period is not this year")
@pytest.mark.usefixtures("lien_minh")
def test_an_ad_hoc_award_from_the_officer_to_the_decision_the_province_and_the_history(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer, chair, staff = token("lm.officer"), token("lm.chair"), token("nb.staff")
    voters = {"lm.chair": chair, **council}
    ok(http.put(f"{AWARDS}/letterhead", json=LETTERHEAD, headers=bearer(officer)))
    counted_before = ad_hoc_count(http, officer)
    run = uuid.uuid4().hex[:6]
    team = {"name": f"Tổ công nghệ số cộng đồng thôn Bắc Sơn {run}", "kind": "collective", "target_group": "a"}
    achievement = f"Hướng dẫn 320 người dân kích hoạt định danh điện tử mức 2 trong 10 ngày ({run})"
    body = {
        "entrant": team,
        "award_form": "GIAY_KHEN_XA",
        "achievement": achievement,
        "achieved_on": TODAY,
        "evidence": [{"title": "Báo cáo của Công an xã", "reference": f"Số 45/BC-CAX ({run})"}],
    }

    # bad input names the field; only the officer proposes
    for wrong, field in (({"achievement": " "}, "achievement"), ({"award_form": "CO_THI_DUA_TINH"}, "award_form")):
        refused = problem(http.post(f"{AWARDS}/candidates/ad-hoc", json=body | wrong, headers=bearer(officer)), 422)
        assert field in {e["field"].split(".")[0] for e in refused["errors"]}, refused
    problem(http.post(f"{AWARDS}/candidates/ad-hoc", json=body, headers=bearer(chair)), 403)

    first = http.post(f"{AWARDS}/candidates/ad-hoc", json=body, headers=bearer(officer))
    giay_khen = ok(first, 201)
    assert (giay_khen["round"], giay_khen["period"], giay_khen["status"]) == ("ad_hoc", OPEN_PERIOD, "under_review")
    assert giay_khen["total"] is None
    assert giay_khen["ad_hoc"]["achievement"] == achievement
    assert first.headers["location"] == f"/candidates/{giay_khen['id']}"
    assert ok(http.post(f"{AWARDS}/candidates/ad-hoc", json=body, headers=bearer(officer)))["id"] == giay_khen["id"]

    # an entrant with a dossier: barred, refused naming why; lifted, proposed for the Bằng khen
    entrant, _ = submitted_with_a_file(http, officer, name="Trường Mầm non Liên Minh")
    ref = {k: entrant[k] for k in ("id", "name", "kind", "target_group")}
    flag = {"entrant": ref, "flags": ["discipline"], "note": "QĐ 20/QĐ-UBND"}
    eventually(
        lambda: http.put(f"{AWARDS}/standings", json=flag, headers=bearer(officer)).status_code == 200,
        what="awards knows the entrant from its dossier",
    )
    school_body = {**body, "entrant": None, "entrant_id": entrant["id"], "award_form": "BANG_KHEN_TINH"}
    barred = problem(http.post(f"{AWARDS}/candidates/ad-hoc", json=school_body, headers=bearer(officer)), 422)
    assert barred["errors"][0]["field"] == "entrant_id"
    assert "kỷ luật" in barred["errors"][0]["message"]
    elsewhere = http.post(f"{AWARDS}/candidates/ad-hoc", json=school_body, headers=bearer(token("sm.officer")))
    assert problem(elsewhere, 404)["errors"][0]["field"] == "entrant_id"
    ok(http.put(f"{AWARDS}/standings", json={**flag, "flags": []}, headers=bearer(officer)))
    bang_khen = ok(http.post(f"{AWARDS}/candidates/ad-hoc", json=school_body, headers=bearer(officer)), 201)

    # the ad-hoc session: the year's ad-hoc candidates, with their achievements; every member votes yes
    session = ok(
        http.post(
            f"{AWARDS}/sessions",
            json={
                "period": OPEN_PERIOD,
                "title": "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng đột xuất",
                "held_at": SESSION_HELD_AT,
                "location": "Hội trường UBND xã Liên Minh",
                "members": MEMBERS,
                "chair": "lm.chair",
                "secretary": "lm.council2",
                "ad_hoc": True,
            },
            headers=bearer(officer),
        ),
        201,
    )
    assert session["round"] == "ad_hoc"
    assert {giay_khen["id"], bang_khen["id"]} <= {c["candidate_id"] for c in session["candidates"]}
    assert all(c["achievement"] and c["total"] is None for c in session["candidates"])
    sid = session["id"]
    present = {"present": [m["username"] for m in MEMBERS]}
    ok(http.post(f"{AWARDS}/sessions/{sid}/open", json=present, headers=bearer(officer)))
    for member, member_token in voters.items():
        votes = [
            {"candidate_id": c["candidate_id"], "vote": "yes"}
            for c in session["candidates"]
            if member not in {r["member"] for r in c["recused"]}
        ]
        ok(http.put(f"{AWARDS}/sessions/{sid}/ballot", json={"votes": votes}, headers=bearer(member_token)))
    closed = ok(http.post(f"{AWARDS}/sessions/{sid}/close", headers=bearer(officer)))
    assert all(r["passed"] for r in closed["results"] if r["candidate_id"] in {giay_khen["id"], bang_khen["id"]})
    _, minutes = pdf_text(http.get(f"{AWARDS}/sessions/{sid}/minutes.pdf", headers=bearer(officer)))
    assert "Thành tích đột xuất" in minutes
    assert run in minutes

    # the chairman's decision: an ad-hoc one, naming the achievement
    decision = ok(
        http.post(
            f"{AWARDS}/decisions",
            json={
                "award_form": "GIAY_KHEN_XA",
                "period": OPEN_PERIOD,
                "number": f"{uuid.uuid4().int % 10**6}/QĐ-UBND",
                "signed_on": DECISION_SIGNED_ON,
                "signer_name": "Phạm Văn Minh",
                "candidate_ids": [giay_khen["id"]],
            },
            headers=bearer(chair),
        ),
        201,
    )
    assert decision["round"] == "ad_hoc"
    assert decision["recipients"][0]["achievement"] == achievement
    _, text = pdf_text(http.get(f"{AWARDS}/decisions/{decision['id']}/document.pdf", headers=bearer(chair)))
    assert "thành tích xuất sắc đột xuất" in text
    assert run in text

    # the proposal upward, its dossier, the province's award
    proposal = ok(
        http.post(
            f"{AWARDS}/proposals",
            json={
                "award_form": "BANG_KHEN_TINH",
                "period": OPEN_PERIOD,
                "number": f"{uuid.uuid4().int % 10**6}/TTr-UBND",
                "signed_on": PROPOSAL_SIGNED_ON,
                "signer_name": "Phạm Văn Minh",
                "candidate_ids": [bang_khen["id"]],
            },
            headers=bearer(chair),
        ),
        201,
    )
    assert proposal["round"] == "ad_hoc"
    documents = f"{AWARDS}/proposals/{proposal['id']}/documents"
    _, letter = pdf_text(http.get(f"{documents}/to-trinh.pdf", headers=bearer(staff)))
    assert "thành tích xuất sắc đột xuất" in letter
    report_url = f"{documents}/bao-cao-thanh-tich.pdf"
    _, report = pdf_text(http.get(report_url, params={"candidate_id": bang_khen["id"]}, headers=bearer(staff)))
    assert "BÁO CÁO THÀNH TÍCH ĐỘT XUẤT" in report
    assert run in report
    awarded = {"outcome": "awarded", "number": "501/QĐ-UBND", "signed_on": PROVINCE_SIGNED_ON, "issuer": "Chủ tịch"}
    ok(http.post(f"{AWARDS}/proposals/{proposal['id']}/outcome", json=awarded, headers=bearer(staff)))

    # the history flags both, with the achievement; the rollups count them apart
    def flagged(entrant_id: str) -> dict[str, Any] | None:
        page = ok(http.get(f"{AWARDS}/history", params={"entrant_id": entrant_id}, headers=bearer(officer)))
        return next((h for h in page["items"] if h["ad_hoc"]), None)

    team_award = eventually(lambda: flagged(giay_khen["entrant"]["id"]), what="the team's ad-hoc award")
    assert (team_award["achievement"], team_award["round"], team_award["level"]) == (achievement, "ad_hoc", "commune")
    school_award = eventually(lambda: flagged(entrant["id"]), what="the school's ad-hoc award")
    assert (school_award["award_form"], school_award["level"]) == ("BANG_KHEN_TINH", "province")
    eventually(lambda: ad_hoc_count(http, officer) >= counted_before + 2, what="the rollups' ad-hoc count")
