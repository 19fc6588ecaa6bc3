"""Issue #5's flow on the real stack: a yearly round from candidates through a council vote to the chairman's
decision with its PDF, and a Bằng khen proposal that goes up to the province and comes back decided — all visible in
the award history. Real Keycloak tokens, real Kafka and FerretDB."""

from __future__ import annotations

import io
import unicodedata
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH, eventually
from .world import (
    DECISION_SIGNED_ON,
    OPEN_PERIOD,
    PROPOSAL_SIGNED_ON,
    PROVINCE_SIGNED_ON,
    SESSION_HELD_AT,
    bearer,
    every_item,
    final_score,
    ok,
    recorded_award,
    review_all,
    submitted_with_a_file,
)

AWARDS = SERVICE_URLS["awards"]
MEMBERS = [
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "role": "Chủ tịch Hội đồng"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "role": "Phó Chủ tịch Hội đồng"},
    {"username": "lm.council2", "name": "Lê Văn Đức", "role": "Thư ký Hội đồng"},
]
LETTERHEAD = {
    "issuing_body": "ỦY BAN NHÂN DÂN XÃ LIÊN MINH",
    "parent_body": "TỈNH NINH BÌNH",
    "place": "Liên Minh",
    "authority": "UBND xã Liên Minh",
}


def pdf_text(response: httpx.Response) -> tuple[int, str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() or "" for page in reader.pages))
    return len(reader.pages), " ".join(text.split())


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return dict(response.json())


def listing(http: httpx.Client, path: str, token: str, **params: Any) -> dict[str, Any]:
    """A page of an awards list, with the page it says it is."""
    answer: dict[str, Any] = ok(http.get(f"{AWARDS}{path}", params=params, headers=bearer(token)))
    assert set(answer) == {"items", "total", "page", "page_size"}, answer.keys()
    assert (answer["page"], answer["page_size"]) == (params.get("page", 1), params.get("page_size", 50))
    assert len(answer["items"]) <= answer["page_size"]
    return answer


def ids_of(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def ordered(value: Any) -> Any:
    """A moment as a moment (its text may or may not show fractions of a second), anything else as it is."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def paged(http: httpx.Client, path: str, token: str, key: str, **filters: Any) -> int:
    """The list at `path` comes a page at a time in its stated order (`key`, largest first): page 2 of size 1 holds
    what page 1 of size 2 holds second, both count the same total, a page past the last is empty, a page holds at most
    200 and pages count from 1. Returns the total."""
    for _ in range(3):  # an item another test's events add meanwhile moves the pages: read them again
        two = listing(http, path, token, page_size=2, **filters)
        second = listing(http, path, token, page=2, page_size=1, **filters)
        if two["total"] == second["total"]:
            break
    assert ids_of(second) == ids_of(two)[1:], path
    assert len(two["items"]) == min(2, two["total"]), path
    keys = [ordered(item[key]) for item in listing(http, path, token, page_size=200, **filters)["items"]]
    # an item without the key (an ad-hoc candidate has no score) comes last, as the database orders a missing value
    assert keys == sorted(keys, key=lambda k: (k is not None, k), reverse=True), path
    assert listing(http, path, token, page=two["total"] + 1, page_size=1, **filters)["items"] == [], path
    for params in ({"page_size": 201}, {"page_size": 0}, {"page": 0}):
        refused = problem(http.get(f"{AWARDS}{path}", params={**filters, **params}, headers=bearer(token)), 422)
        assert [e["field"] for e in refused["errors"]] == list(params), (path, params)
    return int(two["total"])


def scored_entrant(http: httpx.Client, officer: str, council: dict[str, str]) -> tuple[dict[str, Any], str]:
    """A unit whose dossier (with one attachment) the council scores 95/100."""
    entrant, dossier = submitted_with_a_file(http, officer, name="Thôn Tiên Phong")
    review_all(http, council, dossier)
    final = eventually(lambda: final_score(http, officer, dossier), what="the final score")
    assert final["final"]["total"] == 95.0
    return entrant, dossier


@pytest.mark.usefixtures("lien_minh")
def test_a_yearly_round_and_a_proposal_to_the_province(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer, chair, staff = token("lm.officer"), token("lm.chair"), token("nb.staff")
    voters = {"lm.chair": chair, **council}
    ok(http.put(f"{AWARDS}/letterhead", json=LETTERHEAD, headers=bearer(officer)))
    entrant, dossier = scored_entrant(http, officer, council)

    # candidates: the final score proposed the unit for the commune's Giấy khen
    def commune_candidate() -> dict[str, Any] | None:
        listing = every_item(
            http, f"{AWARDS}/candidates", bearer(officer), period=OPEN_PERIOD, award_form="GIAY_KHEN_XA"
        )
        return next((c for c in listing or [] if c["submission_id"] == dossier), None)

    giay_khen = eventually(commune_candidate, what="the Giấy khen candidate")
    assert giay_khen["status"] == "under_review"
    assert giay_khen["status_name"].startswith("Đang xét")

    # a discipline flag bars the entrant: the rule leaves it out, and the officer cannot put it back
    ok(
        http.put(
            f"{AWARDS}/standings",
            json={"entrant": giay_khen["entrant"], "flags": ["discipline"], "note": "QĐ 12/QĐ-UBND"},
            headers=bearer(officer),
        )
    )
    verdicts = ok(
        http.post(
            f"{AWARDS}/candidates/evaluate",
            json={"period": OPEN_PERIOD, "award_form": "GIAY_KHEN_XA"},
            headers=bearer(officer),
        )
    )
    mine = next(v for v in verdicts["items"] if v["entrant"]["id"] == entrant["id"])
    assert not mine["eligible"]
    assert any("kỷ luật" in r for r in mine["reasons"])
    assert ok(http.get(f"{AWARDS}/candidates/{giay_khen['id']}", headers=bearer(officer)))["status"] == "excluded"
    barred = problem(
        http.post(
            f"{AWARDS}/candidates/{giay_khen['id']}/review",
            json={"included": True, "reason": "Xét lại"},
            headers=bearer(officer),
        ),
        422,
    )
    assert barred["errors"][0]["field"] == "included"
    # lifted: the officer keeps it on the list, with the reason (the quota may leave ties out: a human decision)
    ok(http.put(f"{AWARDS}/standings", json={"entrant": giay_khen["entrant"], "flags": []}, headers=bearer(officer)))
    kept = ok(
        http.post(
            f"{AWARDS}/candidates/{giay_khen['id']}/review",
            json={"included": True, "reason": "Đã hết thời hạn kỷ luật"},
            headers=bearer(officer),
        )
    )
    assert kept["status"] == "under_review"
    assert kept["officer_review"]["reason"] == "Đã hết thời hạn kỷ luật"
    # and proposes it for the province's Bằng khen by hand, with the reason
    bang_khen = ok(
        http.post(
            f"{AWARDS}/candidates",
            json={
                "submission_id": dossier,
                "award_form": "BANG_KHEN_TINH",
                "reason": "Thành tích xuất sắc, tiêu biểu của xã",
            },
            headers=bearer(officer),
        ),
        201,
    )
    assert bang_khen["status"] == "under_review"

    # no decision before the council passes it
    early = problem(
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
        422,
    )
    assert early["errors"][0]["field"] == "candidate_ids"

    # a form not awarded in a yearly round cannot be added
    off_round = {"submission_id": dossier, "award_form": "CO_THI_DUA_TINH", "reason": "Thử"}
    assert problem(http.post(f"{AWARDS}/candidates", json=off_round, headers=bearer(officer)), 422)["errors"]

    # the council session: every candidate still under review goes before it
    bad_session = {
        "period": OPEN_PERIOD,
        "title": "Họp thử",
        "held_at": "0001-01-01T00:00:00+05:00",
        "location": "Hội trường",
        "members": MEMBERS,
        "chair": "lm.chair",
    }
    fields = {
        e["field"]
        for e in problem(http.post(f"{AWARDS}/sessions", json=bad_session, headers=bearer(officer)), 422)["errors"]
    }
    assert fields == {"held_at"}
    too_few = {**bad_session, "held_at": SESSION_HELD_AT, "members": MEMBERS[:1]}
    problem(http.post(f"{AWARDS}/sessions", json=too_few, headers=bearer(officer)), 422)
    session = ok(
        http.post(
            f"{AWARDS}/sessions",
            json={
                "period": OPEN_PERIOD,
                "title": f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {OPEN_PERIOD}",
                "held_at": SESSION_HELD_AT,
                "location": "Hội trường UBND xã Liên Minh",
                "members": MEMBERS,
                "chair": "lm.chair",
                "secretary": "lm.council2",
                "award_forms": ["GIAY_KHEN_XA", "BANG_KHEN_TINH"],
            },
            headers=bearer(officer),
        ),
        201,
    )
    ours = {c["candidate_id"] for c in session["candidates"]}
    assert {giay_khen["id"], bang_khen["id"]} <= ours
    sid = session["id"]
    # quorum: 1 of 3 is not 2/3
    quorum = problem(
        http.post(f"{AWARDS}/sessions/{sid}/open", json={"present": ["lm.council1"]}, headers=bearer(officer)), 422
    )
    assert quorum["errors"][0]["field"] == "present"
    ok(
        http.post(
            f"{AWARDS}/sessions/{sid}/open", json={"present": [m["username"] for m in MEMBERS]}, headers=bearer(officer)
        )
    )

    def ballot(member: str, gk_vote: str) -> dict[str, Any]:
        votes = []
        for c in session["candidates"]:
            if member in {r["member"] for r in c["recused"]}:
                continue
            vote = (
                gk_vote
                if c["candidate_id"] == giay_khen["id"]
                else "yes"
                if c["candidate_id"] == bang_khen["id"]
                else "no"
            )
            votes.append({"candidate_id": c["candidate_id"], "vote": vote})
        return {"votes": votes}

    # a member of another commune cannot vote (the session does not exist for them)
    problem(
        http.put(
            f"{AWARDS}/sessions/{sid}/ballot", json=ballot("sm.council1", "yes"), headers=bearer(token("sm.council1"))
        ),
        404,
    )
    # the same member's ballot sent four times at once is counted once
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(
                lambda _: http.put(
                    f"{AWARDS}/sessions/{sid}/ballot",
                    json=ballot("lm.council1", "yes"),
                    headers=bearer(council["lm.council1"]),
                ),
                range(4),
            )
        )
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409], [a.text for a in answers]
    ok(
        http.put(
            f"{AWARDS}/sessions/{sid}/ballot", json=ballot("lm.council2", "yes"), headers=bearer(voters["lm.council2"])
        )
    )
    ok(http.put(f"{AWARDS}/sessions/{sid}/ballot", json=ballot("lm.chair", "no"), headers=bearer(chair)))
    secret = ok(http.get(f"{AWARDS}/sessions/{sid}", headers=bearer(officer)))
    assert sorted(b["member"] for b in secret["ballots"]) == ["lm.chair", "lm.council1", "lm.council2"]
    assert all(b["votes"] is None for b in secret["ballots"])  # a secret ballot shows who voted, never how

    closed = ok(http.post(f"{AWARDS}/sessions/{sid}/close", headers=bearer(officer)))
    results = {r["candidate_id"]: r for r in closed["results"]}
    assert (results[giay_khen["id"]]["yes"], results[giay_khen["id"]]["no"], results[giay_khen["id"]]["passed"]) == (
        2,
        1,
        True,
    )
    assert (results[bang_khen["id"]]["yes"], results[bang_khen["id"]]["passed"]) == (3, True)
    pages, minutes = pdf_text(http.get(f"{AWARDS}/sessions/{sid}/minutes.pdf", headers=bearer(officer)))
    assert pages >= 1
    assert "BIÊN BẢN" in minutes
    assert entrant["name"] in minutes
    assert "Trần Thị Thủy" in minutes
    assert "ỦY BAN NHÂN DÂN XÃ LIÊN MINH" in minutes

    # the chairman's decision, with its PDF; the same decision again changes nothing, a reused number is refused
    number = f"{uuid.uuid4().int % 10**6}/QĐ-UBND"
    decision_body = {
        "award_form": "GIAY_KHEN_XA",
        "period": OPEN_PERIOD,
        "number": number,
        "signed_on": DECISION_SIGNED_ON,
        "signer_name": "Phạm Văn Minh",
        "candidate_ids": [giay_khen["id"]],
    }
    # a discipline flag set after the vote still bars the decision
    flag = {"entrant": giay_khen["entrant"], "flags": ["discipline"], "note": "QĐ 15/QĐ-UBND"}
    ok(http.put(f"{AWARDS}/standings", json=flag, headers=bearer(officer)))
    problem(http.post(f"{AWARDS}/decisions", json=decision_body, headers=bearer(chair)), 422)
    ok(http.put(f"{AWARDS}/standings", json={**flag, "flags": []}, headers=bearer(officer)))
    decision = ok(http.post(f"{AWARDS}/decisions", json=decision_body, headers=bearer(chair)), 201)
    assert ok(http.post(f"{AWARDS}/decisions", json=decision_body, headers=bearer(chair)), 200)["id"] == decision["id"]
    problem(
        http.post(
            f"{AWARDS}/decisions", json={**decision_body, "candidate_ids": [bang_khen["id"]]}, headers=bearer(chair)
        ),
        409,
    )
    problem(http.post(f"{AWARDS}/decisions", json={**decision_body, "number": "x"}, headers=bearer(officer)), 403)
    pages, text = pdf_text(http.get(f"{AWARDS}{decision['pdf']}", headers=bearer(officer)))
    assert "QUYẾT ĐỊNH" in text
    assert number in text
    assert entrant["name"] in text
    assert "Phạm Văn Minh" in text

    # the proposal goes up with its dossier; three racing proposals under different numbers: one goes, two are refused
    def proposal_of(number: str) -> httpx.Response:
        body = {
            "award_form": "BANG_KHEN_TINH",
            "period": OPEN_PERIOD,
            "number": number,
            "signed_on": PROPOSAL_SIGNED_ON,
            "signer_name": "Phạm Văn Minh",
            "candidate_ids": [bang_khen["id"]],
        }
        return http.post(f"{AWARDS}/proposals", json=body, headers=bearer(chair))

    with ThreadPoolExecutor(3) as pool:
        racing = list(pool.map(proposal_of, [f"{uuid.uuid4().int % 10**6}/TTr-UBND" for _ in range(3)]))
    assert sorted(r.status_code for r in racing) == [201, 409, 409], [r.text for r in racing]
    # one that comes after the race is refused as its losers were, not as a candidate the council has not passed
    late = problem(proposal_of(f"{uuid.uuid4().int % 10**6}/TTr-UBND"), 409)
    assert late["candidate_ids"] == [bang_khen["id"]]
    proposal = next(r.json() for r in racing if r.status_code == 201)
    assert proposal["status"] == "submitted_to_province"
    assert len(ok(http.get(f"{AWARDS}/proposals?period={OPEN_PERIOD}", headers=bearer(chair)))["items"]) >= 1
    mine = ok(http.get(f"{AWARDS}/candidates/{bang_khen['id']}", headers=bearer(officer)))
    assert (mine["status"], mine["proposal_id"]) == ("proposed_to_province", proposal["id"])
    dossier_index = ok(http.get(f"{AWARDS}/proposals/{proposal['id']}/dossier", headers=bearer(staff)))
    assert [d["kind"] for d in dossier_index["documents"]] == ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]
    assert [e["filename"] for e in dossier_index["evidence"]] == ["Biên bản họp thôn.pdf"]
    for document in dossier_index["documents"]:
        _pages, text = pdf_text(http.get(f"{AWARDS}{document['href']}", headers=bearer(staff)))
        assert entrant["name"] in text, document["kind"]
    whose = http.get(f"{AWARDS}/proposals/{proposal['id']}/documents/bao-cao-thanh-tich.pdf", headers=bearer(staff))
    assert problem(whose, 422)["errors"][0]["field"] == "candidate_id"
    # another province sees nothing of it
    problem(http.get(f"{AWARDS}/proposals/{proposal['id']}", headers=bearer(token("qn.staff"))), 404)
    problem(
        http.post(
            f"{AWARDS}/proposals/{proposal['id']}/outcome",
            json={"outcome": "awarded", "number": "5/QĐ-UBND", "signed_on": PROVINCE_SIGNED_ON, "issuer": "x"},
            headers=bearer(token("qn.staff")),
        ),
        404,
    )

    # province staff were told of it (in the inbox), and only those of Ninh Bình
    def told(user: str) -> list[str]:
        inbox = ok(http.get(f"{SERVICE_URLS['notifications']}/inbox?page_size=200", headers=bearer(token(user))))
        return [m["kind"] for m in inbox["items"] if m["subject"] == proposal["id"]]

    eventually(lambda: told("nb.staff") == ["proposal_received"], what="province staff to hear of the proposal")
    assert told("qn.staff") == []

    # the province decides
    pending = listing(http, "/proposals", staff, status="submitted_to_province")  # every commune's, newest first
    assert proposal["id"] in ids_of(pending)
    assert {p["status"] for p in pending["items"]} == {"submitted_to_province"}
    problem(
        http.post(f"{AWARDS}/proposals/{proposal['id']}/outcome", json={"outcome": "awarded"}, headers=bearer(staff)),
        422,
    )
    province_number = f"{uuid.uuid4().int % 10**6}/QĐ-UBND"
    decided = ok(
        http.post(
            f"{AWARDS}/proposals/{proposal['id']}/outcome",
            json={
                "outcome": "awarded",
                "number": province_number,
                "signed_on": PROVINCE_SIGNED_ON,
                "issuer": "Chủ tịch UBND tỉnh Ninh Bình",
            },
            headers=bearer(staff),
        )
    )
    assert decided["status"] == "province_awarded"
    assert decided["province_outcome"]["number"] == province_number
    problem(
        http.post(
            f"{AWARDS}/proposals/{proposal['id']}/outcome",
            json={"outcome": "rejected", "reason": "x"},
            headers=bearer(staff),
        ),
        409,
    )

    # the award history holds both, once each, as the worker re-applies the events
    def both() -> list[dict[str, Any]] | None:
        items = ok(http.get(f"{AWARDS}/history?entrant_id={entrant['id']}", headers=bearer(officer)))["items"]
        return items if len(items) == 2 else None

    history = {h["award_form"]: h for h in eventually(both, what="two awards in the history")}
    assert history["GIAY_KHEN_XA"]["decision"]["number"] == number
    assert history["GIAY_KHEN_XA"]["level"] == "commune"
    assert history["BANG_KHEN_TINH"]["decision"]["issuer"] == "Chủ tịch UBND tỉnh Ninh Bình"
    assert {h["track"] for h in history.values()} == {"thematic"}
    by_staff = {"entrant_id": entrant["id"], "commune": LIEN_MINH}
    assert ok(http.get(f"{AWARDS}/history", params=by_staff, headers=bearer(staff)))["items"]
    unnamed = http.get(f"{AWARDS}/history", params={"entrant_id": entrant["id"]}, headers=bearer(staff))
    assert unnamed.status_code == 422  # province staff read one commune's history at a time
    assert [e["field"] for e in unnamed.json()["errors"]] == ["commune"]
    for candidate in (giay_khen, bang_khen):
        final = ok(http.get(f"{AWARDS}/candidates/{candidate['id']}", headers=bearer(officer)))
        assert final["status"] == "awarded"
        actions = [a["action"] for a in final["audit"]]
        assert "before_council" in actions
        assert "council_result" in actions
        assert "awarded" in actions
    assert decision["tenant"] == LIEN_MINH

    # every list comes a page at a time in its stated order, with its filters (issue #19)
    assert paged(http, "/candidates", officer, "total", period=OPEN_PERIOD) >= 2
    assert paged(http, "/candidates", officer, "total", period=OPEN_PERIOD, award_form="GIAY_KHEN_XA", status="awarded")
    assert paged(http, "/sessions", officer, "held_at", period=OPEN_PERIOD) >= 1
    assert paged(http, "/decisions", chair, "created_at", period=OPEN_PERIOD) >= 1
    assert paged(http, "/proposals", chair, "created_at", period=OPEN_PERIOD) >= 1
    assert paged(http, "/history", officer, "recorded_at", entrant_id=entrant["id"]) == 2
    assert paged(http, "/proposals", staff, "created_at", period=OPEN_PERIOD, status="province_awarded") >= 1
    kept = listing(http, "/candidates", officer, period=OPEN_PERIOD, award_form="GIAY_KHEN_XA", status="awarded")
    assert {(c["period"], c["award_form"], c["status"]) for c in kept["items"]} == {
        (OPEN_PERIOD, "GIAY_KHEN_XA", "awarded")
    }
    assert decision["id"] in ids_of(listing(http, "/decisions", officer, period=OPEN_PERIOD))  # newest first: on page 1
    assert sid in ids_of(listing(http, "/sessions", officer, period=OPEN_PERIOD, page_size=200))
    # province staff: every commune's proposals, by period and any of several statuses
    answered = listing(http, "/proposals", staff, period=OPEN_PERIOD, status=["province_awarded", "province_rejected"])
    assert proposal["id"] in ids_of(answered)
    assert {(p["period"], p["status"]) for p in answered["items"]} <= {
        (OPEN_PERIOD, "province_awarded"),
        (OPEN_PERIOD, "province_rejected"),
    }
    assert proposal["id"] not in ids_of(listing(http, "/proposals", staff, status="submitted_to_province"))
    assert problem(http.get(f"{AWARDS}/proposals?status=decided", headers=bearer(staff)), 422)["errors"]
    # the deprecated `limit` of GET /candidates still answers, for one release: a page within the bound
    old = ok(http.get(f"{AWARDS}/candidates", params={"period": OPEN_PERIOD, "limit": 500}, headers=bearer(officer)))
    assert (old["page"], old["page_size"]) == (1, 200)


@pytest.mark.usefixtures("lien_minh")
def test_the_history_of_several_entrants_in_one_read(http: httpx.Client, token: Callable[[str], str]) -> None:
    """GET /history?entrant_id=a&entrant_id=b: what the single reads of each answer the same person, together, newest
    first; another commune's entrants are simply absent; one id still filters as before."""
    officer = token("lm.officer")
    first, first_award = recorded_award(http, officer, name="Thôn Lịch Sử")
    second, second_award = recorded_award(http, officer, name="Thôn Lịch Sử")
    ours = {first_award["id"], second_award["id"]}
    # entrants whose awards the submitter sees (the awards of dossiers they filed), if any on this stack
    theirs = ok(http.get(f"{AWARDS}/history", headers=bearer(token("lm.submitter"))))["items"]
    ids = [first["id"], second["id"], str(uuid.uuid4()), *dict.fromkeys(h["entrant"]["id"] for h in theirs[:3])]

    def history(who: str, entrant_ids: list[str]) -> list[dict[str, Any]]:
        params = {"entrant_id": entrant_ids, "commune": LIEN_MINH}  # commune users read their own whatever named
        answer = http.get(f"{AWARDS}/history", params=params, headers=bearer(token(who)))
        return list(ok(answer)["items"])

    def read(who: str) -> list[dict[str, Any]]:
        batch = history(who, ids)
        singles = [h for entrant_id in ids for h in history(who, [entrant_id])]
        assert sorted(h["id"] for h in batch) == sorted(h["id"] for h in singles), who
        assert [h["recorded_at"] for h in batch] == sorted((h["recorded_at"] for h in batch), reverse=True)
        return batch

    for who in ("lm.officer", "lm.chair", "lm.council1", "nb.staff"):
        assert ours <= {h["id"] for h in read(who)}, who
    # a focal officer sees the awards of what they filed (awards recorded by hand name nobody)
    assert not ours & {h["id"] for h in read("lm.submitter")}
    for outsider in ("td.officer", "sm.officer", "qn.staff"):
        assert read(outsider) == [], outsider
    assert [h["id"] for h in history("lm.officer", [first["id"]])] == [first_award["id"]]
    # a page at a time, newest recorded first: the second award on page 1, the first on page 2, nothing on page 3
    both = [first["id"], second["id"]]
    pages = [listing(http, "/history", officer, entrant_id=both, page=n, page_size=1) for n in (1, 2, 3)]
    assert [p["total"] for p in pages] == [2, 2, 2]
    assert [ids_of(p) for p in pages] == [[second_award["id"]], [first_award["id"]], []]
    submitter_pages = listing(http, "/history", token("lm.submitter"), entrant_id=both)
    assert (submitter_pages["items"], submitter_pages["total"]) == ([], 0)  # awards recorded by hand name nobody

    for params, field in (
        ({"entrant_id": [str(uuid.uuid4()) for _ in range(51)]}, "entrant_id"),
        ({"entrant_id": [first["id"], "x" * 101]}, "entrant_id.1"),
    ):
        bad = problem(http.get(f"{AWARDS}/history", params=params, headers=bearer(officer)), 422)
        assert [e["field"] for e in bad["errors"]] == [field], bad
