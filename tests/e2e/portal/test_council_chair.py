"""The council's and the chairman's pages in a browser at 375 px: two members score a dossier through the scoring
form (a value above the criterion's maximum is refused under its field and kept), three vote through the ballot
paper (a second ballot is refused with a clear message), and the chairman signs the decision, downloads its PDF and
sends the Bằng khen up to the province. Setting up the dossier and running the session go through the APIs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from thidua_platform.client import SERVICE_URLS

from ..conftest import eventually
from ..world import (
    DECISION_SIGNED_ON,
    OPEN_PERIOD,
    PROPOSAL_SIGNED_ON,
    SCORING,
    SESSION_HELD_AT,
    bearer,
    every_item,
    final_score,
    ok,
    submitted_with_a_file,
)
from .conftest import PORTAL, screenshot, submit_form

AWARDS = SERVICE_URLS["awards"]
MEMBERS = [
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "role": "Chủ tịch Hội đồng"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "role": "Phó Chủ tịch Hội đồng"},
    {"username": "lm.council2", "name": "Lê Văn Đức", "role": "Thư ký Hội đồng"},
]
GIAY_KHEN = "Giấy khen của Chủ tịch UBND xã"
BANG_KHEN = "Bằng khen của Chủ tịch UBND tỉnh"


def assigned_views(http: httpx.Client, token: Callable[[str], str], dossier: str) -> dict[str, Any] | None:
    """Both council members' view of the dossier, once scoring has assigned it to both."""
    views = {name: http.get(f"{SCORING}/reviews/{dossier}", headers=bearer(token(name))) for name in COUNCIL}
    return {n: r.json() for n, r in views.items()} if all(r.status_code == 200 for r in views.values()) else None


COUNCIL = ("lm.council1", "lm.council2")


def vietnamese(points: float) -> str:
    return f"{points:g}".replace(".", ",")


def score_through_the_form(page: Page, dossier: str, criteria: list[dict[str, Any]]) -> None:
    for criterion in criteria:
        page.get_by_label(f"Điểm chấm {criterion['code']}", exact=True).fill(vietnamese(criterion["max_points"] / 2))
        page.get_by_label(f"Nhận xét {criterion['code']}", exact=True).fill("Có minh chứng đầy đủ.")
    submit_form(page, "Lưu điểm")
    expect(page.get_by_role("status")).to_contain_text("Đã lưu điểm chấm")
    expect(page).to_have_url(f"{PORTAL}/council/reviews/{dossier}")
    for criterion in criteria:
        expect(page.locator(f"#{criterion['code']}-points")).to_have_value(vietnamese(criterion["max_points"] / 2))


def commune_candidate(http: httpx.Client, officer: str, dossier: str) -> dict[str, Any] | None:
    listing = every_item(http, f"{AWARDS}/candidates", bearer(officer), period=OPEN_PERIOD, award_form="GIAY_KHEN_XA")
    return next((c for c in listing or [] if c["submission_id"] == dossier), None)


def convened_session(http: httpx.Client, officer: str, title: str, ours: set[str]) -> dict[str, Any]:
    session = ok(
        http.post(
            f"{AWARDS}/sessions",
            json={
                "period": OPEN_PERIOD,
                "title": title,
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
    assert ours <= {c["candidate_id"] for c in session["candidates"]}
    present = {"present": [m["username"] for m in MEMBERS]}
    ok(http.post(f"{AWARDS}/sessions/{session['id']}/open", json=present, headers=bearer(officer)))
    return dict(session)


def fill_ballot(page: Page, entrant_name: str) -> None:
    """Yes for our unit's two candidates, no for whatever else is before the council."""
    papers = page.locator("fieldset.vote")
    expect(papers.filter(has_text=entrant_name)).to_have_count(2)
    for index in range(papers.count()):
        paper = papers.nth(index)
        ours = entrant_name in paper.locator("legend").inner_text()
        paper.get_by_label("Đồng ý" if ours else "Không đồng ý", exact=True).check()


def vote(page: Page, session_url: str, entrant_name: str) -> None:
    page.goto(session_url)
    fill_ballot(page, entrant_name)
    submit_form(page, "Gửi phiếu biểu quyết")
    expect(page.get_by_test_id("voted")).to_contain_text("đã bỏ phiếu")


def fits_the_phone(page: Page) -> None:
    """Wide tables scroll inside their frame; the page itself never scrolls sideways at 375 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as event:
        link.click()
    return Path(event.value.path()).read_bytes()


def sign(page: Page, section: Locator, entrant_name: str, number: str, button: str, signed_on: str) -> None:
    section.get_by_label(entrant_name).check()
    section.get_by_label("Số văn bản").fill(number)
    section.get_by_label("Ngày ký").fill(signed_on)
    section.get_by_label("Người ký").fill("Phạm Văn Minh")
    with page.expect_navigation():
        section.get_by_role("button", name=re.compile(f"^{button}")).click()


@pytest.mark.usefixtures("lien_minh")
def test_the_council_scores_and_votes_and_the_chairman_decides_and_proposes(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str]
) -> None:
    officer = token("lm.officer")
    entrant, dossier = submitted_with_a_file(http, officer, name="Thôn Cổng Hội Đồng")
    views = eventually(lambda: assigned_views(http, token, dossier), what="the dossier assigned to both members")
    criteria = views["lm.council1"]["criteria"]
    assert criteria
    assert views["lm.council1"]["entrant"]["name"] == entrant["name"]

    # lm.council1: the queue, then the dossier; a value above the maximum is refused under its field and kept
    council1 = person("lm.council1")
    council1.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Hồ sơ cần chấm").click()
    expect(council1.get_by_role("heading", level=1)).to_have_text("Hồ sơ cần chấm")
    expect(council1.get_by_test_id("waiting")).to_be_visible()
    screenshot(council1, "30-council-reviews")
    council1.goto(f"{PORTAL}/council/reviews/{dossier}")
    expect(council1.get_by_role("heading", level=1)).to_contain_text(entrant["name"])
    expect(council1.get_by_role("link", name="Biên bản họp thôn.pdf")).to_be_visible()
    first = criteria[0]
    too_many = vietnamese(first["max_points"] + 5)
    council1.get_by_label(f"Điểm chấm {first['code']}", exact=True).fill(too_many)
    submit_form(council1, "Lưu điểm")
    expect(council1.get_by_role("alert")).to_contain_text("chưa được lưu")
    points = council1.locator(f"#{first['code']}-points")
    expect(points).to_have_value(too_many)
    expect(points).to_have_attribute("aria-invalid", "true")
    expect(council1.locator(f"#{first['code']}-points-error")).to_contain_text("vượt điểm tối đa")
    screenshot(council1, "31-council-review-refused")
    score_through_the_form(council1, dossier, criteria)
    screenshot(council1, "32-council-review-scored")

    council2 = person("lm.council2")
    council2.goto(f"{PORTAL}/council/reviews/{dossier}")
    score_through_the_form(council2, dossier, criteria)
    # the points typed in the portal are the council's: half of every assessment criterion, as the API flow gives
    final = eventually(lambda: final_score(http, officer, dossier), what="the final score")
    assert final["final"]["total"] == 95.0

    # the candidates: the Giấy khen from the rule (kept on the list), the Bằng khen proposed by hand
    giay_khen = eventually(lambda: commune_candidate(http, officer, dossier), what="the Giấy khen candidate")
    keep = {"included": True, "reason": "Giữ trong danh sách xét"}
    ok(http.post(f"{AWARDS}/candidates/{giay_khen['id']}/review", json=keep, headers=bearer(officer)))
    by_hand = {"submission_id": dossier, "award_form": "BANG_KHEN_TINH", "reason": "Thành tích xuất sắc của xã"}
    bang_khen = ok(http.post(f"{AWARDS}/candidates", json=by_hand, headers=bearer(officer)), 201)
    title = f"Họp Hội đồng xét khen thưởng (cổng thông tin {uuid.uuid4().hex[:6]})"
    session = convened_session(http, officer, title, {giay_khen["id"], bang_khen["id"]})
    session_url = f"{PORTAL}/council/sessions/{session['id']}"

    # lm.council1 votes; the same ballot sent again from a second tab is refused, and says why
    council1.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Bỏ phiếu").click()
    council1.get_by_role("link", name=title).click()
    expect(council1).to_have_url(session_url)
    second_tab = council1.context.new_page()
    second_tab.goto(session_url)
    fill_ballot(council1, entrant["name"])
    screenshot(council1, "33-council-ballot")
    fits_the_phone(council1)
    submit_form(council1, "Gửi phiếu biểu quyết")
    expect(council1.get_by_role("status").first).to_contain_text("Bạn đã bỏ phiếu")
    expect(council1.get_by_test_id("voted")).to_contain_text("đã bỏ phiếu")
    expect(council1.locator("fieldset.vote")).to_have_count(0)
    fill_ballot(second_tab, entrant["name"])
    submit_form(second_tab, "Gửi phiếu biểu quyết")
    expect(second_tab.get_by_role("alert")).to_contain_text("Bạn đã bỏ phiếu")
    screenshot(second_tab, "34-council-ballot-twice")
    second_tab.close()

    vote(council2, session_url, entrant["name"])
    chair = person("lm.chair")
    vote(chair, session_url, entrant["name"])
    counted = ok(http.get(f"{AWARDS}/sessions/{session['id']}", headers=bearer(officer)))
    assert sorted(b["member"] for b in counted["ballots"]) == ["lm.chair", "lm.council1", "lm.council2"]

    ok(http.post(f"{AWARDS}/sessions/{session['id']}/close", headers=bearer(officer)))
    council1.reload()
    results = council1.get_by_test_id("results")
    ours = results.get_by_role("row").filter(has_text=entrant["name"])
    expect(ours).to_have_count(2)
    for index in range(2):
        expect(ours.nth(index)).to_contain_text("Thông qua")
        expect(ours.nth(index).locator("td.num").first).to_have_text("3")
    screenshot(council1, "35-council-results")
    fits_the_phone(council1)

    # the chairman: a malformed number is refused under its field, then the decision is signed; its PDF downloads
    chair.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Quyết định khen thưởng").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Quyết định khen thưởng")
    chair.goto(f"{PORTAL}/chair/decisions?period={OPEN_PERIOD}")
    waiting = chair.get_by_role("region", name=GIAY_KHEN)
    sign(chair, waiting, entrant["name"], "số một", "Ký quyết định", DECISION_SIGNED_ON)
    number_field = chair.get_by_role("region", name=GIAY_KHEN).get_by_label("Số văn bản")
    expect(number_field).to_have_value("số một")
    expect(number_field).to_have_attribute("aria-invalid", "true")
    expect(chair.get_by_role("region", name=GIAY_KHEN).get_by_label(entrant["name"])).to_be_checked()
    screenshot(chair, "36-chair-decision-refused")
    number = f"{uuid.uuid4().int % 10**6}/QĐ-UBND"
    sign(
        chair, chair.get_by_role("region", name=GIAY_KHEN), entrant["name"], number, "Ký quyết định", DECISION_SIGNED_ON
    )
    expect(chair.get_by_role("status")).to_contain_text(f"Đã ký quyết định số {number}")
    row = chair.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(entrant["name"])
    screenshot(chair, "37-chair-decisions")
    fits_the_phone(chair)
    assert download(chair, row.get_by_role("link", name=f"Tải PDF {number}")).startswith(b"%PDF")
    awarded = ok(http.get(f"{AWARDS}/candidates/{giay_khen['id']}", headers=bearer(officer)))
    assert awarded["status"] == "awarded"

    # the proposal for the Bằng khen goes up, with its dossier of documents
    chair.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Tờ trình lên tỉnh").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Tờ trình đề nghị cấp trên khen thưởng")
    chair.goto(f"{PORTAL}/chair/proposals?period={OPEN_PERIOD}")
    proposal_number = f"{uuid.uuid4().int % 10**6}/TTr-UBND"
    sign(
        chair,
        chair.get_by_role("region", name=BANG_KHEN),
        entrant["name"],
        proposal_number,
        "Ký tờ trình",
        PROPOSAL_SIGNED_ON,
    )
    expect(chair.get_by_role("status")).to_contain_text(f"Đã ký tờ trình gửi tỉnh số {proposal_number}")
    sent = chair.get_by_role("row").filter(has_text=proposal_number)
    expect(sent).to_contain_text("Đã trình tỉnh")
    expect(sent).to_contain_text(entrant["name"])
    screenshot(chair, "38-chair-proposals")
    fits_the_phone(chair)
    sent.get_by_role("link", name=proposal_number).click()
    documents = chair.get_by_test_id("documents").get_by_role("link")
    expect(documents).to_have_count(3)
    screenshot(chair, "39-chair-proposal")
    assert download(chair, chair.get_by_role("link", name=re.compile("^Tờ trình đề nghị"))).startswith(b"%PDF")
    proposed = ok(http.get(f"{AWARDS}/candidates/{bang_khen['id']}", headers=bearer(officer)))
    assert proposed["status"] == "proposed_to_province"
