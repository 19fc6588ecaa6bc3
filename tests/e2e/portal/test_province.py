"""Province staff in the portal: Ninh Bình's communes ranked with their figures, a drill-down to xã Liên Minh and its
entrants, a proposal (tờ trình) sent up through the APIs decided in the portal (a missing number named under its
field first, a decision made twice refused plainly), the consolidated report requested, followed and its workbook
downloaded. Quảng Ngãi's staff see none of Ninh Bình."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ..conftest import LIEN_MINH, eventually
from ..world import OPEN_PERIOD, PROVINCE_SIGNED_ON, proposal_to_province
from .conftest import PORTAL, screenshot, submit_form


@pytest.mark.usefixtures("lien_minh")
def test_province_staff_rank_drill_down_decide_a_proposal_and_download_the_report(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str]
) -> None:
    proposal = proposal_to_province(http, token, name="Thôn Cổng Tỉnh")
    page = person("nb.staff")

    # the dashboard: every commune ranked, with its figures and charts
    page.goto(f"{PORTAL}/province/dashboard?period={OPEN_PERIOD}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng hợp toàn tỉnh")
    expect(page.get_by_test_id("province-name")).to_have_text("Tỉnh Ninh Bình")  # the province by its name
    ranking = page.get_by_test_id("ranking")
    row = ranking.locator(f"tr[data-commune='{LIEN_MINH}']")
    expect(row.locator("td").first).to_have_text(re.compile(r"^\d+$"))  # ranked
    expect(row.get_by_role("link")).to_have_text("Xã Liên Minh")  # the commune by its name, not its code
    expect(page.get_by_test_id("freshness")).to_contain_text("Số liệu cập nhật đến")
    expect(page.get_by_test_id("awards-by-form")).to_be_visible()
    screenshot(page, "40-province-dashboard")

    # drill down: the commune, then its entrants with their scores and awards
    row.get_by_role("link", name="Xã Liên Minh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Liên Minh")
    entrants = page.get_by_test_id("entrants")
    expect(entrants.locator("tbody tr").first).to_be_visible()
    screenshot(page, "41-province-commune")
    # a page at a time, the best final scores first: the awarded entrants are on this page or a later one
    while "Giấy khen của Chủ tịch UBND xã" not in entrants.inner_text():
        with page.expect_navigation():
            page.get_by_role("navigation", name="Phân trang").get_by_role("link", name="Trang sau").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Xã Liên Minh")
    expect(entrants).to_contain_text("Giấy khen của Chủ tịch UBND xã")

    # the proposal received, with its dossier
    page.goto(f"{PORTAL}/province/proposals")
    pending = page.get_by_test_id("pending")
    expect(pending.locator(f"tr[data-proposal='{proposal['id']}']")).to_contain_text("Xã Liên Minh")
    pending.get_by_role("link", name=proposal["number"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tờ trình {proposal['number']}")
    documents = page.get_by_test_id("documents").get_by_role("link")
    expect(documents).to_have_count(3)
    with page.expect_download() as letter:
        documents.first.click()
    assert letter.value.suggested_filename.endswith(".pdf")
    stale = page.context.new_page()  # the same form, open in a second tab before the decision
    stale.goto(page.url)

    # a decision without its number: named under the field, what was typed kept
    page.get_by_label("Khen thưởng (quyết định của Chủ tịch UBND tỉnh)").check()
    page.get_by_label("Ngày ký").fill(PROVINCE_SIGNED_ON)
    page.get_by_label("Cơ quan, người ban hành").fill("Chủ tịch UBND tỉnh Ninh Bình")
    submit_form(page, "Ghi quyết định")
    expect(page.locator("#number-error")).to_have_text("Bắt buộc nhập")
    expect(page.get_by_label("Số quyết định")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Cơ quan, người ban hành")).to_have_value("Chủ tịch UBND tỉnh Ninh Bình")
    screenshot(page, "42-province-proposal-missing-number")
    number = f"{time.time_ns() % 10**6}/QĐ-UBND"
    page.get_by_label("Số quyết định").fill(number)
    submit_form(page, "Ghi quyết định")
    expect(page.get_by_role("status")).to_contain_text("Đã ghi quyết định khen thưởng của tỉnh")
    expect(page.get_by_test_id("province_outcome")).to_contain_text(number)
    expect(page.locator("[data-status]").first).to_have_text("Tỉnh đã quyết định khen")
    expect(page.get_by_role("button", name="Ghi quyết định")).to_have_count(0)
    screenshot(page, "43-province-proposal-decided")

    # the stale tab: a second decision is refused and says why
    stale.get_by_label("Không khen thưởng").check()
    stale.get_by_label("Lý do").fill("Chưa đủ thành tích")
    submit_form(stale, "Ghi quyết định")
    expect(stale.get_by_role("alert")).to_contain_text("Tờ trình này đã có kết quả")
    stale.close()
    page.goto(f"{PORTAL}/province/proposals")
    expect(page.get_by_test_id("decided").get_by_role("link", name=proposal["number"])).to_be_visible()
    screenshot(page, "44-province-proposals")
    # each list is paged on its own, newest first, of one period or all: the period chosen keeps the proposal there
    page.get_by_label("Kỳ thi đua").select_option(OPEN_PERIOD)
    submit_form(page, "Xem")
    expect(page).to_have_url(re.compile(f"period={OPEN_PERIOD}"))
    expect(page.get_by_test_id("decided").get_by_role("link", name=proposal["number"])).to_be_visible()
    # past the last page: back to the first
    page.goto(f"{PORTAL}/province/proposals?period={OPEN_PERIOD}&decided=100000")
    expect(page.get_by_test_id("decided")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("link", name="Về trang đầu").click()
    expect(page).to_have_url(re.compile(f"period={OPEN_PERIOD}&pending=1$"))
    expect(page.get_by_test_id("decided").get_by_role("link", name=proposal["number"])).to_be_visible()

    # the province's award reaches the dashboard's count of awards by form once the rollups have it
    def counted() -> bool:
        page.goto(f"{PORTAL}/province/dashboard?period={OPEN_PERIOD}")
        return "Bằng khen của Chủ tịch UBND tỉnh" in page.get_by_test_id("awards-by-form").inner_text()

    eventually(counted, what="the province's Bằng khen counted on the dashboard")

    # the consolidated report: requested, followed by refreshing, downloaded
    page.goto(f"{PORTAL}/province/reports")
    page.get_by_label("Kỳ báo cáo").select_option(OPEN_PERIOD)
    screenshot(page, "45-province-reports")
    submit_form(page, "Lập báo cáo")
    expect(page.get_by_role("status")).to_contain_text("Đã yêu cầu lập báo cáo")
    deadline = time.monotonic() + 120
    while page.get_by_test_id("report-job").locator("[data-status]").get_attribute("data-status") != "ready":
        assert page.get_by_role("alert").count() == 0, page.get_by_role("alert").inner_text()
        assert time.monotonic() < deadline, "the report was not ready within 120 s"
        time.sleep(1)
        submit_form(page, "Tải lại tiến độ")
    screenshot(page, "46-province-report-ready")
    with page.expect_download() as workbook:
        page.get_by_role("link", name="Tải bảng biểu (Excel)").click()
    assert workbook.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(workbook.value.path().read_bytes()))
    assert "Tổng hợp" in book.sheetnames
    expect(page.get_by_role("link", name="Tải báo cáo (PDF)")).to_be_visible()


@pytest.mark.usefixtures("lien_minh")
def test_another_provinces_staff_see_nothing_of_ninh_binh(person: Callable[..., Page]) -> None:
    page = person("qn.staff")
    page.goto(f"{PORTAL}/province/dashboard?period={OPEN_PERIOD}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Quảng Ngãi")
    expect(page.locator(f"[data-commune='{LIEN_MINH}']")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(LIEN_MINH)
    screenshot(page, "47-province-dashboard-other-province")
    page.goto(f"{PORTAL}/province/communes/{LIEN_MINH}?period={OPEN_PERIOD}")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile(LIEN_MINH))
    expect(page.get_by_test_id("entrants")).to_have_count(0)
    page.goto(f"{PORTAL}/province/proposals")
    expect(page.locator("main")).not_to_contain_text(LIEN_MINH)
