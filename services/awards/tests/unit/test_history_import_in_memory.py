"""Importing the award history from the commune's workbook (awards.service.history_import), on the service's own
repositories over an in-memory database (in_memory.py): all rows or none, every fault named by row and column, the
same file twice records nothing new, only the commune's own entrants; and what is imported counts toward the
prerequisites of a rule."""

from __future__ import annotations

from typing import Any

import pytest

from awards.domain.rules import AwardRule
from awards.service.candidates import EvaluateRequest, evaluate_list
from awards.service.history_import import import_history, known_entrants
from awards.service.province_rules import set_rule
from awards.service.standing import PastAwardInput, record_past_award
from thidua_contracts.roles import Role
from thidua_contracts.testing import entrant, envelope_of, submission_submitted
from thidua_platform.problems import Unprocessable
from thidua_platform.tenancy import Scope

from .history_workbooks import SCHOOL, VILLAGE, row, workbook
from .in_memory import OFFICER, PERIOD, SCOPE, TAM_DIEP, Awards, member


@pytest.fixture
async def awards() -> Awards:
    """xã Liên Minh knows the village (its final score) and the school (its dossier)."""
    awards = Awards()
    await awards.scored(VILLAGE["id"], 70.0, name=VILLAGE["name"])
    school = entrant(id=SCHOOL["id"], name=SCHOOL["name"], target_group="c")
    await awards.receive(envelope_of(submission_submitted(f"s-{school.id}", period=PERIOD, entrant=school)))
    return awards


GOOD = [
    row(),
    row(award_form="GIAY_KHEN", level="xã", number="45/QĐ-UBND", signed_on="15/01/2024", issuer="Chủ tịch UBND xã"),
    row(award_form="GIAY_KHEN", level="xã", number="46/QĐ-UBND", signed_on="15/01/2024", issuer="Chủ tịch UBND xã"),
    row(
        SCHOOL,
        award_form="TAP_THE_LDXS",
        level="tỉnh",
        period=2023,
        signed_on="10/01/2024",
        issuer="Chủ tịch UBND tỉnh",
    ),
    row(SCHOOL, award_form="OTHER", award_name="Kỷ niệm chương", level="bộ", issuer="Bộ trưởng Bộ Giáo dục"),
]


async def imported(awards: Awards, data: bytes, scope: Scope = SCOPE) -> tuple[int, int]:
    report = await import_history(repos=awards.repos, principal=OFFICER, scope=scope, data=data)
    return report.recorded, report.already_present


async def history(awards: Awards, scope: Scope = SCOPE) -> list[dict[str, Any]]:
    return [dict(h) for h in await awards.repos.history.find(scope, {})]


async def refused(awards: Awards, data: bytes, scope: Scope = SCOPE) -> list[dict[str, Any]]:
    with pytest.raises(Unprocessable) as caught:
        await import_history(repos=awards.repos, principal=OFFICER, scope=scope, data=data)
    errors: list[dict[str, Any]] = caught.value.extensions["errors"]
    return errors


async def test_a_valid_workbook_is_recorded_whole_with_its_issuers_and_audited(awards: Awards) -> None:
    assert await imported(awards, workbook(GOOD)) == (5, 0)

    entries = await history(awards)
    assert sorted((h["entrant"]["id"], h["award_name"], h["level"], h["period"]) for h in entries) == [
        ("e-hamlet", "Giấy khen", "commune", "2024"),
        ("e-hamlet", "Giấy khen", "commune", "2024"),
        ("e-hamlet", "Thôn, tổ dân phố văn hóa", "district", "2024"),
        ("e-school", "Kỷ niệm chương", "ministry", "2024"),
        ("e-school", "Tập thể lao động xuất sắc", "province", "2023"),
    ]
    village = next(h for h in entries if h["award_form"] == "THON_VAN_HOA")
    assert village["decision"] == {
        "number": "1520/QĐ-UBND",
        "signed_on": "2024-12-20",
        "issuer": "Chủ tịch UBND huyện Kim Sơn",
    }
    assert village["entrant"]["name"] == "Thôn Đông Hưng"  # as the commune knows it
    assert {h["source"]["kind"] for h in entries} == {"imported"}
    assert all([a["action"] for a in h["audit"]] == ["award_recorded"] for h in entries)
    assert all(h["audit"][0]["actor"] == OFFICER.user_id for h in entries)


async def test_the_same_workbook_twice_records_nothing_new(awards: Awards) -> None:
    data = workbook(GOOD)
    await imported(awards, data)
    assert await imported(awards, data) == (0, 5)
    assert await imported(awards, workbook(GOOD[:2])) == (0, 2)  # part of it, in another file
    assert len(await history(awards)) == 5


async def test_one_wrong_row_records_nothing_and_every_fault_is_named(awards: Awards) -> None:
    rows = [
        *GOOD,
        row(signed_on="2024/12/20"),  # row 7: a date as text in another format
        row(level="huyện", signed_on="01/07/2025", period=2025, number="9/QĐ"),  # row 8: no district any more
        row(entrant_name="Thôn Tây Sơn"),  # row 9: not the name of the id
        row(award_form="LAO_DONG_TIEN_TIEN", number="10/QĐ"),  # row 10: a person's title for a village
        row(award_form="OTHER", number="11/QĐ", level="tỉnh"),  # row 11: OTHER without its name
        row(signed_on="01/01/2099", period=2024, number="12/QĐ"),  # row 12: a future date
        row(),  # row 13: row 2 again
        row(award_form="LAO_DONG", number="13/QĐ"),  # row 14: no such code
    ]
    errors = await refused(awards, workbook(rows))

    assert [(e["row"], e["column"]) for e in errors] == [
        (7, "Ngày ký"),
        (8, "Cấp"),
        (9, "Tên đối tượng"),
        (10, "Mã hình thức"),
        (11, "Tên hình thức"),
        (12, "Ngày ký"),
        (13, None),
        (14, "Mã hình thức"),
    ]
    messages = [e["message"] for e in errors]
    assert "dd/mm/yyyy" in messages[0]
    assert "01/7/2025" in messages[1]
    assert "Thôn Đông Hưng" in messages[2]
    assert "không tặng cho tập thể" in messages[3]
    assert "OTHER" in messages[4]
    assert "hôm nay" in messages[5]
    assert "dòng 2" in messages[6]
    assert messages[7].startswith("Mã không có ở trang “Hình thức”")
    assert all(" / " in m for m in messages)  # Vietnamese / English
    assert errors[0]["field"] == "row 7: Ngày ký"
    assert await history(awards) == []


async def test_another_communes_entrant_or_an_unknown_id_is_refused(awards: Awards) -> None:
    errors = await refused(awards, workbook([row()]), scope=TAM_DIEP)  # Tam Điệp never filed the village's dossier
    assert [(e["row"], e["column"]) for e in errors] == [(2, "Mã đối tượng")]
    assert "e-hamlet" in errors[0]["message"]
    errors = await refused(awards, workbook([row(), row(entrant_id="e-nobody", entrant_name="Ai đó")]))
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Mã đối tượng")]
    assert await history(awards) == []
    assert await history(awards, TAM_DIEP) == []


async def test_a_file_that_is_no_workbook_is_refused_whole(awards: Awards) -> None:
    for data in (b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)):
        errors = await refused(awards, data)
        assert [(e["field"], e["row"], e["column"]) for e in errors] == [("file", None, None)]


async def test_the_entrants_known_are_the_communes_own_under_every_name_they_were_filed(awards: Awards) -> None:
    renamed = entrant(id=VILLAGE["id"], name="Thôn Đông Hưng Mới")
    await awards.receive(envelope_of(submission_submitted("s-renamed", period=PERIOD, entrant=renamed)))

    known = await known_entrants(repos=awards.repos, scope=SCOPE, entrant_ids=[VILLAGE["id"], "e-nobody"])
    assert {e["name"] for e in known[VILLAGE["id"]]} == {"Thôn Đông Hưng", "Thôn Đông Hưng Mới"}
    assert "e-nobody" not in known
    assert await known_entrants(repos=awards.repos, scope=TAM_DIEP, entrant_ids=[VILLAGE["id"]]) == {}
    assert await imported(awards, workbook([row(entrant_name="thôn đông hưng mới")])) == (1, 0)


async def test_an_imported_title_counts_toward_a_rule_that_asks_for_it(awards: Awards) -> None:
    admin = member("nb.admin", Role.PROVINCE_ADMIN)
    earlier = {"form": "THON_VAN_HOA", "count": 2, "within_years": 3}
    rule = {"form": "GIAY_KHEN_XA", "round": "yearly", "minimum_total": 60, "prerequisites": [earlier]}
    await set_rule(repos=awards.repos, principal=admin, rule=AwardRule.model_validate(rule))
    request = EvaluateRequest(period=PERIOD, award_form="GIAY_KHEN_XA")

    async def verdict() -> dict[str, Any]:
        rows = await evaluate_list(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request)
        return next(r for r in rows if r["entrant"]["id"] == VILLAGE["id"])

    assert not (await verdict())["eligible"]
    too_old = row(period=2022, number="1/QĐ", signed_on="20/12/2022")
    await imported(awards, workbook([row(), too_old]))
    assert (await verdict())["reasons"] == ["chưa có 2 lần Thôn, tổ dân phố văn hóa trong 3 năm gần nhất / "
                                            "missing a prerequisite award"]  # fmt: skip
    award = PastAwardInput.model_validate(
        {
            "entrant": {**VILLAGE, "kind": "collective", "target_group": "a"},
            "award_form": "THON_VAN_HOA",
            "period": "2025",
            "number": "2/QĐ-UBND",
            "signed_on": "2025-12-30",
            "issuer": "Chủ tịch UBND xã Liên Minh",
        }
    )
    await record_past_award(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=award)
    assert (await verdict())["eligible"]
