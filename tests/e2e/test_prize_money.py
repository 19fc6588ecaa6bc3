"""Issue #22's prize money on the real stack: the province's settings, a commune decision that carries each
recipient's prize (Điều 2 of its PDF, the payment list in Excel adding up) and pays it out of the commune's fund,
once. Runs twice on one stack (CI): the fund's balance is read before and compared by difference."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from .conftest import eventually
from .test_awards_flow import AWARDS, LETTERHEAD, MEMBERS, pdf_text, problem, scored_entrant
from .world import DECISION_SIGNED_ON, OPEN_PERIOD, SESSION_HELD_AT, VIETNAM, bearer, ok

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE_SALARY = {"amount": 2_340_000, "effective_from": "2024-07-01"}
DEFAULTS: dict[str, Any] = {  # NĐ 98/2023/NĐ-CP, NĐ 73/2024/NĐ-CP: what a province starts with
    "base_salaries": [BASE_SALARY],
    "coefficients": [
        {"award_form": "HCLD_HANG_BA", "collective": 9.0, "individual": 4.5},
        {"award_form": "BANG_KHEN_TTG", "collective": 3.0, "individual": 1.5},
        {"award_form": "CO_THI_DUA_CP", "collective": 12.0, "individual": None},
        {"award_form": "BANG_KHEN_TINH", "collective": 2.0, "individual": 1.0},
        {"award_form": "CO_THI_DUA_TINH", "collective": 8.0, "individual": None},
        {"award_form": "GIAY_KHEN_XA", "collective": 0.3, "individual": 0.15},
    ],
    "rounding_unit": 10_000,
}
PRIZES = {"collective": 710_000, "individual": 360_000}  # 0.3 and 0.15 × 2,340,000, rounded up to 10,000


def passed_by_the_council(
    http: httpx.Client, officer: str, chair: str, council: dict[str, str], candidate: str
) -> None:
    """The council meets on the period's Giấy khen candidates under review and passes each of them."""
    session = ok(
        http.post(
            f"{AWARDS}/sessions",
            json={
                "period": OPEN_PERIOD,
                "title": f"Họp Hội đồng Thi đua - Khen thưởng xét tiền thưởng năm {OPEN_PERIOD}",
                "held_at": SESSION_HELD_AT,
                "location": "Hội trường UBND xã Liên Minh",
                "members": MEMBERS,
                "chair": "lm.chair",
                "secretary": "lm.council2",
                "award_forms": ["GIAY_KHEN_XA"],
            },
            headers=bearer(officer),
        ),
        201,
    )
    assert candidate in {c["candidate_id"] for c in session["candidates"]}
    present = {"present": [m["username"] for m in MEMBERS]}
    ok(http.post(f"{AWARDS}/sessions/{session['id']}/open", json=present, headers=bearer(officer)))
    for member, member_token in {"lm.chair": chair, **council}.items():
        votes = [
            {"candidate_id": c["candidate_id"], "vote": "yes"}
            for c in session["candidates"]
            if member not in {r["member"] for r in c["recused"]}
        ]
        ok(http.put(f"{AWARDS}/sessions/{session['id']}/ballot", json={"votes": votes}, headers=bearer(member_token)))
    closed = ok(http.post(f"{AWARDS}/sessions/{session['id']}/close", headers=bearer(officer)))
    assert next(r for r in closed["results"] if r["candidate_id"] == candidate)["passed"]


def fund(http: httpx.Client, token: str, **params: Any) -> dict[str, Any]:
    answer: dict[str, Any] = ok(http.get(f"{AWARDS}/fund", params=params, headers=bearer(token)))
    return answer


@pytest.mark.usefixtures("lien_minh")
def test_a_decision_pays_its_prize_money_out_of_the_communes_fund(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    officer, chair, admin = token("lm.officer"), token("lm.chair"), token("nb.admin")
    # the province's settings: its administrator alone sets them, a 422 names the field, every user reads them
    problem(http.put(f"{AWARDS}/prize-settings", json=DEFAULTS, headers=bearer(officer)), 403)
    twice = {**DEFAULTS, "base_salaries": [BASE_SALARY, BASE_SALARY]}
    refused = problem(http.put(f"{AWARDS}/prize-settings", json=twice, headers=bearer(admin)), 422)
    assert [e["field"] for e in refused["errors"]] == ["base_salaries"]
    ok(http.put(f"{AWARDS}/prize-settings", json=DEFAULTS, headers=bearer(admin)))
    assert ok(http.get(f"{AWARDS}/prize-settings", headers=bearer(officer))) == DEFAULTS

    # the commune's fund: the officer records the budget's allocation
    before = fund(http, officer)["balance"]
    today = datetime.now(VIETNAM).date().isoformat()  # a movement is recorded on a day that has come
    allocation = {"on": today, "kind": "allocation", "amount": 20_000_000, "description": "Ngân sách cấp"}
    recorded = ok(http.post(f"{AWARDS}/fund/movements", json=allocation, headers=bearer(officer)), 201)
    assert recorded["balance"] == before + 20_000_000
    problem(http.post(f"{AWARDS}/fund/movements", json=allocation, headers=bearer(chair)), 403)

    # a unit scored, put on the Giấy khen's list, passed by the council, decided by the chairman
    ok(http.put(f"{AWARDS}/letterhead", json=LETTERHEAD, headers=bearer(officer)))
    entrant, dossier = scored_entrant(http, officer, council)

    # kept on the list by the officer (the quota of a period other tests fill may leave it off): 422 naming the dossier
    # until awards has its final score
    keep = {"submission_id": dossier, "award_form": "GIAY_KHEN_XA", "reason": "Thành tích xuất sắc của đơn vị"}

    def candidate() -> dict[str, Any] | None:
        answer = http.post(f"{AWARDS}/candidates", json=keep, headers=bearer(officer))
        return None if answer.status_code == 422 else dict(ok(answer, 200, 201))

    giay_khen = eventually(candidate, what="the Giấy khen candidate kept on the list")
    passed_by_the_council(http, officer, chair, council, giay_khen["id"])
    number = f"{uuid.uuid4().int % 10**6}/QĐ-UBND"
    body = {
        "award_form": "GIAY_KHEN_XA", "period": OPEN_PERIOD, "number": number, "signed_on": DECISION_SIGNED_ON,
        "signer_name": "Phạm Văn Minh", "candidate_ids": [giay_khen["id"]],
    }  # fmt: skip
    decision = ok(http.post(f"{AWARDS}/decisions", json=body, headers=bearer(chair)), 201)
    kind = giay_khen["entrant"]["kind"]
    prize = PRIZES[kind]
    assert [r["amount"] for r in decision["recipients"]] == [prize]
    assert (decision["prize"]["total"], decision["prize"]["base_salary"]) == (prize, 2_340_000)
    assert ok(http.post(f"{AWARDS}/decisions", json=body, headers=bearer(chair)), 200)["id"] == decision["id"]

    # Điều 2 states the amount and the total in words; the list has the amount and the total
    _pages, text = pdf_text(http.get(f"{AWARDS}{decision['pdf']}", headers=bearer(officer)))
    words = {"collective": "Bảy trăm mười nghìn đồng", "individual": "Ba trăm sáu mươi nghìn đồng"}[kind]
    who = {"collective": "tập thể", "individual": "cá nhân"}[kind]
    amount = f"{prize:,}".replace(",", ".")
    assert f"mỗi {who} được thưởng {amount} đồng" in text
    assert f"tổng số tiền thưởng: {amount} đồng (Bằng chữ: {words})" in text
    assert "Nguồn kinh phí: Quỹ thi đua, khen thưởng của xã" in text
    assert f"Tổng cộng {amount}" in text

    # the payment list for the accountant adds up; another commune's officer cannot read it
    answer = http.get(f"{AWARDS}{decision['payments']}", headers=bearer(officer))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == "STT")
    paid = [row for row in rows[top + 1 :] if isinstance(row[0], int)]
    total = next(row for row in rows[top + 1 :] if row[1] == "Tổng cộng")
    assert [(row[1], row[3]) for row in paid] == [(entrant["name"], prize)]
    amounts = [row[3] for row in paid if isinstance(row[3], int)]
    assert total[3] == sum(amounts) == decision["prize"]["total"]
    problem(http.get(f"{AWARDS}{decision['payments']}", headers=bearer(token("td.officer"))), 404)
    problem(http.get(f"{AWARDS}{decision['payments']}", headers=bearer(council["lm.council1"])), 403)

    # the fund paid it once, even though the worker applied the decision again from its event
    def paid_once() -> dict[str, Any] | None:
        page = fund(http, chair, page_size=200)
        payments = [m for m in page["items"] if m["decision_id"] == decision["id"]]
        return page if len(payments) == 1 else None

    page = eventually(paid_once, what="the decision's payment")
    [payment] = [m for m in page["items"] if m["decision_id"] == decision["id"]]
    assert (payment["kind"], payment["amount"], payment["reference"]) == ("decision_payment", prize, number)
    assert page["balance"] == before + 20_000_000 - prize
