"""The commune's fund, the decisions' payment lists and the award history's import over a fake backend
(tests/unit/fake_backend.py; docs/adr/0025, 0027): each page renders what the awards service answered, sends what it
expects, shows its refusal beside the field (or row by row for a workbook) and keeps what was typed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from thidua_contracts.roles import Role

from .fake_backend import PortalUnderTest, can_commune, listing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHORT = "Quỹ thi đua, khen thưởng đang âm 1.200.000 đồng / The emulation and awards fund is 1,200,000 đồng short"


def signed_in(*roles: Role) -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(*roles, username="lm.officer", name="Phạm Thu Hà")
    can_commune(site.backend)
    return site


@pytest.fixture
def officer() -> PortalUnderTest:
    return signed_in(Role.COMMUNE_OFFICER)


def movement(n: int, kind: str, amount: int, **more: Any) -> dict[str, Any]:
    names = {"allocation": "Kinh phí được cấp / Budget allocation", "decision_payment": "Chi khen thưởng theo quyết "
             "định / Paid by a decision", "other_expense": "Chi khác / Other expense"}  # fmt: skip
    return {
        "id": f"m-{n}", "on": "2026-12-0" + str(n), "kind": kind, "kind_name": names[kind], "amount": amount,
        "delta": -amount if kind in ("decision_payment", "other_expense") else amount,
        "description": f"Khoản {n}", "reference": None, "decision_id": None,
        "created_at": "2026-12-01T02:00:00Z", "created_by": "lm.officer", **more,
    }  # fmt: skip


def can_fund(site: PortalUnderTest, *, balance: int = -1_200_000, warning: str | None = SHORT) -> None:
    site.backend.get("awards", "/fund", {
        "items": [movement(2, "decision_payment", 6_200_000, reference="7/QĐ-UBND", decision_id="q-7"),
                  movement(1, "allocation", 5_000_000, reference="Số 3/QĐ-UBND")],
        "total": 2, "page": 1, "page_size": 50, "balance": balance, "warning": warning,
    })  # fmt: skip


def test_the_fund_shows_its_balance_its_movements_and_the_warning_below_zero(officer: PortalUnderTest) -> None:
    can_fund(officer)
    page = officer.get("/officer/fund", page="1")
    assert page.status_code == 200
    assert '<span data-testid="balance">-1.200.000</span>' in page.text
    assert "Quỹ thi đua, khen thưởng đang âm 1.200.000 đồng" in page.text
    assert "Chi khen thưởng theo quyết định" in page.text
    assert "Kinh phí được cấp" in page.text
    assert '<td class="num">6.200.000</td></tr>' in page.text  # an expense, in the "out" column
    assert 'href="/officer/decisions/q-7/payments.xlsx"' in page.text
    assert 'action="/officer/fund/movements"' in page.text
    (asked,) = officer.backend.asked("GET", "awards", "/fund")
    assert asked.param("page") == "1"
    officer.english()
    assert "The emulation and awards fund is 1,200,000 đồng short" in officer.get("/officer/fund").text


def test_the_chairman_reads_the_fund_without_its_form() -> None:
    chair = signed_in(Role.COMMUNE_CHAIR)
    can_fund(chair, balance=3_000_000, warning=None)
    page = chair.get("/officer/fund")
    assert page.status_code == 200
    assert '<span data-testid="balance">3.000.000</span>' in page.text
    assert 'data-testid="fund-warning"' not in page.text
    assert 'action="/officer/fund/movements"' not in page.text
    assert chair.post("/officer/fund/movements", {"amount": "1"}).status_code == 403


def test_a_receipt_recorded_sends_the_amount_in_whole_dong_and_tells_the_balance(officer: PortalUnderTest) -> None:
    recorded = {"movement": movement(3, "allocation", 5_000_000), "balance": -700_000, "warning": SHORT}
    officer.backend.on("POST", "awards", "/fund/movements", recorded, status=201)
    page = officer.post("/officer/fund/movements", {
        "on": "2026-12-05", "kind": "allocation", "amount": "5.000.000", "description": "Kinh phí quý IV",
        "reference": "Số 3/QĐ-UBND",
    })  # fmt: skip
    assert page.status_code == 303
    assert page.headers["location"] == "/officer/fund"
    (sent,) = officer.backend.asked("POST", "awards", "/fund/movements")
    assert sent.body == {"on": "2026-12-05", "kind": "allocation", "amount": 5_000_000,
                         "description": "Kinh phí quý IV", "reference": "Số 3/QĐ-UBND"}  # fmt: skip
    assert officer.flash() == "Đã ghi sổ quỹ. Số dư: -700.000 đồng. Quỹ thi đua, khen thưởng đang âm 1.200.000 đồng"


def test_the_services_refusal_of_a_movement_is_shown_beside_its_field(officer: PortalUnderTest) -> None:
    can_fund(officer)
    officer.backend.fail("POST", "awards", "/fund/movements", 422, "Không hợp lệ / Invalid",
                         errors={"on": "Ngày chưa đến / A day to come"})  # fmt: skip
    page = officer.post("/officer/fund/movements", {
        "on": "2030-01-01", "kind": "other_expense", "amount": "250000", "description": "In giấy khen",
    })  # fmt: skip
    assert page.status_code == 422
    assert 'id="on-error">Ngày chưa đến<' in page.text
    assert 'value="In giấy khen"' in page.text
    assert 'value="250000"' in page.text
    assert '<option value="other_expense" selected>' in page.text


def test_an_amount_that_is_no_whole_number_comes_back_before_the_service_is_asked(officer: PortalUnderTest) -> None:
    can_fund(officer)
    page = officer.post("/officer/fund/movements", {
        "on": "2026-12-05", "kind": "allocation", "amount": "năm triệu", "description": "Kinh phí",
    })  # fmt: skip
    assert page.status_code == 422
    assert 'id="amount-error">Nhập số tiền bằng số nguyên (đồng)<' in page.text
    assert 'value="năm triệu"' in page.text
    assert officer.backend.asked("POST", "awards", "/fund/movements") == []


def xlsx_answer(name: str) -> httpx.Response:
    headers = {"content-type": XLSX, "content-disposition": f'attachment; filename="{name}"'}
    return httpx.Response(200, content=b"PK-workbook", headers=headers)


def test_a_decisions_payment_list_is_downloaded_by_the_officer_and_the_chairman(officer: PortalUnderTest) -> None:
    officer.backend.on("GET", "awards", "/decisions/q-7/payments.xlsx", lambda _call: xlsx_answer("danh-sach-chi.xlsx"))
    answer = officer.get("/officer/decisions/q-7/payments.xlsx")
    assert answer.status_code == 200
    assert answer.content == b"PK-workbook"
    assert answer.headers["content-type"] == XLSX
    assert "danh-sach-chi.xlsx" in answer.headers["content-disposition"]
    chair = signed_in(Role.COMMUNE_CHAIR)
    chair.backend.on("GET", "awards", "/decisions/q-7/payments.xlsx", lambda _call: xlsx_answer("danh-sach-chi.xlsx"))
    assert chair.get("/chair/decisions/q-7/payments.xlsx").content == b"PK-workbook"
    assert chair.get("/officer/decisions/q-7/payments.xlsx").status_code == 200


def test_the_decisions_page_links_each_paid_decisions_payment_list_and_shows_an_ad_hoc_candidate() -> None:
    chair = signed_in(Role.COMMUNE_CHAIR)
    ad_hoc = {"id": "c-9", "award_form": "GIAY_KHEN_XA", "total": None, "grade": None, "round": "ad_hoc",
              "entrant": {"name": "Đội thanh niên tình nguyện"}, "council": {"yes": 5},
              "ad_hoc": {"achievement": "Hướng dẫn 320 người dân kích hoạt VNeID trong 10 ngày",
                         "achieved_on": "2026-10-05", "evidence": [], "proposed_by": "lm.officer"}}  # fmt: skip
    scored = {"id": "c-1", "award_form": "GIAY_KHEN_XA", "total": 91.5, "grade": "Xuất sắc / Excellent",
              "entrant": {"name": "Thôn Đoài"}, "council": {"yes": 4}}  # fmt: skip
    chair.backend.get("awards", "/candidates", listing([ad_hoc, scored]))
    chair.backend.get("awards", "/decisions", listing([
        {"number": "7/QĐ-UBND", "signed_on": "2026-12-01", "award_form": "GIAY_KHEN_XA",
         "pdf": "/decisions/q-7/document.pdf", "payments": "/decisions/q-7/payments.xlsx",
         "prize": {"total": 6_200_000}, "recipients": [{"entrant": {"name": "Thôn 9"}, "total": None}]},
        {"number": "8/QĐ-UBND", "signed_on": "2026-12-02", "award_form": "GIAY_KHEN_XA",
         "pdf": "/decisions/q-8/document.pdf", "payments": None, "prize": None, "recipients": []},
    ]))  # fmt: skip
    page = chair.get("/chair/decisions")
    assert page.status_code == 200
    assert 'href="/chair/decisions/q-7/payments.xlsx"' in page.text
    assert "/decisions/q-8/payments.xlsx" not in page.text  # no prize money: no payment list
    assert "Tiền thưởng: 6.200.000 đồng" in page.text
    assert "Khen thưởng đột xuất: Hướng dẫn 320 người dân kích hoạt VNeID trong 10 ngày" in page.text
    assert "91,5 điểm" in page.text


# --- the award history from Excel


def test_the_history_page_offers_the_template_and_the_upload(officer: PortalUnderTest) -> None:
    page = officer.get("/officer/history")
    assert page.status_code == 200
    assert 'href="/officer/history/template.xlsx"' in page.text
    assert 'action="/officer/history/import" enctype="multipart/form-data"' in page.text
    officer.backend.on("GET", "awards", "/history/template.xlsx", lambda _call: xlsx_answer("lich-su.xlsx"))
    template = officer.get("/officer/history/template.xlsx")
    assert (template.status_code, template.content) == (200, b"PK-workbook")


def upload(site: PortalUnderTest, content: bytes = b"PK-filled", filename: str = "lich-su.xlsx") -> httpx.Response:
    assert site.session is not None
    answer: httpx.Response = site.client.post(
        "/officer/history/import", data={"csrf_token": site.session.csrf}, files={"file": (filename, content, XLSX)}
    )
    return answer


def test_an_imported_history_counts_what_was_recorded_and_what_was_there(officer: PortalUnderTest) -> None:
    officer.backend.on("POST", "awards", "/history/import", {"recorded": 12, "already_present": 3})
    page = upload(officer)
    assert page.status_code == 200
    assert "ghi mới 12, đã có từ trước 3" in page.text
    (sent,) = officer.backend.asked("POST", "awards", "/history/import")
    assert sent.content == b"PK-filled"
    assert sent.headers["content-type"] == XLSX


def test_a_refused_workbook_lists_each_problem_by_row_and_column(officer: PortalUnderTest) -> None:
    errors = {"row 7: Ngày quyết định": "Ngày chưa đến / A day to come",
              "row 4: Mã đối tượng": "Không phải đối tượng của xã / Not the commune's entrant"}  # fmt: skip
    officer.backend.fail("POST", "awards", "/history/import", 422, "Không hợp lệ / Invalid",
                         detail="Tệp có 2 dòng lỗi, không dòng nào được ghi / 2 rows are wrong, nothing was recorded",
                         errors=errors)  # fmt: skip
    page = upload(officer)
    assert page.status_code == 422
    assert "Tệp có 2 dòng lỗi, không dòng nào được ghi" in page.text
    rows = page.text.split('data-testid="import-errors"')[1]
    assert rows.index(">4<") < rows.index(">7<")  # in row order
    assert '<td class="num">7</td><td>Ngày quyết định</td><td>Ngày chưa đến</td>' in page.text
    assert "<td>Mã đối tượng</td><td>Không phải đối tượng của xã</td>" in page.text


def test_a_workbook_refused_as_a_whole_says_why_and_no_file_is_asked_for(officer: PortalUnderTest) -> None:
    officer.backend.fail("POST", "awards", "/history/import", 422, "Không hợp lệ / Invalid",
                         errors={"file": "Tệp .xls không được hỗ trợ / An .xls file is not supported"})  # fmt: skip
    page = upload(officer, filename="cu.xls")
    assert page.status_code == 422
    assert "Tệp .xls không được hỗ trợ" in page.text
    assert 'data-testid="import-errors"' not in page.text
    assert officer.session is not None
    empty = officer.client.post(
        "/officer/history/import", data={"csrf_token": officer.session.csrf}, files={"file": ("", b"", "text/plain")}
    )
    assert empty.status_code == 422
    assert "Hãy chọn tệp Excel (.xlsx)" in empty.text
    assert len(officer.backend.asked("POST", "awards", "/history/import")) == 1


@pytest.mark.parametrize("path", ["/officer/ad-hoc", "/officer/history", "/officer/history/template.xlsx"])
def test_the_chairman_and_a_submitter_are_refused_the_officers_pages(path: str) -> None:
    for role in (Role.COMMUNE_CHAIR, Role.SUBMITTER):
        site = PortalUnderTest()
        site.sign_in(role)
        page = site.get(path)
        assert page.status_code == 403, (role, path)
    submitter = PortalUnderTest()
    submitter.sign_in(Role.SUBMITTER)
    assert submitter.get("/officer/fund").status_code == 403
    assert submitter.backend.calls == []
