"""Issue #8, the tenant matrix: every route of every service, read from the live OpenAPI documents, called with the
ids of one commune's real resources (xã Liên Minh) by every kind of person, answers as the table below says, and
nobody outside the commune learns anything of it. Real services, real Keycloak tokens.

The people (columns of each expectation, in this order and grouping):

    S O M C  lm.submitter, lm.officer, lm.council1, lm.chair — the resources' own commune, one person per role
    T        td.officer  — another commune of the same province (Tam Điệp, Ninh Bình)
    X Y      sm.officer, sm.council1 — a commune of another province (Sơn Mai, Quảng Ngãi)
    P        nb.staff    — province staff of the same province
    Q        qn.staff    — province staff of another province

The outcomes:

    +  allowed: 2xx, or a 4xx other than 401/403/404 (the state or the body refuses the request, not the person)
    3  403: the role may not do this, even in its own scope
    4  404: another tenant's (or another person's) id, which must look like an id that does not exist (ADR 0003)
    0  an id in the body that is not the caller's: answered exactly as an unknown id would be (status and problem)

Every route in the OpenAPI documents must have a row (a new route fails here until it is classified) and every row a
route. No leaks: what anyone outside the commune gets back (T, X, Y, Q, whatever the status), and every denial to
anyone, holds none of the resources' identifying strings unless the request itself carried it (the URL echo).
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH, eventually
from .world import (
    DECISION_SIGNED_ON,
    FUTURE_PERIOD,
    OPEN_PERIOD,
    PDF,
    PROVINCE_SIGNED_ON,
    SESSION_HELD_AT,
    YEAR,
    Commune,
    bearer,
    filled_dossier,
    final_score,
    moment_in_period,
    new_entrant,
    ok,
    open_window,
    review_all,
)

SUBMISSIONS, SCORING, AWARDS = SERVICE_URLS["submissions"], SERVICE_URLS["scoring"], SERVICE_URLS["awards"]
NOTIFY, ROLLUPS = SERVICE_URLS["notifications"], SERVICE_URLS["rollups"]

PEOPLE = {
    "S": "lm.submitter",
    "O": "lm.officer",
    "M": "lm.council1",
    "C": "lm.chair",
    "T": "td.officer",
    "X": "sm.officer",
    "Y": "sm.council1",
    "P": "nb.staff",
    "Q": "qn.staff",
}
ORDER = "SOMCTXYPQ"
OUTSIDERS = "TXYQ"  # may see nothing of Liên Minh
OTHER_PROVINCE = "XYQ"  # may not see Ninh Bình's templates either
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKERS = 8  # requests at once: the services wait on the database, not on each other
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIDENCE = {"a1": {"level": "full"}, "a3": {"narrative": "Số hóa sổ sách của thôn."}}  # any score will do
PRIZE_SETTINGS = {
    "base_salaries": [{"amount": 2_340_000, "effective_from": "2024-07-01"}],
    "coefficients": [{"award_form": "GIAY_KHEN_XA", "collective": 0.3, "individual": 0.15}],
}
NO_GATEWAY = "The commune has no webhook gateway"  # GET /webhook's own "nothing configured yet"
MEMBERS = [
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "role": "Chủ tịch Hội đồng"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "role": "Phó Chủ tịch Hội đồng"},
    {"username": "lm.council2", "name": "Lê Văn Đức", "role": "Thư ký Hội đồng"},
    # someone of another commune named on the list by mistake: never told of this session (notifications)
    {"username": "sm.council1", "name": "Người xã khác", "role": "Ủy viên"},
]

# (service, "METHOD /path") → the outcome per person, columns "SOMC T XY P Q" (see the module's docstring)
EXPECTED: dict[tuple[str, str], str] = {
    # submissions: reference lists and the province's templates
    ("submissions", "GET /reference"): "++++ + ++ + +",
    ("submissions", "GET /campaign-templates"): "++++ + ++ + +",
    ("submissions", "POST /campaign-templates"): "3333 3 33 3 3",  # province admins only
    ("submissions", "GET /campaign-templates/{template_id}"): "++++ + 44 + 4",  # the province's own, published
    ("submissions", "POST /campaign-templates/{template_id}/publish"): "3333 3 33 3 3",
    # the commune's campaign
    ("submissions", "GET /campaigns"): "++++ + ++ + +",
    ("submissions", "POST /campaigns"): "3+33 + 03 3 3",  # adopting the province's template: Sơn Mai cannot see it
    ("submissions", "GET /campaigns/{campaign_id}"): "++++ 4 44 + 4",
    ("submissions", "PUT /campaigns/{campaign_id}/periods/{period}"): "3+33 4 43 3 3",
    ("submissions", "GET /campaigns/{campaign_id}/criteria-sets"): "++++ 4 44 + 4",
    ("submissions", "PUT /campaigns/{campaign_id}/criteria-sets/{period}"): "3+33 4 43 3 3",
    # entrants (the body of POST /entrants names the unit of the person added)
    ("submissions", "GET /entrants"): "++++ + ++ + +",
    ("submissions", "POST /entrants"): "3+33 0 03 3 3",
    ("submissions", "GET /entrants/import-template"): "3+33 + +3 3 3",
    ("submissions", "POST /entrants/import"): "3+33 + +3 3 3",
    ("submissions", "GET /entrants/{entrant_id}"): "++++ 4 44 + 4",
    # registrations
    ("submissions", "GET /registrations"): "++++ + ++ + +",
    ("submissions", "POST /registrations"): "++33 0 03 3 3",
    ("submissions", "GET /registrations/counts"): "++++ + ++ + +",
    ("submissions", "GET /registrations/{registration_id}"): "++++ 4 44 + 4",
    # dossiers, their evidence and files
    ("submissions", "GET /submissions"): "++++ + ++ + +",
    ("submissions", "POST /submissions"): "++33 0 03 3 3",
    ("submissions", "GET /submissions/{submission_id}"): "++++ 4 44 + 4",
    ("submissions", "PUT /submissions/{submission_id}/evidence/{code}"): "++33 4 43 3 3",
    ("submissions", "POST /submissions/{submission_id}/evidence/{code}/attachments"): "++33 4 43 3 3",
    ("submissions", "DELETE /submissions/{submission_id}/evidence/{code}/attachments/{attachment_id}"): "++33 4 43 3 3",
    ("submissions", "POST /submissions/{submission_id}/submit"): "++33 4 43 3 3",
    ("submissions", "POST /submissions/{submission_id}/return"): "3+33 4 43 3 3",
    ("submissions", "POST /submissions/{submission_id}/withdraw"): "++33 4 43 3 3",
    ("submissions", "POST /submissions/{submission_id}/completeness"): "3+33 4 43 3 3",
    ("submissions", "GET /submissions/{submission_id}/audit"): "++++ 4 44 + 4",
    ("submissions", "GET /attachments/{attachment_id}"): "++++ 4 44 + 4",
    # scoring: a council member reads scores only through /reviews (blind reviews stay blind), as if there were none
    ("scoring", "GET /scores/{submission_id}"): "++4+ 4 44 + 4",
    ("scoring", "GET /scores"): "++++ + ++ + +",  # several at once: what the single read would 404 is left out
    ("scoring", "GET /council"): "3+++ + ++ 3 3",  # the commune's own roster; province staff have no commune
    ("scoring", "PUT /council"): "3+33 + +3 3 3",
    ("scoring", "POST /council/assign"): "3+33 + +3 3 3",
    ("scoring", "GET /reviews/queue"): "33+3 3 3+ 3 3",
    ("scoring", "GET /reviews/{submission_id}"): "33+3 3 34 3 3",
    ("scoring", "PUT /reviews/{submission_id}/assessments/{code}"): "33+3 3 34 3 3",
    ("scoring", "POST /reviews/{submission_id}/recuse"): "33+3 3 34 3 3",
    ("scoring", "POST /periods/{period}/close"): "3+33 + +3 3 3",
    ("scoring", "GET /leaderboard"): "3+++ + ++ + +",  # another province asking for Liên Minh: an empty list
    ("scoring", "GET /index/provinces/{province}"): "3333 3 33 + 3",  # province codes are public: 403, not 404
    ("scoring", "GET /index/settings"): "3333 3 33 + +",
    ("scoring", "PUT /index/settings"): "3333 3 33 3 3",  # province admins only
    # awards: catalogue, rules, letterhead, standings
    ("awards", "GET /catalogue"): "++++ + ++ + +",
    ("awards", "GET /rules"): "++++ + ++ + +",
    ("awards", "PUT /rules"): "3333 3 33 3 3",
    ("awards", "GET /settings"): "++++ + ++ + +",  # every user of a province reads its own quorum and quotas
    ("awards", "PUT /settings"): "3333 3 33 3 3",  # province admins only
    ("awards", "GET /letterhead"): "3+++ + ++ 3 3",  # the commune's own; province staff have no commune
    ("awards", "PUT /letterhead"): "3+33 + +3 3 3",  # each officer puts back their own commune's letterhead
    ("awards", "PUT /standings"): "3+33 0 03 3 3",  # the entrant in the body must be the commune's own
    ("awards", "GET /standings/{entrant_id}"): "3+++ 4 44 + 4",
    # candidates and history
    ("awards", "GET /candidates"): "3+++ + ++ + +",
    ("awards", "POST /candidates"): "3+33 0 03 3 3",
    ("awards", "POST /candidates/evaluate"): "3+33 + +3 3 3",
    ("awards", "POST /candidates/ad-hoc"): "3+33 0 03 3 3",  # the entrant in the body must be the commune's own
    ("awards", "GET /candidates/{candidate_id}"): "3+++ 4 44 + 4",
    ("awards", "POST /candidates/{candidate_id}/review"): "3+33 4 43 3 3",
    ("awards", "GET /history"): "++++ + ++ + +",
    ("awards", "POST /history"): "3+33 0 03 3 3",
    ("awards", "GET /history/forms"): "++++ + ++ + +",  # the history's catalogue of forms, the same for everyone
    ("awards", "GET /history/template.xlsx"): "3+33 + +3 3 3",
    ("awards", "POST /history/import"): "3+33 + +3 3 3",  # not a workbook: 422 once the role is checked
    # the showcase: read by the whole province (nothing of the commune's is published while the others read it)
    ("awards", "GET /showcase"): "++++ + ++ + +",
    ("awards", "PUT /showcase/{history_id}"): "3+33 4 43 3 3",
    ("awards", "DELETE /showcase/{history_id}"): "3+33 4 43 3 3",
    # council sessions
    ("awards", "POST /sessions"): "3+33 + +3 3 3",
    ("awards", "GET /sessions"): "3+++ + ++ + +",
    ("awards", "GET /sessions/{session_id}"): "3+++ 4 44 + 4",
    ("awards", "POST /sessions/{session_id}/open"): "3+33 4 43 3 3",
    ("awards", "PUT /sessions/{session_id}/ballot"): "33++ 3 34 3 3",
    ("awards", "PUT /sessions/{session_id}/written-opinions/{member}"): "3+33 4 43 3 3",
    ("awards", "PUT /sessions/{session_id}/paper-count"): "3+33 4 43 3 3",
    ("awards", "POST /sessions/{session_id}/close"): "3+33 4 43 3 3",
    ("awards", "GET /sessions/{session_id}/minutes.pdf"): "3+++ 4 44 + 4",
    # decisions and proposals
    ("awards", "POST /decisions"): "333+ 3 33 3 3",
    ("awards", "GET /decisions"): "3+++ + ++ + +",
    ("awards", "GET /decisions/{decision_id}"): "3+++ 4 44 + 4",
    ("awards", "GET /decisions/{decision_id}/document.pdf"): "3+++ 4 44 + 4",
    ("awards", "POST /proposals"): "333+ 3 33 3 3",
    ("awards", "GET /proposals"): "3+++ + ++ + +",
    ("awards", "GET /proposals/{proposal_id}"): "3+++ 4 44 + 4",
    ("awards", "GET /proposals/{proposal_id}/dossier"): "3+++ 4 44 + 4",
    ("awards", "GET /proposals/{proposal_id}/documents/{kind}.pdf"): "3+++ 4 44 + 4",
    ("awards", "POST /proposals/{proposal_id}/outcome"): "3333 3 33 + 4",
    # prize money: the province's settings (its administrators set them), the commune's fund and payment lists
    ("awards", "GET /prize-settings"): "++++ + ++ + +",  # each reads their own province's
    ("awards", "PUT /prize-settings"): "3333 3 33 3 3",  # province admins only
    ("awards", "GET /fund"): "3+3+ + +3 3 3",  # officers and chairmen, each their own commune's fund
    ("awards", "POST /fund/movements"): "3+33 + +3 3 3",  # a day to come: 422 once the role and commune are checked
    ("awards", "GET /decisions/{decision_id}/payments.xlsx"): "3+3+ 4 43 3 3",
    # notifications: one's own inbox and preferences; a message of someone else is not there
    ("notifications", "GET /inbox"): "++++ + ++ + +",
    ("notifications", "GET /inbox/unread-count"): "++++ + ++ + +",
    ("notifications", "POST /inbox/{message_id}/read"): "+444 4 44 4 4",
    ("notifications", "GET /preferences"): "++++ + ++ + +",
    ("notifications", "PUT /preferences"): "++++ + ++ + +",  # each puts back their own
    ("notifications", "GET /templates"): "3+33 + +3 3 3",
    ("notifications", "GET /templates/{kind}"): "3+33 + +3 3 3",
    ("notifications", "PUT /templates/{kind}"): "3+33 + +3 3 3",  # a template that does not render: 422
    ("notifications", "POST /templates/{kind}/preview"): "3+33 + +3 3 3",
    ("notifications", "GET /webhook"): "3+33 + +3 3 3",
    ("notifications", "PUT /webhook"): "3+33 + +3 3 3",  # not a gateway: 422
    ("notifications", "GET /deliveries"): "3+33 + +3 3 3",  # operators, province admins, commune officers
    ("notifications", "POST /deliveries/{delivery_id}/retry"): "3+33 4 43 3 3",
    ("notifications", "POST /ops/digests"): "3333 3 33 3 3",  # operators only
    ("notifications", "POST /ops/reminders"): "3333 3 33 3 3",
    # rollups
    ("rollups", "GET /rollups/communes/{commune}"): "3+3+ 4 43 + 4",
    ("rollups", "GET /rollups/communes/{commune}/entrants"): "3+3+ 4 43 + 4",
    ("rollups", "GET /rollups/provinces/{province}"): "3333 3 33 + 3",
    ("rollups", "GET /rollups/provinces/{province}/units"): "3333 3 33 + 3",  # the names: the province's own staff
    ("rollups", "POST /rollups/reports"): "3+3+ 4 43 + 4",  # a report on Liên Minh
    ("rollups", "GET /rollups/reports/{job_id}"): "3+3+ 4 43 + 4",
    ("rollups", "GET /rollups/reports/{job_id}/report.{extension}"): "3+3+ 4 43 + 4",
}


def expectation(code: str) -> dict[str, str]:
    outcomes = code.replace(" ", "")
    assert len(outcomes) == len(ORDER), code
    assert set(outcomes) <= set("+340"), code
    return dict(zip(ORDER, outcomes, strict=True))


# --- the resources of one commune


@dataclass
class World:
    tokens: dict[str, str]
    user_ids: dict[str, str]
    commune: Commune
    entrant: dict[str, Any]
    person: str
    registration: str
    dossier: str
    attachment: str
    attachment_name: str
    assessment_code: str
    giay_khen: dict[str, Any]
    bang_khen: dict[str, Any]
    session: dict[str, Any]
    decision_body: dict[str, Any]
    decision: dict[str, Any]
    proposal_body: dict[str, Any]
    proposal: dict[str, Any]
    message: str
    delivery: str
    report: str
    criteria_content: dict[str, Any]
    rule: dict[str, Any]
    index_settings: dict[str, Any]
    past_award_number: str
    history: str  # the Giấy khen's entry in the entrant's award history

    def secrets(self, who: str) -> dict[str, str]:
        """What identifies Liên Minh's resources, by name, for the leak check of person `who`."""
        found = {
            "entrant name": self.entrant["name"],
            "entrant id": self.entrant["id"],
            "person name": self.person,
            "campaign id": self.commune.campaign_id,
            "registration id": self.registration,
            "submission id": self.dossier,
            "attachment id": self.attachment,
            "attachment file name": self.attachment_name,
            "candidate id (Giấy khen)": self.giay_khen["id"],
            "candidate id (Bằng khen)": self.bang_khen["id"],
            "session id": self.session["id"],
            "session title": self.session["title"],
            "decision id": self.decision["id"],
            "decision number": self.decision_body["number"],
            "proposal id": self.proposal["id"],
            "proposal number": self.proposal_body["number"],
            "message id": self.message,
            "delivery id": self.delivery,
            "report id": self.report,
        }
        if who in OTHER_PROVINCE:
            found["template id"] = self.commune.template_id
        return found


def _hex() -> str:
    return uuid.uuid4().hex[:8]


def _number(kind: str) -> str:
    return f"{uuid.uuid4().int % 10**6}/{kind}-UBND"


def _subject(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


def _awards_setup(http: httpx.Client, w: dict[str, Any], tokens: dict[str, str], council: dict[str, str]) -> None:
    """The dossier put by hand on the lists of the commune's Giấy khen and the province's Bằng khen, a council session
    that passes both, the chairman's decision and proposal, the province's answer."""
    officer, chair, staff = tokens["O"], tokens["C"], tokens["P"]
    dossier = w["dossier"]

    def by_hand(form: str) -> dict[str, Any] | None:
        """Put on the form's list by the officer, once awards has the final score (422 until then)."""
        add = {"submission_id": dossier, "award_form": form, "reason": "Thành tích tiêu biểu của thôn"}
        answer = http.post(f"{AWARDS}/candidates", json=add, headers=bearer(officer))
        return dict(ok(answer, 201)) if answer.status_code != 422 else None

    w["giay_khen"] = eventually(lambda: by_hand("GIAY_KHEN_XA"), what="awards to know the final score")
    w["bang_khen"] = by_hand("BANG_KHEN_TINH")
    entrant_ref = w["giay_khen"]["entrant"]
    ok(http.put(f"{AWARDS}/standings", json={"entrant": entrant_ref, "flags": []}, headers=bearer(officer)))

    title = f"Họp Hội đồng xét khen thưởng (ma trận {_hex()})"
    convening = {
        "period": OPEN_PERIOD,
        "title": title,
        "held_at": SESSION_HELD_AT,
        "location": "Hội trường UBND xã Liên Minh",
        "members": MEMBERS,
        "chair": "lm.chair",
        "secretary": "lm.council2",
        "award_forms": ["GIAY_KHEN_XA", "BANG_KHEN_TINH"],
    }

    def convened() -> dict[str, Any] | None:  # 409 when another session took some of the list meanwhile
        answer = http.post(f"{AWARDS}/sessions", json=convening, headers=bearer(officer))
        return None if answer.status_code == 409 else dict(ok(answer, 201))

    session = eventually(convened, timeout=20, what="a council session")
    ours = {w["giay_khen"]["id"], w["bang_khen"]["id"]}
    assert ours <= {c["candidate_id"] for c in session["candidates"]}
    voters = {"lm.chair": chair, **council}
    ok(http.post(f"{AWARDS}/sessions/{session['id']}/open", json={"present": sorted(voters)}, headers=bearer(officer)))
    for member, member_token in voters.items():
        votes = [
            {"candidate_id": c["candidate_id"], "vote": "yes" if c["candidate_id"] in ours else "no"}
            for c in session["candidates"]
            if member not in {r["member"] for r in c["recused"]}
        ]
        ok(http.put(f"{AWARDS}/sessions/{session['id']}/ballot", json={"votes": votes}, headers=bearer(member_token)))
    closed = ok(http.post(f"{AWARDS}/sessions/{session['id']}/close", headers=bearer(officer)))
    assert all(r["passed"] for r in closed["results"] if r["candidate_id"] in ours), closed["results"]
    w["session"] = {"id": session["id"], "title": title}

    signed = {"signed_on": DECISION_SIGNED_ON, "signer_name": "Phạm Văn Minh", "period": OPEN_PERIOD}
    w["decision_body"] = {
        **signed,
        "award_form": "GIAY_KHEN_XA",
        "number": _number("QĐ"),
        "candidate_ids": [w["giay_khen"]["id"]],
    }
    w["decision"] = ok(http.post(f"{AWARDS}/decisions", json=w["decision_body"], headers=bearer(chair)), 201)
    w["proposal_body"] = {
        **signed,
        "award_form": "BANG_KHEN_TINH",
        "number": _number("TTr"),
        "candidate_ids": [w["bang_khen"]["id"]],
    }
    w["proposal"] = ok(http.post(f"{AWARDS}/proposals", json=w["proposal_body"], headers=bearer(chair)), 201)
    answer = {
        "outcome": "awarded",
        "number": _number("QĐ"),
        "signed_on": PROVINCE_SIGNED_ON,
        "issuer": "UBND tỉnh Ninh Bình",
    }
    ok(http.post(f"{AWARDS}/proposals/{w['proposal']['id']}/outcome", json=answer, headers=bearer(staff)))


@pytest.fixture(scope="module")
def world(http: httpx.Client, token: Callable[[str], str], lien_minh: Commune, council: dict[str, str]) -> World:
    began = time.monotonic()
    try:
        tokens = {letter: token(username) for letter, username in PEOPLE.items()}
    except httpx.HTTPStatusError as exc:  # td.officer (Tam Điệp) came with the realm of issue #8
        pytest.fail(
            f"a demo user cannot sign in ({exc}): a realm imported before Tam Điệp was added lacks td.officer; "
            "import deploy/keycloak/realm/ again (deploy/stack down; rm -r .stack/data/keycloak; deploy/stack up)"
        )
    submitter, officer, staff = tokens["S"], tokens["O"], tokens["P"]
    w: dict[str, Any] = {"tokens": tokens, "commune": lien_minh}
    w["user_ids"] = {letter: _subject(t) for letter, t in tokens.items()}
    laps: list[str] = []

    def lap(what: str) -> None:
        laps.append(f"{what} {time.monotonic() - began:.1f}s")

    # a report on the commune (made meanwhile, in the background)
    job = ok(
        http.post(
            f"{ROLLUPS}/rollups/reports",
            json={"kind": "commune", "commune": LIEN_MINH, "period": OPEN_PERIOD},
            headers=bearer(officer),
        ),
        202,
    )
    w["report"] = job["id"]

    # a unit filed and submitted by its focal officer, with a file; the council scores it
    entrant = new_entrant(http, officer, name="Thôn Ma Trận", focal=("lm.submitter",))
    w["entrant"] = entrant
    w["person"] = f"Nguyễn Thị Ma Trận {_hex()}"
    w["dossier"] = dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE)
    registrations = ok(
        http.get(f"{SUBMISSIONS}/registrations", params={"entrant": entrant["id"]}, headers=bearer(submitter))
    )
    w["registration"] = registrations["items"][0]["id"]
    w["attachment_name"] = f"Biên bản ma trận {_hex()}.pdf"
    attached = ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments",
            params={"filename": w["attachment_name"]},
            content=PDF,
            headers={**bearer(submitter), "content-type": "application/pdf"},
        ),
        201,
    )
    w["attachment"] = attached["evidence"]["a3"]["attachments"][0]["id"]
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
    lap("submitted")
    reviewers = review_all(http, council, dossier)
    assert "lm.council1" in reviewers, reviewers
    review = ok(http.get(f"{SCORING}/reviews/{dossier}", headers=bearer(tokens["M"])))
    w["assessment_code"] = review["criteria"][0]["code"]
    lap("reviewed")
    eventually(lambda: final_score(http, officer, dossier), what="the final score")
    lap("final")
    _awards_setup(http, w, tokens, council)
    awarded = ok(http.get(f"{AWARDS}/history", params={"entrant_id": entrant["id"]}, headers=bearer(officer)))
    w["history"] = next(h["id"] for h in awarded["items"] if h["award_form"] == "GIAY_KHEN_XA")
    lap("awards")

    # what people were told; the report made
    def told() -> str | None:
        inbox = ok(http.get(f"{NOTIFY}/inbox", params={"page_size": 200}, headers=bearer(submitter)))
        return next((m["id"] for m in inbox["items"] if m["subject"] == dossier), None)

    w["message"] = eventually(told, what="a message to the submitter about the dossier")

    def delivered() -> str | None:
        listing = ok(http.get(f"{NOTIFY}/deliveries", params={"page_size": 200}, headers=bearer(officer)))
        return next((d["id"] for d in listing["items"] if d["subject"] == dossier), None)

    w["delivery"] = eventually(delivered, what="a delivery about the dossier")
    lap("told")

    def report() -> dict[str, Any]:
        return dict(ok(http.get(f"{ROLLUPS}/rollups/reports/{w['report']}", headers=bearer(officer))))

    eventually(lambda: report()["status"] in ("ready", "failed"), what="the commune's report")
    assert report()["status"] == "ready", report()
    lap("report")

    # bodies that put things back as they are
    sets = ok(
        http.get(
            f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/criteria-sets",
            params={"period": OPEN_PERIOD, "group": "a"},
            headers=bearer(officer),
        )
    )
    w["criteria_content"] = sets[0]["content"]
    w["rule"] = ok(http.get(f"{AWARDS}/rules", headers=bearer(staff)))["items"][0]
    w["index_settings"] = ok(http.get(f"{SCORING}/index/settings", headers=bearer(staff)))
    w["past_award_number"] = _number("QĐ")
    print(f"\nworld of {LIEN_MINH} ready in {time.monotonic() - began:.1f}s ({', '.join(laps)})")
    return World(**w)


# --- how each route is called


Body = Callable[[str], Any]  # the body as a function of the caller's letter, for settings each puts back as is


@dataclass(frozen=True)
class Call:
    params: dict[str, Any] = field(default_factory=dict)
    path: dict[str, str] = field(default_factory=dict)  # path values other than path_values()
    body: Any = None  # JSON, or a Body
    content: bytes | None = None
    content_type: str | None = None
    foreign: str | None = None  # the id in the body that "0" swaps for an unknown one
    stage: int = 0  # allowed calls that change what later calls see run last, in stage order
    shows: tuple[str, str] | None = None  # (who, identifying string): these allowed people must see it
    empty_state: str | None = None  # a 404 with this detail is the caller's own "nothing yet", not a denial


def calls(w: World, http: httpx.Client) -> dict[tuple[str, str], Call]:
    lm, entrant = w.commune, w.entrant

    def own(url: str, fallback: Any) -> Body:
        def body(who: str) -> Any:
            current = http.get(url, headers=bearer(w.tokens[who]))
            return current.json() if current.status_code == 200 else fallback

        return body

    def letterhead(who: str) -> Any:
        fallback = {"issuing_body": "ỦY BAN NHÂN DÂN XÃ", "parent_body": "TỈNH", "place": "Xã", "authority": "UBND xã"}
        return own(f"{AWARDS}/letterhead", fallback)(who)

    window = open_window(YEAR, datetime.now(UTC))  # the open period's, as it is
    entrant_ref = w.giay_khen["entrant"]
    ballot = {"votes": [{"candidate_id": w.giay_khen["id"], "vote": "yes"}]}
    session = {
        "period": OPEN_PERIOD,
        "title": "Họp thử quyền",
        "held_at": moment_in_period(12, 6),
        "location": "Hội trường",
        "members": MEMBERS[:3],
        "chair": "lm.chair",
        "award_forms": ["CO_THI_DUA_TINH"],  # not awarded in a yearly round: nobody is under review, 422
    }
    past_award = {
        "entrant": entrant_ref,
        "award_form": "GIAY_KHEN_XA",
        "period": "2025",
        "track": "regular",
        "number": w.past_award_number,
        "signed_on": "2025-12-15",
        "issuer": "Chủ tịch UBND xã",
    }
    mine = ("SOMCP", w.dossier)
    return {
        ("submissions", "GET /reference"): Call(),
        ("submissions", "GET /campaign-templates"): Call(),
        ("submissions", "POST /campaign-templates"): Call(body={"code": "cds-2025-2030"}),
        ("submissions", "GET /campaign-templates/{template_id}"): Call(),
        ("submissions", "POST /campaign-templates/{template_id}/publish"): Call(),
        ("submissions", "GET /campaigns"): Call(shows=("SOMCP", lm.campaign_id)),
        ("submissions", "POST /campaigns"): Call(body={"template_id": lm.template_id}, foreign=lm.template_id),
        ("submissions", "GET /campaigns/{campaign_id}"): Call(),
        ("submissions", "PUT /campaigns/{campaign_id}/periods/{period}"): Call(body=window),
        ("submissions", "GET /campaigns/{campaign_id}/criteria-sets"): Call(
            params={"period": OPEN_PERIOD, "group": "a"}
        ),
        # the period has opened: the officer's adaptation is refused (409), after the scope was checked
        ("submissions", "PUT /campaigns/{campaign_id}/criteria-sets/{period}"): Call(body=w.criteria_content),
        ("submissions", "GET /entrants"): Call(params={"page_size": 200}),
        ("submissions", "POST /entrants"): Call(
            body={
                "name": w.person,
                "kind": "individual",
                "target_group": "d1",
                "unit_id": entrant["id"],
                "position": "Thôn trưởng",
            },
            foreign=entrant["id"],
        ),
        ("submissions", "GET /entrants/import-template"): Call(),
        ("submissions", "POST /entrants/import"): Call(content=b"not a workbook", content_type=XLSX),
        ("submissions", "GET /entrants/{entrant_id}"): Call(),
        ("submissions", "GET /registrations"): Call(params={"entrant": entrant["id"]}, shows=("SOMCP", w.registration)),
        ("submissions", "POST /registrations"): Call(
            body={"period": OPEN_PERIOD, "entrant_id": entrant["id"], "targets": {"a11": 90}},
            foreign=entrant["id"],
        ),
        ("submissions", "GET /registrations/counts"): Call(params={"period": OPEN_PERIOD}),
        ("submissions", "GET /registrations/{registration_id}"): Call(),
        ("submissions", "GET /submissions"): Call(params={"entrant": entrant["id"], "commune": LIEN_MINH}, shows=mine),
        ("submissions", "POST /submissions"): Call(
            body={"period": OPEN_PERIOD, "entrant_id": entrant["id"]}, foreign=entrant["id"]
        ),
        ("submissions", "GET /submissions/{submission_id}"): Call(),
        ("submissions", "PUT /submissions/{submission_id}/evidence/{code}"): Call(body={"value": 100}),
        ("submissions", "POST /submissions/{submission_id}/evidence/{code}/attachments"): Call(
            params={"filename": "them.pdf"}, content=PDF, content_type="application/pdf"
        ),
        ("submissions", "DELETE /submissions/{submission_id}/evidence/{code}/attachments/{attachment_id}"): Call(),
        ("submissions", "POST /submissions/{submission_id}/submit"): Call(),
        ("submissions", "POST /submissions/{submission_id}/return"): Call(
            body={"reasons": [{"code": "a1", "reason": "Bổ sung kết quả thực hiện"}]}, stage=1
        ),
        ("submissions", "POST /submissions/{submission_id}/withdraw"): Call(body={"reason": "Rút để làm lại"}, stage=2),
        ("submissions", "POST /submissions/{submission_id}/completeness"): Call(),
        ("submissions", "GET /submissions/{submission_id}/audit"): Call(),
        ("submissions", "GET /attachments/{attachment_id}"): Call(),
        ("scoring", "GET /scores/{submission_id}"): Call(),
        ("scoring", "GET /scores"): Call(params={"submission_id": [w.dossier]}, shows=("SOCP", w.dossier)),
        ("scoring", "GET /council"): Call(),
        # a member listed twice: 409 once the role and the commune are checked (a valid roster would make scoring
        # go through every open review of the commune, seconds on a long-lived stack)
        ("scoring", "PUT /council"): Call(body={"members": [{"username": "lm.council1"}, {"username": "lm.council1"}]}),
        ("scoring", "POST /council/assign"): Call(params={"period": FUTURE_PERIOD}),
        ("scoring", "GET /reviews/queue"): Call(),
        ("scoring", "GET /reviews/{submission_id}"): Call(),
        ("scoring", "PUT /reviews/{submission_id}/assessments/{code}"): Call(body={"points": 0}),
        ("scoring", "POST /reviews/{submission_id}/recuse"): Call(body={"reason": "Có quan hệ gia đình"}),
        ("scoring", "POST /periods/{period}/close"): Call(path={"period": FUTURE_PERIOD}),  # nothing waits there
        ("scoring", "GET /leaderboard"): Call(
            params={"period": OPEN_PERIOD, "group": "a", "commune": LIEN_MINH}, shows=("OMCP", w.dossier)
        ),
        ("scoring", "GET /index/provinces/{province}"): Call(params={"period": OPEN_PERIOD}),
        ("scoring", "GET /index/settings"): Call(),
        ("scoring", "PUT /index/settings"): Call(body=w.index_settings),
        ("awards", "GET /catalogue"): Call(),
        ("awards", "GET /rules"): Call(),
        ("awards", "PUT /rules"): Call(body=w.rule),
        ("awards", "GET /settings"): Call(),
        ("awards", "PUT /settings"): Call(body={}),  # nobody here may: the defaults would be written back
        ("awards", "GET /letterhead"): Call(),
        ("awards", "PUT /letterhead"): Call(body=letterhead),
        ("awards", "PUT /standings"): Call(body={"entrant": entrant_ref, "flags": []}, foreign=entrant["id"]),
        ("awards", "GET /standings/{entrant_id}"): Call(),
        ("awards", "GET /candidates"): Call(params={"period": OPEN_PERIOD, "page_size": 200, "commune": LIEN_MINH}),
        ("awards", "POST /candidates"): Call(
            body={"submission_id": w.dossier, "award_form": "BANG_KHEN_TINH", "reason": "Thử"}, foreign=w.dossier
        ),
        ("awards", "POST /candidates/evaluate"): Call(body={"period": OPEN_PERIOD, "award_form": "GIAY_KHEN_XA"}),
        ("awards", "POST /candidates/ad-hoc"): Call(
            body={
                "entrant_id": entrant["id"],
                "award_form": "GIAY_KHEN_XA",
                "achievement": "Cứu người bị nạn trong lũ",
                "achieved_on": f"{datetime.now(UTC).year}-01-02",
            },
            foreign=entrant["id"],
        ),
        ("awards", "GET /candidates/{candidate_id}"): Call(),
        ("awards", "POST /candidates/{candidate_id}/review"): Call(body={"included": True, "reason": "Giữ"}),
        ("awards", "GET /history"): Call(
            params={"entrant_id": entrant["id"], "commune": LIEN_MINH}, shows=("SOMCP", w.decision_body["number"])
        ),
        ("awards", "POST /history"): Call(body=past_award, foreign=entrant["id"]),
        ("awards", "GET /history/forms"): Call(),
        ("awards", "GET /history/template.xlsx"): Call(),
        ("awards", "POST /history/import"): Call(content=b"not a workbook", content_type=XLSX_TYPE),
        ("awards", "GET /showcase"): Call(params={"page_size": 200}),
        # published once everyone has read the showcase (the province may read it: not a leak, but the check's
        # strings would be in it), then withdrawn
        ("awards", "PUT /showcase/{history_id}"): Call(body={"title": "Điển hình", "story": "Thử quyền"}, stage=1),
        ("awards", "DELETE /showcase/{history_id}"): Call(stage=2),
        ("awards", "POST /sessions"): Call(body=session),
        ("awards", "GET /sessions"): Call(params={"period": OPEN_PERIOD, "page_size": 200, "commune": LIEN_MINH}),
        ("awards", "GET /sessions/{session_id}"): Call(),
        ("awards", "POST /sessions/{session_id}/open"): Call(body={"present": ["lm.chair", "lm.council1"]}),
        ("awards", "PUT /sessions/{session_id}/ballot"): Call(body=ballot),
        ("awards", "PUT /sessions/{session_id}/written-opinions/{member}"): Call(
            path={"member": "lm.council2"}, body=ballot
        ),
        ("awards", "PUT /sessions/{session_id}/paper-count"): Call(
            body={
                "issued": 1,
                "returned": 1,
                "valid": 1,
                "candidates": [{"candidate_id": "c", "yes": 1, "no": 0, "abstain": 0}],
            }
        ),
        ("awards", "POST /sessions/{session_id}/close"): Call(),
        ("awards", "GET /sessions/{session_id}/minutes.pdf"): Call(),
        ("awards", "POST /decisions"): Call(body=w.decision_body),
        ("awards", "GET /decisions"): Call(
            params={"period": OPEN_PERIOD, "page_size": 200, "commune": LIEN_MINH}, shows=("OMCP", w.decision["id"])
        ),
        ("awards", "GET /decisions/{decision_id}"): Call(),
        ("awards", "GET /decisions/{decision_id}/document.pdf"): Call(),
        ("awards", "POST /proposals"): Call(body=w.proposal_body),
        ("awards", "GET /proposals"): Call(
            params={"period": OPEN_PERIOD, "page_size": 200}, shows=("OMCP", w.proposal["id"])
        ),
        ("awards", "GET /proposals/{proposal_id}"): Call(),
        ("awards", "GET /proposals/{proposal_id}/dossier"): Call(),
        ("awards", "GET /proposals/{proposal_id}/documents/{kind}.pdf"): Call(),
        ("awards", "POST /proposals/{proposal_id}/outcome"): Call(body={"outcome": "rejected", "reason": "Thử"}),
        ("awards", "GET /prize-settings"): Call(),
        ("awards", "PUT /prize-settings"): Call(body=PRIZE_SETTINGS),
        ("awards", "GET /fund"): Call(params={"page_size": 200}),
        ("awards", "POST /fund/movements"): Call(
            body={"on": "2999-01-01", "kind": "allocation", "amount": 1, "description": "Thử quyền"}
        ),
        ("awards", "GET /decisions/{decision_id}/payments.xlsx"): Call(),
        ("notifications", "GET /inbox"): Call(params={"page_size": 200}, shows=("S", w.message)),
        ("notifications", "GET /inbox/unread-count"): Call(),
        ("notifications", "POST /inbox/{message_id}/read"): Call(),
        ("notifications", "GET /preferences"): Call(),
        ("notifications", "PUT /preferences"): Call(body=own(f"{NOTIFY}/preferences", {})),
        ("notifications", "GET /templates"): Call(),
        ("notifications", "GET /templates/{kind}"): Call(),
        ("notifications", "PUT /templates/{kind}"): Call(
            body={"subject_vi": "{{ entrant", "body_vi": "x", "subject_en": "x", "body_en": "x"}
        ),
        ("notifications", "POST /templates/{kind}/preview"): Call(body={}),
        ("notifications", "GET /webhook"): Call(empty_state=NO_GATEWAY),
        ("notifications", "PUT /webhook"): Call(body={"url": "not a gateway", "secret": "x"}),
        ("notifications", "GET /deliveries"): Call(params={"page_size": 200}),
        ("notifications", "POST /deliveries/{delivery_id}/retry"): Call(),
        ("notifications", "POST /ops/digests"): Call(params={"through": "2020-01-01"}),
        ("notifications", "POST /ops/reminders"): Call(),
        ("rollups", "GET /rollups/communes/{commune}"): Call(),
        ("rollups", "GET /rollups/communes/{commune}/entrants"): Call(),
        ("rollups", "GET /rollups/provinces/{province}"): Call(),
        ("rollups", "GET /rollups/provinces/{province}/units"): Call(),
        ("rollups", "POST /rollups/reports"): Call(
            body={"kind": "commune", "commune": LIEN_MINH, "period": OPEN_PERIOD}
        ),
        ("rollups", "GET /rollups/reports/{job_id}"): Call(),
        ("rollups", "GET /rollups/reports/{job_id}/report.{extension}"): Call(),
    }


def path_values(w: World, service: str) -> dict[str, str]:
    return {
        "template_id": w.commune.template_id,
        "campaign_id": w.commune.campaign_id,
        "period": OPEN_PERIOD,
        "entrant_id": w.entrant["id"],
        "registration_id": w.registration,
        "submission_id": w.dossier,
        "code": w.assessment_code if service == "scoring" else "a3",
        "attachment_id": w.attachment,
        "candidate_id": w.giay_khen["id"],
        "session_id": w.session["id"],
        "decision_id": w.decision["id"],
        "proposal_id": w.proposal["id"],
        "history_id": w.history,
        "kind": "to-trinh" if service == "awards" else "submission_submitted",
        "message_id": w.message,
        "delivery_id": w.delivery,
        "commune": LIEN_MINH,
        "province": "37",
        "job_id": w.report,
        "extension": "xlsx",
    }


# --- the routes, from the live OpenAPI documents


def live_routes(http: httpx.Client) -> set[tuple[str, str]]:
    found = set()
    for service, base in SERVICE_URLS.items():
        document = ok(http.get(f"{base}/openapi.json"))
        for path, operations in document["paths"].items():
            if path.startswith("/health"):
                continue
            found |= {(service, f"{method.upper()} {path}") for method in operations}
    return found


# --- running the cases


@dataclass(frozen=True)
class Case:
    service: str
    route: str
    who: str
    expected: str
    call: Call

    @property
    def stage(self) -> int:
        return self.call.stage if self.expected == "+" else 0

    @property
    def name(self) -> str:
        return f"{self.service} {self.route} as {PEOPLE[self.who]} ({self.who})"


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    url: str
    sent: str
    problem: dict[str, Any] | None


def _send(http: httpx.Client, w: World, case: Case, *, swap: tuple[str, str] | None = None) -> Answer:
    method, template = case.route.split(" ", 1)
    path = template.format(**{**path_values(w, case.service), **case.call.path})
    body = case.call.body(case.who) if callable(case.call.body) else case.call.body
    sent = "" if body is None else json.dumps(body, ensure_ascii=False)
    if swap is not None:
        sent = sent.replace(*swap)
        body = json.loads(sent)
    headers = bearer(w.tokens[case.who])
    if case.call.content_type:
        headers["content-type"] = case.call.content_type
    response = http.request(
        method,
        f"{SERVICE_URLS[case.service]}{path}",
        params=case.call.params,
        json=body if case.call.content is None else None,
        content=case.call.content,
        headers=headers,
    )
    problem = response.json() if response.headers.get("content-type") == "application/problem+json" else None
    text = response.text
    if "json" in response.headers.get("content-type", ""):
        text += json.dumps(response.json(), ensure_ascii=False)  # both the escaped and the plain spelling
    return Answer(response.status_code, text, str(response.url), sent, problem)


def judge(http: httpx.Client, w: World, case: Case) -> tuple[str, list[str], float]:
    """The outcome ('allow', 'deny 403', 'deny 404', 'as unknown'), what went wrong, and how long it took."""
    began = time.monotonic()
    outcome, wrong = _judge(http, w, case)
    return outcome, wrong, time.monotonic() - began


def _judge(http: httpx.Client, w: World, case: Case) -> tuple[str, list[str]]:
    try:
        answer = _send(http, w, case)
    except httpx.HTTPError as exc:
        return "error", [f"{case.name}: {type(exc).__name__} {exc}"]
    status, wrong = answer.status, []
    where = f"{case.name}: {status} {answer.text[:300]}"
    if status >= 500 or status == 401:
        return "error", [where]
    own_nothing = case.call.empty_state and status == 404 and case.call.empty_state in answer.text
    if case.expected == "+":
        outcome = "allow"
        if status in (403, 404) and not own_nothing:
            wrong.append(f"expected allowed, got {where}")
        elif case.call.shows and case.who in case.call.shows[0] and case.call.shows[1] not in answer.text:
            wrong.append(f"allowed but does not see {case.call.shows[1]}: {where}")
    elif case.expected == "3":
        outcome = "deny 403"
        if status != 403:
            wrong.append(f"expected 403, got {where}")
    elif case.expected == "4":
        outcome = "deny 404"
        if status != 404:
            wrong.append(f"expected 404, got {where}")
    else:
        outcome = "as unknown"
        wrong += _unlike_an_unknown(http, w, case, answer, where)
    if case.who in OUTSIDERS or status in (403, 404):
        wrong += _leaks(w, case, answer, where)
    return outcome, wrong


def _unlike_an_unknown(http: httpx.Client, w: World, case: Case, answer: Answer, where: str) -> list[str]:
    """Sent again with another commune's id swapped for an unknown one: anything but the same refusal is wrong."""
    assert case.call.foreign, case.name
    twin = _send(http, w, case, swap=(case.call.foreign, str(uuid.uuid4())))
    status = answer.status
    same = (
        status == twin.status
        and 400 <= status < 500
        and status != 403
        and (answer.problem or {}).get("title") == (twin.problem or {}).get("title")
        and [e.get("field") for e in (answer.problem or {}).get("errors") or []]
        == [e.get("field") for e in (twin.problem or {}).get("errors") or []]
    )
    if not same:
        return [f"another commune's id answered unlike an unknown one ({twin.status}): {where}"]
    return []


def _leaks(w: World, case: Case, answer: Answer, where: str) -> list[str]:
    """What identifies Liên Minh's resources that the answer shows though the request did not carry it."""
    asked = answer.url + answer.sent
    leaked = [what for what, value in w.secrets(case.who).items() if value not in asked and value in answer.text]
    if leaked:
        return [f"LEAK of {', '.join(leaked)}: {where}"]
    return []


def run_matrix(http: httpx.Client, w: World) -> tuple[list[Case], Counter[str], list[str], list[tuple[float, str]]]:
    table = calls(w, http)
    cases = [
        Case(service, route, who, outcome, table[(service, route)])
        for (service, route), code in EXPECTED.items()
        for who, outcome in expectation(code).items()
    ]
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    timings: list[tuple[float, str]] = []
    for stage in sorted({c.stage for c in cases}):
        batch = [c for c in cases if c.stage == stage]
        with ThreadPoolExecutor(WORKERS if stage == 0 else 1) as pool:
            for case, (outcome, wrong, seconds) in zip(
                batch, pool.map(lambda c: judge(http, w, c), batch), strict=True
            ):
                outcomes[outcome] += 1
                failures += wrong
                timings.append((seconds, case.name))
    return cases, outcomes, failures, sorted(timings, reverse=True)


def audit_actors(http: httpx.Client, w: World) -> Iterator[tuple[str, str]]:
    officer = bearer(w.tokens["O"])
    for entry in ok(http.get(f"{SUBMISSIONS}/submissions/{w.dossier}/audit", headers=officer)):
        yield "dossier", entry["actor"]
    for candidate in (w.giay_khen, w.bang_khen):
        for entry in ok(http.get(f"{AWARDS}/candidates/{candidate['id']}", headers=officer))["audit"]:
            yield f"candidate {candidate['award_form']}", entry["actor"]
    # as the province reads it: one standing per entrant id in the province, the commune's own
    staff = bearer(w.tokens["P"])
    for entry in ok(http.get(f"{AWARDS}/standings/{w.entrant['id']}", headers=staff))["audit"]:
        yield "standing", entry["actor"]


def test_every_route_as_every_kind_of_person(http: httpx.Client, world: World) -> None:
    began = time.monotonic()
    routes = live_routes(http)
    unclassified = sorted(routes - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - routes)
    assert not unclassified, f"routes without a row in EXPECTED (classify them): {unclassified}"
    assert not stale, f"rows in EXPECTED for routes no service serves: {stale}"
    assert EXPECTED.keys() == calls(world, http).keys()

    cases, outcomes, failures, timings = run_matrix(http, world)

    # someone of another commune named on the session's list was not told of it; its members were
    def members_told() -> bool:
        inbox = ok(http.get(f"{NOTIFY}/inbox", params={"page_size": 200}, headers=bearer(world.tokens["M"])))
        return any(m["subject"] == world.session["id"] for m in inbox["items"])

    eventually(members_told, what="the session's members to be told")
    deliveries = ok(http.get(f"{NOTIFY}/deliveries", params={"page_size": 200}, headers=bearer(world.tokens["O"])))
    told_outside = [
        f"{d['kind']} to {d['recipient']}"
        for d in deliveries["items"]
        if d["subject"] == world.session["id"] and d["recipient"] not in {m["username"] for m in MEMBERS[:3]}
    ]
    assert not told_outside, f"LEAK of the session to another commune's user: {told_outside}"

    # nobody outside the commune changed anything of it
    outsiders = {world.user_ids[who]: PEOPLE[who] for who in OUTSIDERS}
    touched = [f"{what} by {outsiders[actor]}" for what, actor in audit_actors(http, world) if actor in outsiders]

    allows = outcomes["allow"]
    denies = outcomes["deny 403"] + outcomes["deny 404"] + outcomes["as unknown"]
    print(
        f"\ntenant matrix: {len(routes)} routes × {len(PEOPLE)} people = {len(cases)} cases in "
        f"{time.monotonic() - began:.1f}s: {allows} allowed, {denies} denied ({outcomes['deny 403']} × 403, "
        f"{outcomes['deny 404']} × 404, {outcomes['as unknown']} × as an unknown id); "
        f"{len(failures)} wrong, {len(touched)} changes from outside"
    )
    print("slowest:", "; ".join(f"{name} {seconds:.1f}s" for seconds, name in timings[:5]))
    assert not failures, "\n".join(failures)
    assert not touched, touched
    assert len(cases) == allows + denies
