"""The commune officer's pages in a phone-sized browser: entrants (the form and the Excel import with its per-row
problems), adapting the criteria, returning a dossier for correction, convening a council session, the periods, the
scoring council's roster and a commune report. Data that is not the subject is made through the APIs."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from ..world import EVIDENCE_80, OPEN_PERIOD, SCORING, SUBMISSIONS, bearer, filled_dossier, new_entrant, ok
from .conftest import PORTAL, screenshot, submit_form

HEADERS = ("Tên đơn vị/cá nhân", "Tập thể/Cá nhân", "Nhóm đối tượng", "Thuộc đơn vị", "Chức vụ")


def workbook_from(template: Path, rows: list[dict[str, str]], folder: Path, name: str) -> Path:
    """A workbook with the template's own header row and the given rows, each cell put under its header."""
    header = [cell.value for cell in next(load_workbook(template).worksheets[0].iter_rows(max_row=1))]
    assert set(HEADERS) <= set(header), header
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(str(title), None) for title in header])
    path = folder / name
    book.save(path)
    return path


def find_in_listing(page: Page, name: str) -> None:
    """Pages through the entrants until the row with that name shows (the list is sorted by name)."""
    for _ in range(200):
        row = page.get_by_role("rowheader", name=name)
        if row.count():
            expect(row).to_be_visible()
            return
        following = page.get_by_role("link", name="Trang sau")
        assert following.count(), f"{name} is not in the list"
        following.click()
    raise AssertionError(f"{name} not found")


def test_entrants_by_form_and_by_excel_import(person: Callable[..., Page], tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/entrants")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đối tượng thi đua")
    screenshot(page, "20-officer-entrants")

    # a rule of the whole entrant (an individual in a collectives' group) shows at the kind, what was typed is kept
    person_name = f"Phạm Thị Lỗi {tag}"
    page.get_by_label("Tên đơn vị hoặc họ tên").fill(person_name)
    page.locator("#kind").select_option("individual")
    page.locator("#target_group").select_option("a")
    submit_form(page, "Thêm đối tượng")
    expect(page.locator("#kind-error")).to_contain_text("cá nhân thuộc nhóm d1, d2")
    expect(page.get_by_label("Tên đơn vị hoặc họ tên")).to_have_value(person_name)
    expect(page.locator("#kind")).to_have_value("individual")
    screenshot(page, "21-officer-entrants-error")

    unit = f"Tổ dân phố Kiểm Thử {tag}"
    page.get_by_label("Tên đơn vị hoặc họ tên").fill(unit)
    page.locator("#kind").select_option("collective")
    page.locator("#target_group").select_option("a")
    page.get_by_label("Loại hình tập thể (thôn, tổ dân phố, phòng…)").fill("tổ dân phố")
    page.get_by_label("Cán bộ đầu mối (tên đăng nhập, cách nhau bởi dấu phẩy)").fill("lm.submitter, lm.officer")
    submit_form(page, "Thêm đối tượng")
    expect(page.get_by_role("heading", level=1)).to_have_text(unit)
    expect(page.get_by_role("status")).to_contain_text("Đã thêm")
    expect(page.locator("dl.facts")).to_contain_text("lm.submitter, lm.officer")

    # the Excel import: the template's header row, a bad row refused with its row number, then a good workbook
    page.goto(f"{PORTAL}/officer/entrants")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Tải tệp mẫu Excel").click()
    template = tmp_path / "mau.xlsx"
    downloaded.value.save_as(template)
    village, head = f"Thôn Nhập Khẩu {tag}", f"Đỗ Văn Nhập {tag}"
    rows = [
        {"Tên đơn vị/cá nhân": village, "Tập thể/Cá nhân": "Tập thể", "Nhóm đối tượng": "a"},
        {"Tên đơn vị/cá nhân": head, "Tập thể/Cá nhân": "Cá nhân", "Nhóm đối tượng": "a", "Thuộc đơn vị": village},
    ]
    page.get_by_label("Tệp danh sách (.xlsx, tối đa 5 MB)").set_input_files(
        workbook_from(template, rows, tmp_path, "loi.xlsx")
    )
    submit_form(page, "Nhập danh sách")
    problems = page.get_by_test_id("import-errors")
    row_3 = problems.get_by_role("row").filter(has=page.get_by_role("cell", name="3", exact=True))
    expect(row_3).to_contain_text("Nhóm đối tượng")  # the individual's row, and the column at fault
    expect(row_3).to_contain_text("Cá nhân thuộc nhóm d1 hoặc d2")
    expect(page.locator("#import-problem")).to_contain_text("chưa nhập dòng nào")
    screenshot(page, "22-officer-entrants-import-errors")

    rows[1] |= {"Nhóm đối tượng": "d1", "Chức vụ": "Tổ trưởng"}
    page.get_by_label("Tệp danh sách (.xlsx, tối đa 5 MB)").set_input_files(
        workbook_from(template, rows, tmp_path, "dung.xlsx")
    )
    submit_form(page, "Nhập danh sách")
    expect(page.get_by_role("status")).to_contain_text("Đã nhập 2 đối tượng")
    find_in_listing(page, village)
    page.get_by_role("link", name=village).click()
    group_d1 = "Cán bộ, công chức, viên chức, người lao động"  # the group by its name, not "d1"
    expect(page.get_by_test_id("members")).to_contain_text(f"{head} – Tổ trưởng ({group_d1})")
    screenshot(page, "23-officer-entrant")


def test_adapting_criteria_shows_the_refusal_next_to_the_criterion(
    person: Callable[..., Page], unopened_period: str
) -> None:
    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/criteria?period={unopened_period}&group=a")  # not opened: its criteria may be adapted
    expect(page.get_by_test_id("limits")).to_contain_text("±5")
    points = page.get_by_label("Điểm tối đa a1", exact=True)
    points.fill("40")
    page.get_by_label("Mã tiêu chí").fill("a99")
    page.get_by_label("Nội dung tiêu chí").fill("Tiêu chí riêng của xã")
    page.get_by_label("Điểm tối đa", exact=True).fill("2")
    submit_form(page, "Lưu bộ tiêu chí")
    expect(page.locator("#max_points-a1-error")).to_contain_text("±5")
    expect(points).to_have_value("40")
    expect(page.get_by_label("Mã tiêu chí")).to_have_value("a99")
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu được")
    screenshot(page, "24-officer-criteria-error")


@pytest.mark.usefixtures("lien_minh")
def test_a_dossier_is_checked_and_returned_with_a_reason_per_criterion(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str]
) -> None:
    officer = token("lm.officer")
    entrant = new_entrant(http, officer, name="Thôn Trả Lại")
    incomplete = {code: given for code, given in EVIDENCE_80.items() if code != "a8"}
    dossier = filled_dossier(http, officer, entrant["id"], incomplete)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))

    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/dossiers?period={OPEN_PERIOD}&status=submitted")
    screenshot(page, "25-officer-dossiers")
    page.goto(f"{PORTAL}/officer/dossiers/{dossier}")
    submit_form(page, "Kiểm tra tính đầy đủ")
    expect(page.get_by_test_id("completeness")).to_contain_text("a8")

    submit_form(page, "Trả lại để bổ sung")  # no reason at all: refused by the portal, nothing sent
    expect(page.locator("#reasons-error")).to_be_visible()
    page.get_by_label("Cần bổ sung ở tiêu chí a8").fill("Thiếu số liệu tỷ lệ hồ sơ trực tuyến toàn trình.")
    page.get_by_label("Cần bổ sung ở tiêu chí a3").fill("Đính kèm biên bản họp thôn.")
    submit_form(page, "Trả lại để bổ sung")
    expect(page.get_by_role("status")).to_contain_text("Đã trả lại hồ sơ")
    expect(page.locator("[data-status]").first).to_have_text("Trả lại để bổ sung")
    reasons = page.get_by_test_id("return-reasons")
    expect(reasons).to_contain_text("a8: Thiếu số liệu tỷ lệ hồ sơ trực tuyến toàn trình.")
    expect(reasons).to_contain_text("a3: Đính kèm biên bản họp thôn.")
    expect(page.get_by_test_id("audit")).to_contain_text("returned")
    screenshot(page, "26-officer-dossier-returned")
    seen: dict[str, Any] = ok(http.get(f"{SUBMISSIONS}/submissions/{dossier}", headers=bearer(officer)))
    assert seen["status"] == "returned"
    assert {r["code"] for r in seen["return_reasons"]} == {"a8", "a3"}


def test_convening_names_the_missing_time_and_the_commune_report_is_made(person: Callable[..., Page]) -> None:
    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/periods")
    expect(page.get_by_role("heading", name="Hội đồng Thi đua - Khen thưởng")).to_be_visible()
    screenshot(page, "27-officer-periods")

    page.goto(f"{PORTAL}/officer/sessions?period={OPEN_PERIOD}")
    title = f"Họp Hội đồng thử {uuid.uuid4().hex[:6]}"
    page.get_by_label("Tên phiên họp").fill(title)
    page.get_by_label("Địa điểm").fill("Hội trường UBND xã")
    usernames = page.locator("input[name$='.username'][id^='member-']")
    chair_row = None
    for index in range(usernames.count()):
        if usernames.nth(index).input_value():
            page.locator(f"#member-{index}-name").fill(f"Thành viên {index + 1}")
        elif chair_row is None:
            chair_row = index
    assert chair_row is not None
    page.locator(f"#member-{chair_row}-username").fill("lm.chair")
    page.locator(f"#member-{chair_row}-name").fill("Nguyễn Văn Hưng")
    page.locator(f"#member-{chair_row}-role").fill("Chủ tịch Hội đồng")
    page.get_by_label("Người chủ trì (tên đăng nhập)").fill("lm.chair")
    submit_form(page, "Triệu tập phiên họp")
    expect(page.locator("#held_at-error")).to_be_visible()
    expect(page.get_by_label("Thời gian họp (giờ Việt Nam)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Tên phiên họp")).to_have_value(title)
    expect(page.locator(f"#member-{chair_row}-name")).to_have_value("Nguyễn Văn Hưng")
    screenshot(page, "28-officer-sessions-error")

    page.goto(f"{PORTAL}/officer/reports")
    page.get_by_label("Kỳ thi đua").select_option(OPEN_PERIOD)
    submit_form(page, "Lập báo cáo")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Báo cáo: Năm {OPEN_PERIOD}")
    deadline = time.monotonic() + 120
    while page.locator("[data-status]").get_attribute("data-status") in ("queued", "running"):
        assert time.monotonic() < deadline, "the report took too long"
        page.wait_for_timeout(1000)
        page.get_by_role("link", name="Làm mới").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "ready")
    screenshot(page, "29-officer-report")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Tải bảng số liệu (Excel)").click()
    book = load_workbook(io.BytesIO(Path(downloaded.value.path()).read_bytes()))
    assert book.sheetnames


@pytest.mark.usefixtures("lien_minh")
def test_a_unit_id_scoring_does_not_know_as_the_communes_is_named_under_the_members_units(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str]
) -> None:
    """Scoring answers 404 naming `members.0.unit_entrant_ids.<n>` for an entrant id it does not know as the commune's
    (docs/adr/0020): the roster form shows it under the member's units, in Vietnamese, with what was typed kept, and
    stores nothing."""
    officer = token("lm.officer")
    before = ok(http.get(f"{SCORING}/council", headers=bearer(officer)))
    assert before["members"], before  # the commune's roster (ready_commune): its first member is on the form's row 1
    unknown = str(uuid.uuid4())

    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/periods#council")
    # units are chosen by name from the commune's; an id no unit has can only come from a stale or forged form
    units = page.get_by_label("Đơn vị của thành viên (chọn một hoặc nhiều) 1", exact=True)
    chosen = units.evaluate("select => Array.from(select.selectedOptions, option => option.value)")
    units.evaluate("(select, id) => select.add(new Option(id, id, true, true))", unknown)
    submit_form(page, "Lưu Hội đồng")
    error = page.locator("#member-0-units-error")
    expect(error).to_contain_text(f"Xã không có đối tượng {unknown}")
    expect(error).to_contain_text("hãy thử lại")
    expect(error).not_to_contain_text("No entrant")  # the Vietnamese half of the API's message
    expect(units).to_have_values([*chosen, unknown])  # what was chosen is kept
    expect(units).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Tên đăng nhập 1", exact=True)).to_have_value(before["members"][0]["username"])
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu được")
    screenshot(page, "27b-officer-council-unknown-unit")
    assert ok(http.get(f"{SCORING}/council", headers=bearer(officer))) == before  # nothing stored
