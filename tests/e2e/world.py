"""Setting up a commune for end-to-end tests through the public APIs, safe to repeat on existing data."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import httpx

from thidua_platform.client import SERVICE_URLS, password_token

SUBMISSIONS = SERVICE_URLS["submissions"]
TEMPLATE_CODE = "cds-2025-2030"

# --- the calendar the tests work in ---------------------------------------------------------------------------------
# The services date everything in Vietnam time and take "now" from the machine's clock; the movement's template has
# the yearly periods 2025–2030, sơ kết 2027 and tổng kết 2030. The tests work in the current year's period, so they
# follow the calendar: every date of the open period below is derived from OPEN_PERIOD.
VIETNAM = timezone(timedelta(hours=7))
LAST_YEAR = 2030  # the movement's last yearly period
TEST_YEAR_VARIABLE = "THIDUA_TEST_YEAR"


def working_year(now: datetime | None = None) -> int:
    """The year of the period the tests work in: the current year in Vietnam. THIDUA_TEST_YEAR replaces it for a dry
    check of what the tests would send in another year (collecting them, computing their bodies): the services keep
    the real clock, so a run against the stack with another year fails."""
    forced = os.environ.get(TEST_YEAR_VARIABLE)
    if forced:
        return int(forced)
    return (now or datetime.now(UTC)).astimezone(VIETNAM).year


def future_period(year: int) -> str:
    """A period of the movement that has not opened in `year` (its default window opens later, and no test sets one):
    the next year's, or in the movement's last year its tổng kết (which opens on 1 July 2030)."""
    return str(year + 1) if year < LAST_YEAR else f"tong-ket-{LAST_YEAR}"


def default_opening(period: str) -> datetime:
    """When the template opens a period unless a commune sets its window: 1 January of a yearly period's year (1 July
    2025 for the first), 1 July of a sơ kết or tổng kết year (submissions.domain.periods.default_periods)."""
    year = int(period[-4:])
    return datetime(year, 7 if not period.isdigit() or year == 2025 else 1, 1, tzinfo=VIETNAM)


def in_period(month: int, day: int, *, year: int | None = None) -> str:
    """A day of the open period's year (or of `year`), as YYYY-MM-DD."""
    return date(YEAR if year is None else year, month, day).isoformat()


def moment_in_period(month: int, day: int, hour: int = 8, *, year: int | None = None) -> str:
    """A moment of the open period's year (or of `year`), Vietnam time, in ISO 8601 with its offset."""
    return datetime(YEAR if year is None else year, month, day, hour, tzinfo=VIETNAM).isoformat()


YEAR = working_year()
OPEN_PERIOD = str(YEAR)  # the current year's period: xã Liên Minh's window is opened on it (ready_commune)
NEXT_YEAR = YEAR + 1  # the year after the open period, when the province answers the commune's proposals
FUTURE_PERIOD = future_period(YEAR)  # a period that has not opened: its criteria may still be adapted
# The commune's year-end round of the open period as the tests date it: the council meets on 5 December, the chairman
# signs his decisions on the 10th and his proposals (tờ trình) on the 12th, before the 15 December report; the province
# decides on 5 January after. No service asks these days to be past (only an award recorded by hand in the history is
# signed by today: see past_award) nor checks them against the period beyond a session held in 2025–2031.
SESSION_HELD_AT = moment_in_period(12, 5)
DECISION_SIGNED_ON = in_period(12, 10)
PROPOSAL_SIGNED_ON = in_period(12, 12)
PROVINCE_SIGNED_ON = in_period(1, 5, year=NEXT_YEAR)
# A yearly period whose windows the tests only send to be refused (nothing stored): the rules checked do not depend
# on today, so this one is fixed.
WINDOW_RULES_PERIOD = "2029"
# A yearly period no test works in, for events put straight onto the topics (tests/e2e/test_duplicate_delivery.py):
# the movement's first, in the past whatever the year, so it never becomes the open period.
INJECTED_PERIOD = "2025"

# Group a, evidence worth exactly 80: a1 level full 15 · a7 4 meetings 10 · a8 100/100 → 10 · a9 8 · a10 5 ·
# a11 90 against the unit's own registered target of 90 (above the commune's 80) → 8 · a12 5 · a13 5 · a14 4 ·
# a model of this movement recognised +10 · assessment criteria await the council (0)
REGISTERED_TARGETS = {"a11": 90.0}
# every channel on, e-mails one by one (tests that count e-mails put their officers on these first)
DEFAULT_PREFERENCES = {"in_app": True, "email": True, "webhook": False, "digest": "off"}
EVIDENCE_80: dict[str, dict[str, Any]] = {
    "a1": {"level": "full", "narrative": "Hoàn thành 100% nhiệm vụ theo Kế hoạch số 09/KH-UBND."},
    "a3": {"narrative": "Số hóa toàn bộ sổ sách của thôn; họp thôn trực tuyến hằng tháng."},
    "a7": {"value": 4},
    "a8": {"value": 100},
    "a9": {"value": 100},
    "a10": {"value": 100},
    "a11": {"value": 90},
    "a12": {"value": 100},
    "a13": {"value": 100},
    "a14": {"value": 100},
    "a-model": {"occurrences": 1},
}


def fresh_tokens() -> Callable[[str], str]:
    """Real access tokens by username, each renewed after a minute (runs outlive a token; callers hold theirs for a
    few minutes)."""
    cache: dict[str, tuple[float, str]] = {}
    renewing = threading.Lock()  # one login at a time: Keycloak locks out a user logging in many times at once

    def get(username: str) -> str:
        with renewing:
            held = cache.get(username)
            if held is None or time.monotonic() > held[0]:
                fresh = password_token(username)
                held = (time.monotonic() + min(60, fresh.expires_in / 4), fresh.access_token)
                cache[username] = held
            return held[1]

    return get


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ok(response: httpx.Response, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200,)), (response.status_code, response.text)
    return response.json()


def every_item(http: httpx.Client, url: str, headers: dict[str, str], **params: Any) -> list[dict[str, Any]] | None:
    """Every item of a paged list (`items`, `total`), read 200 a page; None when a page does not answer 200 (such
    as a commune's rollups, 404 until it has figures)."""
    items: list[dict[str, Any]] = []
    number = 1
    while True:
        response = http.get(url, params={**params, "page": number, "page_size": 200}, headers=headers)
        if response.status_code != 200:
            return None
        listing = response.json()
        items += listing["items"]
        if not listing["items"] or len(items) >= listing["total"]:
            return items
        number += 1


@dataclass(frozen=True)
class Commune:
    campaign_id: str
    template_id: str


def published_template(http: httpx.Client, admin: str) -> dict[str, Any]:
    templates = ok(http.get(f"{SUBMISSIONS}/campaign-templates", headers=bearer(admin)))
    template = next((t for t in templates if t["code"] == TEMPLATE_CODE), None)
    if template is None:
        template = ok(
            http.post(f"{SUBMISSIONS}/campaign-templates", json={"code": TEMPLATE_CODE}, headers=bearer(admin)), 201
        )
    if template["status"] != "published":
        template = ok(http.post(f"{SUBMISSIONS}/campaign-templates/{template['id']}/publish", headers=bearer(admin)))
    return dict(template)


def adopted_campaign(http: httpx.Client, officer: str, template_id: str) -> dict[str, Any]:
    campaigns = ok(http.get(f"{SUBMISSIONS}/campaigns", headers=bearer(officer)))
    campaign = next((c for c in campaigns if c["template_id"] == template_id), None)
    if campaign is None:
        campaign = ok(
            http.post(f"{SUBMISSIONS}/campaigns", json={"template_id": template_id}, headers=bearer(officer)), 201
        )
    return dict(campaign)


def open_window(year: int, now: datetime, *, days: int = 30) -> dict[str, str]:
    """A window of a yearly period that is open `now`, within what the service allows (it opens within the year and
    closes by the end of January after it, Vietnam time): from a day ago (but not before 1 January), or the year's
    last day, for `days` more, or up to that limit. From February after the year, no window of it can be open: the
    tests then work in the next year's period (OPEN_PERIOD follows the calendar)."""
    first_open = datetime(year, 1, 1, tzinfo=VIETNAM)
    last_open = datetime(year + 1, 1, 1, tzinfo=VIETNAM) - timedelta(days=1)
    latest = datetime(year + 1, 2, 1, tzinfo=VIETNAM) - timedelta(minutes=1)
    opens = max(min(now - timedelta(days=1), last_open), first_open)
    closes = min(now + timedelta(days=days), latest)
    return {"opens_at": opens.isoformat(), "closes_at": closes.isoformat()}


def unopened_window(year: int, now: datetime) -> dict[str, str]:
    """A window of a yearly period that opens later this year (in 12 hours, or at the last minute of the year) and
    closes within what the service allows: until then the period has not opened and its criteria may be adapted."""
    last_minute = datetime(year + 1, 1, 1, tzinfo=VIETNAM) - timedelta(minutes=1)
    latest = datetime(year + 1, 2, 1, tzinfo=VIETNAM) - timedelta(minutes=1)
    opens = min(now + timedelta(hours=12), last_minute)
    closes = min(max(now, opens) + timedelta(days=30), latest)
    return {"opens_at": opens.isoformat(), "closes_at": closes.isoformat()}


def open_period(http: httpx.Client, officer: str, campaign_id: str, period: str = OPEN_PERIOD) -> None:
    window = open_window(int(period[-4:]), datetime.now(UTC))
    ok(http.put(f"{SUBMISSIONS}/campaigns/{campaign_id}/periods/{period}", json=window, headers=bearer(officer)))


def ready_commune(http: httpx.Client, *, admin: str, officer: str) -> Commune:
    template = published_template(http, admin)
    campaign = adopted_campaign(http, officer, template["id"])
    open_period(http, officer, campaign["id"])
    set_council(http, officer, [{"username": name} for name in COUNCIL])
    return Commune(campaign_id=campaign["id"], template_id=template["id"])


def new_entrant(
    http: httpx.Client,
    officer: str,
    *,
    group: str = "a",
    name: str = "Thôn Đông Hưng",
    focal: tuple[str, ...] = ("lm.submitter",),
) -> dict[str, Any]:
    """A fresh collective (a unique suffix keeps repeated runs apart: one active dossier per entrant)."""
    body = {
        "name": f"{name} {uuid.uuid4().hex[:6]}",
        "kind": "collective",
        "target_group": group,
        "unit_type": "thôn",
        "focal_users": list(focal),
    }
    return ok(http.post(f"{SUBMISSIONS}/entrants", json=body, headers=bearer(officer)), 201)  # type: ignore[no-any-return]


def filled_dossier(
    http: httpx.Client,
    filer: str,
    entrant_id: str,
    evidence: dict[str, dict[str, Any]],
    targets: dict[str, float] | None = None,
) -> str:
    """Register (with the group-a targets above unless told), create the dossier, report the evidence."""
    ok(
        http.post(
            f"{SUBMISSIONS}/registrations",
            headers=bearer(filer),
            json={
                "period": OPEN_PERIOD,
                "entrant_id": entrant_id,
                "targets": REGISTERED_TARGETS if targets is None else targets,
            },
        ),
        201,
    )
    draft = ok(
        http.post(
            f"{SUBMISSIONS}/submissions", json={"period": OPEN_PERIOD, "entrant_id": entrant_id}, headers=bearer(filer)
        ),
        201,
    )
    for code, given in evidence.items():
        ok(http.put(f"{SUBMISSIONS}/submissions/{draft['id']}/evidence/{code}", json=given, headers=bearer(filer)))
    return str(draft["id"])


SCORING = SERVICE_URLS["scoring"]
COUNCIL = ("lm.council1", "lm.council2")


# the smallest file every check of the submissions service takes for a PDF
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submitted_with_a_file(http: httpx.Client, officer: str, *, name: str) -> tuple[dict[str, Any], str]:
    """A fresh unit with the group-a evidence worth 80 and one file on a3 ("Biên bản họp thôn.pdf"), submitted.
    Returns the entrant and the dossier id."""
    entrant = new_entrant(http, officer, name=name)
    dossier = filled_dossier(http, officer, entrant["id"], EVIDENCE_80)
    ok(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments",
            params={"filename": "Biên bản họp thôn.pdf"},
            content=PDF,
            headers=bearer(officer),
        ),
        201,
    )
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    return entrant, dossier


def set_council(http: httpx.Client, officer: str, members: list[dict[str, Any]]) -> None:
    """Seat the roster, trying again (bounded) while scoring answers 404: it learns an entrant created a moment ago
    from its `entrant.recorded` event a little later (docs/adr/0020)."""
    deadline = time.monotonic() + 30
    answer = http.put(f"{SCORING}/council", json={"members": members}, headers=bearer(officer))
    while answer.status_code == 404 and time.monotonic() < deadline:
        time.sleep(0.2)
        answer = http.put(f"{SCORING}/council", json={"members": members}, headers=bearer(officer))
    ok(answer)


def review_all(
    http: httpx.Client, tokens: dict[str, str], dossier_id: str, share: float = 0.5, version: int = 1
) -> list[str]:
    """Every assigned council member gives `share` of each assessment criterion's maximum; returns who reviewed.
    Waits (bounded) for the assignments, which scoring makes when it consumes the submission."""

    def look() -> dict[str, Any]:
        views = {
            name: http.get(f"{SCORING}/reviews/{dossier_id}", headers=bearer(token)) for name, token in tokens.items()
        }
        return {
            name: r.json()
            for name, r in views.items()
            if r.status_code == 200 and r.json()["submission_version"] == version
        }

    deadline = time.monotonic() + 30
    assigned = look()
    while not assigned and time.monotonic() < deadline:
        time.sleep(0.2)
        assigned = look()
    if assigned:  # the dossier became visible during that round: one more round sees every assigned reviewer
        assigned = look()
    for name, view in assigned.items():
        for criterion in view["criteria"]:
            ok(
                http.put(
                    f"{SCORING}/reviews/{dossier_id}/assessments/{criterion['code']}",
                    json={"points": criterion["max_points"] * share, "comment": "Có minh chứng đầy đủ."},
                    headers=bearer(tokens[name]),
                )
            )
    return sorted(assigned)


def final_score(http: httpx.Client, token: str, dossier_id: str, version: int = 1) -> dict[str, Any] | None:
    response = http.get(f"{SCORING}/scores/{dossier_id}", headers=bearer(token))
    if response.status_code != 200:
        return None
    final = response.json()["final"]
    return dict(response.json()) if final and final["submission_version"] == version else None


def rollups_settled(http: httpx.Client, staff: str) -> bool:
    """The rollups applied every event and recomputed every summary (so figures move only by what a test does)."""
    figures = http.get(f"{SERVICE_URLS['rollups']}/rollups/provinces/37", headers=bearer(staff))
    fresh = figures.json()["freshness"] if figures.status_code == 200 else {}
    return fresh.get("lag") == 0 and fresh.get("pending_summaries") == 0


AWARDS = SERVICE_URLS["awards"]
# the commune's council for a session held by a test: the chair and the two members of COUNCIL
SESSION_MEMBERS = [
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "role": "Chủ tịch Hội đồng"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "role": "Phó Chủ tịch Hội đồng"},
    {"username": "lm.council2", "name": "Lê Văn Đức", "role": "Thư ký Hội đồng"},
]
BRIEF_EVIDENCE: dict[str, dict[str, Any]] = {
    "a1": {"level": "full"},
    "a3": {"narrative": "Số hóa sổ sách của thôn; họp thôn trực tuyến."},
}


def scored_dossier(http: httpx.Client, token: Callable[[str], str], *, name: str) -> tuple[dict[str, Any], str]:
    """A fresh unit of xã Liên Minh whose brief dossier the council scored (a low total: below the commune's own
    Giấy khen, so no candidate is made for it by the rule). Returns the entrant and the dossier id."""
    officer = token("lm.officer")
    entrant = new_entrant(http, officer, name=name)
    dossier = filled_dossier(http, officer, entrant["id"], BRIEF_EVIDENCE)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    review_all(http, {name: token(name) for name in COUNCIL}, dossier)
    deadline = time.monotonic() + 60
    while final_score(http, officer, dossier) is None:
        assert time.monotonic() < deadline, "no final score within 60 s"
        time.sleep(0.3)
    return entrant, dossier


def _council_passes(http: httpx.Client, token: Callable[[str], str], candidate_id: str) -> None:
    """A council session for the province's Bằng khen: ours passes unanimously, any other candidate of the commune
    under review for that form in the same session gets abstentions."""
    officer = token("lm.officer")
    session = ok(
        http.post(
            f"{AWARDS}/sessions",
            json={
                "period": OPEN_PERIOD,
                "title": "Họp Hội đồng xét đề nghị Bằng khen của tỉnh",
                "held_at": SESSION_HELD_AT,
                "location": "Hội trường UBND xã Liên Minh",
                "members": SESSION_MEMBERS,
                "chair": "lm.chair",
                "secretary": "lm.council2",
                "award_forms": ["BANG_KHEN_TINH"],
            },
            headers=bearer(officer),
        ),
        201,
    )
    assert candidate_id in {c["candidate_id"] for c in session["candidates"]}, "another session took the candidate"
    members = [m["username"] for m in SESSION_MEMBERS]
    ok(http.post(f"{AWARDS}/sessions/{session['id']}/open", json={"present": members}, headers=bearer(officer)))
    for member in members:
        votes = [
            {"candidate_id": c["candidate_id"], "vote": "yes" if c["candidate_id"] == candidate_id else "abstain"}
            for c in session["candidates"]
            if member not in {r["member"] for r in c["recused"]}
        ]
        ok(http.put(f"{AWARDS}/sessions/{session['id']}/ballot", json={"votes": votes}, headers=bearer(token(member))))
    closed = ok(http.post(f"{AWARDS}/sessions/{session['id']}/close", headers=bearer(officer)))
    assert next(r for r in closed["results"] if r["candidate_id"] == candidate_id)["passed"], closed["results"]


def proposal_to_province(http: httpx.Client, token: Callable[[str], str], *, name: str) -> dict[str, Any]:
    """A Bằng khen proposal (tờ trình) of xã Liên Minh waiting for Ninh Bình's decision: a scored unit proposed by
    hand, passed by the council, sent up by the chairman. Returns the proposal."""
    _entrant, dossier = scored_dossier(http, token, name=name)
    body = {"submission_id": dossier, "award_form": "BANG_KHEN_TINH", "reason": "Mô hình tiêu biểu của xã"}
    deadline = time.monotonic() + 60
    while True:  # 422 naming the dossier until the awards service has its final score
        answer = http.post(f"{AWARDS}/candidates", json=body, headers=bearer(token("lm.officer")))
        if answer.status_code != 422 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    candidate = ok(answer, 201)
    _council_passes(http, token, candidate["id"])
    proposal = ok(
        http.post(
            f"{AWARDS}/proposals",
            json={
                "award_form": "BANG_KHEN_TINH",
                "period": OPEN_PERIOD,
                "number": f"{uuid.uuid4().int % 10**6}/TTr-UBND",
                "signed_on": PROPOSAL_SIGNED_ON,
                "signer_name": "Phạm Văn Minh",
                "candidate_ids": [candidate["id"]],
            },
            headers=bearer(token("lm.chair")),
        ),
        201,
    )
    assert proposal["status"] == "submitted_to_province"
    return dict(proposal)


def past_award(entrant: Mapping[str, Any], **fields: Any) -> dict[str, Any]:
    """The body of `POST /history` for a commune Giấy khen of 2025 (a fresh number), with `fields` replaced. A fixed
    fact, not the open period's: an award signed on 15 December 2025 lies before today in any year the tests run
    (the service refuses one signed after today)."""
    return {
        "entrant": {key: entrant[key] for key in ("id", "name", "kind", "target_group")},
        "award_form": "GIAY_KHEN_XA",
        "period": "2025",
        "track": "thematic",
        "number": f"{uuid.uuid4().int % 10**6}/QĐ-UBND",
        "signed_on": "2025-12-15",
        "issuer": "Chủ tịch UBND xã Liên Minh",
        **fields,
    }


def giay_khen_recorded(http: httpx.Client, officer: str, entrant: Mapping[str, Any]) -> dict[str, Any]:
    """A commune Giấy khen (2025) recorded by hand in the entrant's award history; the entrant has a submitted dossier
    of xã Liên Minh (404 until the awards service knows it, which makes the entrant the commune's own). Returns the
    history entry."""
    award = past_award(entrant)
    deadline = time.monotonic() + 60
    while True:
        answer = http.post(f"{AWARDS}/history", json=award, headers=bearer(officer))
        if answer.status_code != 404:
            return dict(ok(answer, 201))
        assert time.monotonic() < deadline, "the awards service did not learn of the dossier within 60 s"
        time.sleep(0.3)


def recorded_award(http: httpx.Client, officer: str, *, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A fresh unit of xã Liên Minh with a submitted dossier and a Giấy khen in its history. Returns the entrant and
    the history entry."""
    entrant = new_entrant(http, officer, name=name)
    dossier = filled_dossier(http, officer, entrant["id"], BRIEF_EVIDENCE)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    return entrant, giay_khen_recorded(http, officer, entrant)


def recorded_award_of_a_person(http: httpx.Client, officer: str, *, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An individual (group d1) of a fresh unit of xã Liên Minh, with a submitted dossier and a Giấy khen in the
    commune's award history. Returns the person and the history entry."""
    unit = new_entrant(http, officer, name="Thôn Cán Bộ")
    body = {"name": f"{name} {uuid.uuid4().hex[:6]}", "kind": "individual", "target_group": "d1", "unit_id": unit["id"]}
    person = ok(http.post(f"{SUBMISSIONS}/entrants", json=body, headers=bearer(officer)), 201)
    filing = {"period": OPEN_PERIOD, "entrant_id": person["id"]}
    ok(http.post(f"{SUBMISSIONS}/registrations", json=filing, headers=bearer(officer)), 201)
    draft = ok(http.post(f"{SUBMISSIONS}/submissions", json=filing, headers=bearer(officer)), 201)
    ok(http.post(f"{SUBMISSIONS}/submissions/{draft['id']}/submit", headers=bearer(officer)))
    return dict(person), giay_khen_recorded(http, officer, person)
