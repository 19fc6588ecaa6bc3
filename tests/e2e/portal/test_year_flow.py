"""A whole year's flow through the portal in a real browser (Debian's Chromium, headless, 375 px), with real Keycloak
logins: a unit registers, files its dossier with an attachment, the officer returns it, the unit corrects and
resubmits, the council scores it, votes in a session, the chairman decides and proposes a higher award, the province
sees it on its dashboard, decides the proposal and downloads its consolidated report.

Only the commune's standing set-up (the province's template published, the campaign adopted, the current year's
period open, the council's roster) and the new unit itself are made through the APIs; everything a person does in the
year is done on the portal's pages. Screenshots of the main pages are left in test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
import re
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from ..conftest import LIEN_MINH, eventually
from ..world import (
    DECISION_SIGNED_ON,
    OPEN_PERIOD,
    PDF,
    PROPOSAL_SIGNED_ON,
    PROVINCE_SIGNED_ON,
    SCORING,
    SESSION_HELD_AT,
    SUBMISSIONS,
    bearer,
    filled_dossier,
    final_score,
    new_entrant,
)
from .conftest import PORTAL, screenshot, submit_form

RESULTS_PAGE_SIZE = 20  # dossiers a page of the submitter's results shows (portal.pages.submitter.results)
# the session's time as its datetime-local field takes it (Vietnam time, as SESSION_HELD_AT is given)
HELD_AT_FIELD = datetime.fromisoformat(SESSION_HELD_AT).strftime("%Y-%m-%dT%H:%M")
# group a, as tests/e2e/world.py's EVIDENCE_80 (80 points before the council's assessment)
NUMBERS = {"a7": "4", "a8": "100", "a9": "100", "a10": "100", "a11": "90", "a12": "100", "a13": "100", "a14": "100"}


def criterion(page: Page, code: str) -> Any:
    return page.locator(f"#criterion-{code}")


def save_evidence(page: Page, code: str, fill: Callable[[Any], None]) -> None:
    section = criterion(page, code)
    fill(section)
    with page.expect_navigation():
        section.get_by_role("button", name=f"Lưu minh chứng {code}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã lưu minh chứng {code}")


def register_and_file(page: Page, unit: str, tmp_path: Path) -> str:
    """The unit's focal officer: registration with its own target, a dossier with evidence and a file, submitted."""
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Đăng ký thi đua").click()
    page.get_by_label("Đơn vị hoặc cá nhân").select_option(label=unit)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label(re.compile("^a11 – ")).fill("90")
    submit_form(page, "Đăng ký")
    expect(page.get_by_role("status")).to_have_text("Đã đăng ký thi đua")
    expect(page.get_by_role("table")).to_contain_text(unit)
    screenshot(page, "01-submitter-registration")

    page.get_by_role("link", name="Hồ sơ của tôi").click()
    page.get_by_label("Tạo hồ sơ cho").select_option(label=unit)
    submit_form(page, "Tạo hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ: {unit}")
    dossier_id = page.url.rsplit("/", 1)[1]

    # a value that is not a number is refused next to its field, what was typed kept
    save_evidence_refused = criterion(page, "a8")
    save_evidence_refused.get_by_label(re.compile("^Kết quả đạt được")).fill("một trăm")
    with page.expect_navigation():
        save_evidence_refused.get_by_role("button", name="Lưu minh chứng a8").click()
    expect(criterion(page, "a8").locator(".field-error")).to_have_text("Phải là một số")
    expect(criterion(page, "a8").get_by_label(re.compile("^Kết quả đạt được"))).to_have_value("một trăm")
    expect(criterion(page, "a8").get_by_label(re.compile("^Kết quả đạt được"))).to_be_focused()  # where to correct

    save_evidence(page, "a1", lambda s: s.get_by_label("Mức hoàn thành").select_option("full"))
    save_evidence(
        page, "a3", lambda s: s.get_by_label("Thuyết minh").fill("Số hóa sổ sách của thôn; họp thôn trực tuyến.")
    )
    for code, value in NUMBERS.items():

        def reached(section: Any, value: str = value) -> None:
            section.get_by_label(re.compile("^Kết quả đạt được")).fill(value)

        save_evidence(page, code, reached)
    save_evidence(page, "a-model", lambda s: s.get_by_label("Số lần").fill("1"))

    evidence_file = tmp_path / "Biên bản họp thôn.pdf"
    evidence_file.write_bytes(PDF)
    criterion(page, "a3").get_by_label(re.compile("^Đính kèm tệp minh chứng")).set_input_files(evidence_file)
    with page.expect_navigation():
        criterion(page, "a3").get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đính kèm “Biên bản họp thôn.pdf”")
    expect(criterion(page, "a3").get_by_role("link", name="Biên bản họp thôn.pdf")).to_be_visible()
    screenshot(page, "02-submitter-dossier")

    submit_form(page, "Nộp hồ sơ")
    expect(page.get_by_role("status")).to_have_text("Đã nộp hồ sơ")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "submitted")
    return dossier_id


def menu(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("navigation", name="Chức năng").get_by_role("link", name=name).click()


def return_for_correction(officer: Page, dossier_id: str) -> None:
    menu(officer, "Kiểm tra hồ sơ")
    officer.get_by_role("link", name=re.compile("Thôn Cổng Thông Tin")).first.wait_for()
    officer.goto(f"{PORTAL}/officer/dossiers/{dossier_id}")
    officer.get_by_label("Cần bổ sung ở tiêu chí a3").fill("Đính kèm thêm ảnh chụp buổi họp thôn trực tuyến.")
    submit_form(officer, "Trả lại để bổ sung")
    expect(officer.get_by_role("status")).to_contain_text("Đã trả lại hồ sơ")
    screenshot(officer, "03-officer-dossier-returned")


def correct_and_resubmit(submitter: Page, dossier_id: str) -> None:
    menu(submitter, "Hồ sơ của tôi")
    with submitter.expect_navigation():
        submitter.locator(f"a[href='/submitter/dossiers/{dossier_id}']").click()
    reasons = submitter.get_by_test_id("return-reasons")
    expect(reasons).to_contain_text("a3: Đính kèm thêm ảnh chụp buổi họp thôn trực tuyến.")
    expect(criterion(submitter, "a3").locator(".field-error")).to_contain_text("Đính kèm thêm ảnh chụp")
    screenshot(submitter, "04-submitter-dossier-returned")
    save_evidence(
        submitter,
        "a3",
        lambda s: s.get_by_label("Thuyết minh").fill(
            "Số hóa sổ sách; họp thôn trực tuyến hằng tháng, có ảnh kèm theo."
        ),
    )
    submit_form(submitter, "Nộp lại hồ sơ")
    expect(submitter.get_by_role("status")).to_have_text("Đã nộp hồ sơ")
    expect(submitter.locator("[data-status]").first).to_have_attribute("data-status", "resubmitted")


def score_assessments(member: Page, dossier_id: str, criteria: list[dict[str, Any]], shot: str = "") -> None:
    """Half of each assessment criterion's maximum, typed the Vietnamese way (7,5)."""
    menu(member, "Hồ sơ cần chấm")
    member.goto(f"{PORTAL}/council/reviews/{dossier_id}")
    for c in criteria:
        member.get_by_label(f"Điểm chấm {c['code']}", exact=True).fill(f"{c['max_points'] / 2:g}".replace(".", ","))
        member.get_by_label(f"Nhận xét {c['code']}", exact=True).fill("Có minh chứng đầy đủ.")
    if shot:
        screenshot(member, shot)
    submit_form(member, "Lưu điểm")
    expect(member.get_by_role("status")).to_contain_text("Đã lưu điểm chấm")


def convene_and_open(officer: Page, unit: str) -> str:
    """The officer puts the unit's Bằng khen before the council, convenes the session, records attendance."""
    menu(officer, "Phiên họp Hội đồng")
    officer.goto(f"{PORTAL}/officer/sessions?period={OPEN_PERIOD}")
    title = f"Họp Hội đồng Thi đua - Khen thưởng năm {OPEN_PERIOD} ({uuid.uuid4().hex[:4]})"
    officer.get_by_label("Tên phiên họp").fill(title)
    officer.get_by_label("Thời gian họp (giờ Việt Nam)").fill(HELD_AT_FIELD)
    officer.get_by_label("Địa điểm").fill("Hội trường UBND xã Liên Minh")
    names = {
        "lm.council1": ("Trần Thị Thủy", "Phó Chủ tịch Hội đồng"),
        "lm.council2": ("Lê Văn Đức", "Thư ký Hội đồng"),
    }
    usernames = officer.locator("input[name$='.username'][id^='member-']")
    free = None
    for index in range(usernames.count()):
        username = usernames.nth(index).input_value()
        if username in names:
            include = officer.locator(f"#member-{index}-include")
            if include.count():
                include.check()
            officer.locator(f"#member-{index}-name").fill(names[username][0])
            officer.locator(f"#member-{index}-role").fill(names[username][1])
        elif not username and free is None:
            free = index
    assert free is not None, "no row for the chairman"
    officer.locator(f"#member-{free}-username").fill("lm.chair")
    officer.locator(f"#member-{free}-name").fill("Nguyễn Văn Hưng")
    officer.locator(f"#member-{free}-role").fill("Chủ tịch Hội đồng")
    officer.get_by_label("Người chủ trì (tên đăng nhập)").fill("lm.chair")
    officer.get_by_label("Thư ký (tên đăng nhập)").fill("lm.council2")
    officer.get_by_label("Giấy khen của Chủ tịch UBND xã").check()
    officer.get_by_label("Bằng khen của Chủ tịch UBND tỉnh").check()
    screenshot(officer, "06-officer-convene")
    submit_form(officer, "Triệu tập phiên họp")
    expect(officer.get_by_role("heading", level=1)).to_have_text(title)
    expect(officer.get_by_test_id("session-candidates").get_by_role("rowheader", name=unit)).to_have_count(2)
    for box in officer.locator("#present input[type=checkbox]").all():
        box.check()
    submit_form(officer, "Mở biểu quyết")
    expect(officer.locator("[data-status]").first).to_have_attribute("data-status", "voting")
    return officer.url


def cast_ballot(member: Page, session_path: str, unit: str) -> None:
    """Yes for the unit's two candidates, no for anything else before the council."""
    menu(member, "Bỏ phiếu")
    member.goto(f"{PORTAL}{session_path}")
    papers = member.locator("fieldset.vote")
    expect(papers.filter(has_text=unit)).to_have_count(2)
    for paper in papers.all():
        ours = unit in paper.locator("legend").inner_text()
        paper.get_by_label("Đồng ý" if ours else "Không đồng ý", exact=True).check()
    submit_form(member, "Gửi phiếu biểu quyết")
    expect(member.get_by_test_id("voted")).to_contain_text("đã bỏ phiếu")


def sign(chair: Page, section: Locator, unit: str, number: str, button: str, signed_on: str) -> None:
    section.get_by_label(unit).check()
    section.get_by_label("Số văn bản").fill(number)
    section.get_by_label("Ngày ký").fill(signed_on)
    section.get_by_label("Người ký").fill("Phạm Văn Minh")
    with chair.expect_navigation():
        section.get_by_role("button", name=re.compile(f"^{button}")).click()


def downloaded(page: Page, link: Locator) -> bytes:
    with page.expect_download() as event:
        link.click()
    return Path(event.value.path()).read_bytes()


def province_decides_and_reports(staff: Page, proposal_number: str) -> None:
    menu(staff, "Tổng hợp toàn tỉnh")
    staff.goto(f"{PORTAL}/province/dashboard?period={OPEN_PERIOD}")
    expect(staff.get_by_test_id("ranking").locator(f"tr[data-commune='{LIEN_MINH}']")).to_be_visible()
    screenshot(staff, "11-province-dashboard")

    menu(staff, "Tờ trình nhận được")
    staff.get_by_test_id("pending").get_by_role("link", name=proposal_number).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Tờ trình {proposal_number}")
    expect(staff.get_by_test_id("documents").get_by_role("link")).to_have_count(3)
    staff.get_by_label("Khen thưởng (quyết định của Chủ tịch UBND tỉnh)").check()
    staff.get_by_label("Số quyết định").fill(f"{time.time_ns() % 10**6}/QĐ-UBND")
    staff.get_by_label("Ngày ký").fill(PROVINCE_SIGNED_ON)
    staff.get_by_label("Cơ quan, người ban hành").fill("Chủ tịch UBND tỉnh Ninh Bình")
    submit_form(staff, "Ghi quyết định")
    expect(staff.get_by_role("status")).to_contain_text("Đã ghi quyết định khen thưởng của tỉnh")
    screenshot(staff, "12-province-proposal-decided")

    menu(staff, "Báo cáo tổng hợp")
    staff.get_by_label("Kỳ báo cáo").select_option(OPEN_PERIOD)
    submit_form(staff, "Lập báo cáo")
    deadline = time.monotonic() + 120
    while staff.get_by_test_id("report-job").locator("[data-status]").get_attribute("data-status") != "ready":
        assert time.monotonic() < deadline, "the consolidated report was not ready within 120 s"
        time.sleep(1)
        submit_form(staff, "Tải lại tiến độ")
    screenshot(staff, "13-province-report")
    book = load_workbook(io.BytesIO(downloaded(staff, staff.get_by_role("link", name="Tải bảng biểu (Excel)"))))
    assert "Tổng hợp" in book.sheetnames
    assert downloaded(staff, staff.get_by_role("link", name="Tải báo cáo (PDF)")).startswith(b"%PDF")


@pytest.mark.usefixtures("lien_minh")
def test_a_year_through_the_portal(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str], tmp_path: Path
) -> None:
    unit = new_entrant(http, token("lm.officer"), name="Thôn Cổng Thông Tin")["name"]

    # registration, the dossier with its file, submitted; the officer returns it; corrected and resubmitted
    submitter = person("lm.submitter")
    dossier_id = register_and_file(submitter, unit, tmp_path)
    officer = person("lm.officer")
    return_for_correction(officer, dossier_id)
    correct_and_resubmit(submitter, dossier_id)

    # the two council members score the resubmitted dossier's assessment criteria in the review form
    def assigned() -> list[dict[str, Any]] | None:
        views = [
            http.get(f"{SCORING}/reviews/{dossier_id}", headers=bearer(token(m)))
            for m in ("lm.council1", "lm.council2")
        ]
        ready = all(v.status_code == 200 and v.json()["submission_version"] == 2 for v in views)
        return list(views[0].json()["criteria"]) if ready else None

    criteria = eventually(assigned, what="the resubmitted dossier assigned to both members")
    council1, council2 = person("lm.council1"), person("lm.council2")
    score_assessments(council1, dossier_id, criteria, shot="07-council-scoring")
    score_assessments(council2, dossier_id, criteria)
    final = eventually(lambda: final_score(http, token("lm.officer"), dossier_id, version=2), what="the final score")
    assert final["final"]["total"] == 95.0  # 80 from the evidence, 15 from the council's points typed in the portal

    # the officer proposes the unit for the province's Bằng khen too, convenes the council, which votes
    officer.goto(f"{PORTAL}/officer/dossiers/{dossier_id}")
    eventually(lambda: _giay_khen_listed(officer, unit), what="the Giấy khen candidate made by the rule")
    officer.goto(f"{PORTAL}/officer/dossiers/{dossier_id}")
    officer.get_by_label("Hình thức khen thưởng").select_option("BANG_KHEN_TINH")
    officer.get_by_label("Lý do đề nghị").fill("Mô hình họp thôn trực tuyến tiêu biểu của xã")
    submit_form(officer, "Đề nghị khen thưởng")
    expect(officer.get_by_role("status")).to_contain_text("Đã đề nghị khen thưởng")
    keep_on_the_list(officer, unit)
    session_url = convene_and_open(officer, unit)
    session_path = session_url.removeprefix(PORTAL).replace("/officer/", "/council/")
    chair = person("lm.chair")
    for member in (council1, council2, chair):
        cast_ballot(member, session_path, unit)
    screenshot(chair, "08-council-ballot")
    officer.reload()
    submit_form(officer, "Kết thúc và kiểm phiếu")
    results = officer.get_by_test_id("results").get_by_role("row").filter(has_text=unit)
    expect(results).to_have_count(2)
    for row in results.all():
        expect(row).to_contain_text("Thông qua")
    screenshot(officer, "09-officer-session-results")

    # the chairman decides the commune's Giấy khen and proposes the Bằng khen to the province
    menu(chair, "Quyết định khen thưởng")
    chair.goto(f"{PORTAL}/chair/decisions?period={OPEN_PERIOD}")
    decision = f"{uuid.uuid4().int % 10**6}/QĐ-UBND"
    sign(
        chair,
        chair.get_by_role("region", name="Giấy khen của Chủ tịch UBND xã"),
        unit,
        decision,
        "Ký quyết định",
        DECISION_SIGNED_ON,
    )
    expect(chair.get_by_role("status")).to_contain_text(f"Đã ký quyết định số {decision}")
    row = chair.get_by_role("row").filter(has_text=decision)
    assert downloaded(chair, row.get_by_role("link", name=f"Tải PDF {decision}")).startswith(b"%PDF")
    menu(chair, "Tờ trình lên tỉnh")
    chair.goto(f"{PORTAL}/chair/proposals?period={OPEN_PERIOD}")
    proposal = f"{uuid.uuid4().int % 10**6}/TTr-UBND"
    sign(
        chair,
        chair.get_by_role("region", name="Bằng khen của Chủ tịch UBND tỉnh"),
        unit,
        proposal,
        "Ký tờ trình",
        PROPOSAL_SIGNED_ON,
    )
    expect(chair.get_by_role("status")).to_contain_text(f"Đã ký tờ trình gửi tỉnh số {proposal}")
    screenshot(chair, "10-chair-proposal")

    # the province: its dashboard, the proposal decided, the consolidated report downloaded
    province_decides_and_reports(person("nb.staff"), proposal)

    # the unit sees its final score and both awards, on whichever page of the results its dossier now is
    more_than_a_page_of_results(http, token)
    turn_to_the_second_page(submitter)

    def both_awards() -> bool:
        text = results_card(submitter, unit).inner_text()
        return "Giấy khen của Chủ tịch UBND xã" in text and "Bằng khen của Chủ tịch UBND tỉnh" in text

    eventually(both_awards, what="both awards in the unit's results")
    expect(results_card(submitter, unit).get_by_test_id("score")).to_contain_text("95")
    screenshot(submitter, "14-submitter-results")


def more_than_a_page_of_results(http: httpx.Client, token: Callable[[str], str]) -> None:
    """The submitter's dossiers of the open period fill more than a page of results: drafts of fresh units (made
    through the APIs) as many as lack."""
    officer = token("lm.officer")
    listed = http.get(
        f"{SUBMISSIONS}/submissions",
        params={"period": OPEN_PERIOD, "page_size": 1},
        headers=bearer(token("lm.submitter")),
    )
    for _ in range(RESULTS_PAGE_SIZE + 1 - int(listed.json()["total"])):
        filled_dossier(http, officer, new_entrant(http, officer, name="Thôn Trang Sau")["id"], {})


def turn_to_the_second_page(page: Page) -> None:
    """Page 1 of the results links to page 2, which shows the next dossiers and links back."""
    page.goto(f"{PORTAL}/submitter/results?period={OPEN_PERIOD}")
    first = dossiers_shown(page)  # by dossier: a unit may have a withdrawn dossier and a new one in the period
    assert len(first) == RESULTS_PAGE_SIZE, first
    pager = page.get_by_role("navigation", name="Phân trang")
    with page.expect_navigation():
        pager.get_by_role("link", name="Trang sau").click()
    assert re.search(r"[?&]page=2$", page.url), page.url
    assert f"period={OPEN_PERIOD}" in page.url, page.url
    expect(pager).to_contain_text("Trang 2 /")
    expect(pager.get_by_role("link", name="Trang trước")).to_have_attribute("href", re.compile(r"[?&]page=1$"))
    second = dossiers_shown(page)
    assert second - first, (first, second)  # (a dossier made meanwhile elsewhere may move one across)
    screenshot(page, "15-submitter-results-page-2")


def dossiers_shown(page: Page) -> set[str]:
    """The ids of the dossiers whose cards the results page shows (each card's heading is `r-<dossier id>`)."""
    return {str(h.get_attribute("id")) for h in page.locator("section.card h2").all()}


def results_card(page: Page, unit: str) -> Locator:
    """The unit's card in the submitter's results, newest dossiers first, 20 a page: page 1 links to page 2 (there
    are more), and "Trang sau" leads on until the card shows."""
    page.goto(f"{PORTAL}/submitter/results?period={OPEN_PERIOD}")
    pager = page.get_by_role("navigation", name="Phân trang")
    expect(pager.get_by_role("link", name="Trang sau")).to_have_attribute("href", re.compile(r"[?&]page=2$"))
    for number in range(1, 1000):
        expect(pager).to_contain_text(f"Trang {number} /")
        card = page.locator("section.card").filter(has_text=unit)
        if card.count():
            return card
        following = pager.get_by_role("link", name="Trang sau")
        assert following.count(), f"{unit} is on no page of the results"
        with page.expect_navigation():
            following.click()
        expect(pager.get_by_role("link", name="Trang trước")).to_be_visible()
    raise AssertionError(f"{unit} not found in the results")


def keep_on_the_list(officer: Page, unit: str) -> None:
    """The rule's quota may leave the unit out among the many of a busy commune: the officer keeps it, with a reason."""
    officer.goto(f"{PORTAL}/officer/sessions?period={OPEN_PERIOD}")
    card = officer.locator("li.card").filter(has=officer.get_by_role("heading", name=unit))
    card = card.filter(has_text="Giấy khen của Chủ tịch UBND xã")
    card.get_by_label(f"Lý do – {unit}").fill("Thành tích tiêu biểu, giữ trong danh sách xét")
    with officer.expect_navigation():
        card.get_by_role("button", name="Giữ trong danh sách").click()
    screenshot(officer, "05-officer-candidates")


def _giay_khen_listed(officer: Page, unit: str) -> bool:
    officer.goto(f"{PORTAL}/officer/sessions?period={OPEN_PERIOD}")
    return officer.get_by_role("heading", level=3, name=unit).count() > 0
