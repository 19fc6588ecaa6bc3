"""Prize money through the use cases, without servers (in_memory_awards): the province's settings (defaults, set and
audited), the amounts a decision stores once, its payment out of the commune's fund written once however often the
decision is applied, the fund's balance, the payment list read back with openpyxl and Điều 2 read back with pypdf.
tests/e2e/test_prize_money.py goes the same way through the HTTP API on the real stack."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from awards.adapters.documents import check_fonts, default_font_dir
from awards.domain.prize import DEFAULT_PRIZE_SETTINGS, PrizeSettings
from awards.service import documents, fund, payments, prize
from awards.service.fund import MovementRequest
from thidua_contracts.awards import AwardDecided
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.tenancy import Scope

from .in_memory_awards import OFFICER, SCHOOL, SCOPE, TAM_DIEP_SCOPE, TEACHER, Awards, World

ADMIN = Principal("u-admin", "nb.admin", frozenset({Role.PROVINCE_ADMIN}), province="37")
# the Giấy khen signed on 2025-12-10: 0.3 × 2,340,000 = 702,000 → 710,000; 0.15 × 2,340,000 = 351,000 → 360,000
SCHOOL_PRIZE, TEACHER_PRIZE = 710_000, 360_000
TOTAL = SCHOOL_PRIZE + TEACHER_PRIZE
RAISED = PrizeSettings.model_validate(
    {
        "base_salaries": [{"amount": 2_340_000, "effective_from": "2024-07-01"}],
        "coefficients": [{"award_form": "GIAY_KHEN_XA", "collective": 0.5, "individual": 0.25}],
        "rounding_unit": 1_000,
    }
)


@pytest.fixture
async def council() -> tuple[Awards, list[str]]:
    """The service, and the two candidates the council passed for the commune's Giấy khen (the school, the teacher)."""
    awards = Awards()
    await awards.before_the_council()
    await awards.council()
    return awards, await awards.passed("GIAY_KHEN_XA")


@pytest.fixture(scope="module")
def fonts() -> Path:
    return check_fonts(default_font_dir())


async def test_a_province_starts_with_the_decrees_amounts_and_its_administrator_changes_them_audited() -> None:
    awards = Awards()
    assert await prize.prize_settings(repos=awards.repos, province="37") == DEFAULT_PRIZE_SETTINGS

    await prize.set_prize_settings(repos=awards.repos, principal=ADMIN, settings=RAISED)
    again = RAISED.model_copy(update={"rounding_unit": 10_000})
    await prize.set_prize_settings(repos=awards.repos, principal=ADMIN, settings=again)

    assert await prize.prize_settings(repos=awards.repos, province="37") == again  # read by every commune of it
    assert await prize.prize_settings(repos=awards.repos, province="51") == DEFAULT_PRIZE_SETTINGS  # not another's
    stored = await awards.repos.prize_settings.get(Scope(province="37"), "37")
    assert stored is not None
    trail = [(e["actor"], e["action"], e["changes"]["rounding_unit"]) for e in stored["audit"]]
    assert trail == [("u-admin", "prize_set", 1_000), ("u-admin", "prize_set", 10_000)]


async def test_the_decision_stores_each_recipients_prize_once(council: tuple[Awards, list[str]]) -> None:
    awards, ids = council
    decision, _ = await awards.decide(ids)

    assert [(r["entrant"]["id"], r.get("amount")) for r in decision["recipients"]] == [
        (SCHOOL.id, SCHOOL_PRIZE),
        (TEACHER.id, TEACHER_PRIZE),
    ]
    assert decision.get("prize") == {
        "base_salary": 2_340_000, "base_salary_from": "2024-07-01", "rounding_unit": 10_000,
        "coefficients": {"collective": 0.3, "individual": 0.15},
        "amounts": {"collective": SCHOOL_PRIZE, "individual": TEACHER_PRIZE}, "total": TOTAL,
    }  # fmt: skip
    # the province changes its amounts afterwards: the signed decision keeps its own
    await prize.set_prize_settings(repos=awards.repos, principal=ADMIN, settings=RAISED)
    await awards.published()
    stored = await awards.repos.decisions.get(SCOPE, decision["_id"])
    assert stored is not None
    assert stored.get("prize") == decision.get("prize")
    replayed, created = await awards.decide(ids)
    assert not created
    assert replayed.get("prize") == decision.get("prize")


async def test_a_decision_under_settings_with_no_amount_names_none_and_pays_nothing(
    council: tuple[Awards, list[str]],
) -> None:
    awards, ids = council
    only_collectives = RAISED.model_copy(update={"coefficients": (RAISED.coefficients[0].model_copy(
        update={"individual": None}),)})  # fmt: skip
    await prize.set_prize_settings(repos=awards.repos, principal=ADMIN, settings=only_collectives)

    decision, _ = await awards.decide(ids)  # the teacher's kind has no coefficient: the decision stands, no amount

    assert "prize" not in decision
    assert all("amount" not in r for r in decision["recipients"])
    await awards.published()
    assert await awards.repos.fund.find(SCOPE, {}) == []


async def test_the_payment_leaves_the_fund_once_however_often_the_decision_is_applied(
    council: tuple[Awards, list[str]],
) -> None:
    awards, ids = council
    decision, _ = await awards.decide(ids)
    [decided] = [e for e in await awards.published() if e.type == AwardDecided.event_type]  # the worker applied it
    await awards.receive(decided)  # delivered again
    await awards.decide(ids)  # and the chairman's request retried

    [paid] = await awards.repos.fund.find(SCOPE, {})
    assert (paid["kind"], paid["amount"], paid["delta"], paid["on"]) == (
        "decision_payment",
        TOTAL,
        -TOTAL,
        "2025-12-10",
    )
    assert (paid["decision_id"], paid["reference"]) == (decision["_id"], "125/QĐ-UBND")
    # the fund holds nothing yet: the payment is recorded all the same, with a warning
    balance = await fund.balance(repos=awards.repos, scope=SCOPE)
    assert balance.amount == -TOTAL
    assert balance.warning is not None
    assert "âm 1.070.000 đồng" in balance.warning
    assert (await fund.balance(repos=awards.repos, scope=TAM_DIEP_SCOPE)).amount == 0  # another commune's fund


async def test_a_payment_lost_between_two_writes_is_recorded_by_the_worker(
    council: tuple[Awards, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    awards, ids = council

    async def crashed(**_: object) -> bool:
        return False

    monkeypatch.setattr("awards.service.decisions.record_payment", crashed)  # the API stops after the decision
    decision, _ = await awards.decide(ids)
    assert await awards.repos.fund.find(SCOPE, {}) == []
    monkeypatch.undo()

    await awards.published()  # the worker applies award.decided

    assert [(m["decision_id"], m["amount"]) for m in await awards.repos.fund.find(SCOPE, {})] == [
        (decision["_id"], TOTAL)
    ]


async def test_receipts_and_expenses_make_the_balance_listed_newest_first() -> None:
    awards = Awards()
    entries = (
        MovementRequest(on=date(2025, 1, 15), kind="allocation", amount=5_000_000, description="Ngân sách xã cấp",
                        reference="QĐ 3/QĐ-UBND"),
        MovementRequest(on=date(2025, 3, 2), kind="other_income", amount=200_000, description="Ủng hộ"),
        MovementRequest(on=date(2025, 2, 1), kind="other_expense", amount=300_000, description="In giấy khen"),
    )  # fmt: skip
    after = []
    for request in entries:
        movement, balance = await fund.record_movement(
            repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request
        )
        assert movement["audit"][0]["actor"] == OFFICER.user_id
        after.append((balance.amount, balance.warning))

    assert after == [(5_000_000, None), (5_200_000, None), (4_900_000, None)]
    page, total, balance = await fund.movements(repos=awards.repos, scope=SCOPE, skip=0, limit=2)
    assert ([m["on"] for m in page], total, balance.amount) == (["2025-03-02", "2025-02-01"], 3, 4_900_000)
    rest, _, _ = await fund.movements(repos=awards.repos, scope=SCOPE, skip=2, limit=2)
    assert [m["on"] for m in rest] == ["2025-01-15"]
    assert (await fund.movements(repos=awards.repos, scope=TAM_DIEP_SCOPE, skip=0, limit=10))[:2] == ([], 0)


async def test_a_movement_on_a_day_to_come_is_refused() -> None:
    request = MovementRequest(on=date(2999, 1, 1), kind="allocation", amount=1, description="Sai ngày")
    with pytest.raises(Unprocessable) as refused:
        await fund.record_movement(repos=Awards().repos, principal=OFFICER, scope=SCOPE, request=request)
    assert refused.value.extensions["errors"][0]["field"] == "on"


async def test_no_movement_for_the_provinces_awards() -> None:
    world = await World.after_the_council()  # a decision, and two proposals for the province's Bằng khen
    movements = await world.awards.repos.fund.find(SCOPE, {})
    assert [m["decision_id"] for m in movements] == [world.decision["_id"]]


async def test_the_payment_list_adds_up(council: tuple[Awards, list[str]]) -> None:
    awards, ids = council
    decision, _ = await awards.decide(ids)

    content = await payments.payment_list(repos=awards.repos, scope=SCOPE, decision_id=decision["_id"])

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    header = " ".join(str(row[0]) for row in cells[:5])
    for expected in ("ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "DANH SÁCH CHI TIỀN THƯỞNG", "Quyết định số 125/QĐ-UBND ngày "
                     "10/12/2025", "Giấy khen của Chủ tịch UBND xã"):  # fmt: skip
        assert expected in header
    top = next(i for i, row in enumerate(cells) if row[0] == "STT")
    assert cells[top] == ("STT", "Họ và tên / Tên tập thể", "Đơn vị", "Số tiền (đồng)", "Ký nhận")
    rows = cells[top + 1 : top + 3]
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        (1, SCHOOL.name, SCHOOL_PRIZE, None),
        (2, TEACHER.name, TEACHER_PRIZE, None),
    ]
    total_row = cells[top + 3]
    assert total_row[1] == "Tổng cộng"
    assert isinstance(total_row[3], int)
    amounts = [r[3] for r in rows if isinstance(r[3], int)]
    assert total_row[3] == sum(amounts) == decision.get("prize", {}).get("total") == TOTAL
    assert cells[top + 4][0] == "Bằng chữ: Một triệu không trăm bảy mươi nghìn đồng"


async def test_the_payment_list_is_the_communes_and_only_of_a_decision_with_prize_money(
    council: tuple[Awards, list[str]],
) -> None:
    awards, ids = council
    decision, _ = await awards.decide(ids)
    for scope, decision_id in ((TAM_DIEP_SCOPE, decision["_id"]), (SCOPE, "no-such-decision")):
        with pytest.raises(NotFound):
            await payments.payment_list(repos=awards.repos, scope=scope, decision_id=decision_id)
    await _stored_before_prize_money(awards, decision["_id"])
    with pytest.raises(Conflict):
        await payments.payment_list(repos=awards.repos, scope=SCOPE, decision_id=decision["_id"])


def text_of(pdf: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return " ".join(unicodedata.normalize("NFC", "\n".join(pages)).split())


async def test_article_2_states_the_amounts_and_the_list_their_total(
    council: tuple[Awards, list[str]], fonts: Path
) -> None:
    awards, ids = council
    decision, _ = await awards.decide(ids)

    text = text_of(await documents.decision(repos=awards.repos, scope=SCOPE, decision_id=decision["_id"], fonts=fonts))

    assert (
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Kèm theo Giấy khen của Chủ tịch UBND xã, mỗi tập thể được "
        "thưởng 710.000 đồng (0,3 lần mức lương cơ sở), mỗi cá nhân được thưởng 360.000 đồng (0,15 lần mức lương cơ "
        "sở); tổng số tiền thưởng: 1.070.000 đồng (Bằng chữ: Một triệu không trăm bảy mươi nghìn đồng). Nguồn kinh "
        "phí: Quỹ thi đua, khen thưởng của xã."
    ) in text
    assert "Số tiền (đồng)" in text
    assert "Tổng cộng 1.070.000" in text
    assert "710.000" in text.split("DANH SÁCH")[1]
    assert "360.000" in text.split("DANH SÁCH")[1]


async def test_a_decision_stored_before_prize_money_still_renders(
    council: tuple[Awards, list[str]], fonts: Path
) -> None:
    awards, ids = council
    decision, _ = await awards.decide(ids)
    await _stored_before_prize_money(awards, decision["_id"])

    text = text_of(await documents.decision(repos=awards.repos, scope=SCOPE, decision_id=decision["_id"], fonts=fonts))

    assert "Kèm theo Giấy khen của Chủ tịch UBND xã là tiền thưởng theo quy định hiện hành." in text
    assert "Số tiền (đồng)" not in text
    assert "Tổng cộng" not in text


async def _stored_before_prize_money(awards: Awards, decision_id: str) -> None:
    """The decision as code before prize money stored it: no prize, no amounts."""
    collection = awards.repos.decisions.collection
    stored = await collection.find_one({"_id": decision_id})
    assert stored is not None
    stored.pop("prize")
    for row in stored["recipients"]:
        row.pop("amount")
    await collection.replace_one({"_id": decision_id}, stored)
