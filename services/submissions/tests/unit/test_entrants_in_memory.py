"""A commune's entrants (made one by one or imported from a workbook) and their registrations for a period, without
servers: submissions' own use cases and repositories on an in-memory database, the events its outbox relays read off
an in-process bus (thidua_platform.memory)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook

from submissions.domain.aggregates import Entrant
from submissions.domain.workbook.template import TEMPLATE_HEADERS
from submissions.service.access import Actor
from submissions.service.entrants import (
    NewEntrant,
    announce_earlier,
    create_entrant,
    import_workbook,
    list_entrants,
    natural_key,
)
from submissions.service.registrations import NewRegistration, list_registrations, register, registration_counts
from thidua_contracts.submissions import EntrantRecorded, RegistrationRecorded
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.audit import now
from thidua_platform.idempotency import idempotency
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, Forbidden, Unprocessable

from .province import KIM_SON, KIM_SON_OFFICER, OFFICER, PROVINCE, SCOPE, STAFF, SUBMITTER, Province, fields, types

PAGE = PageRequest()


@pytest.fixture
async def province() -> Province:
    return await Province.opened()


def workbook(*rows: tuple[str, ...]) -> bytes:
    """An entrants workbook as officers fill in the template: its header row, then `rows`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (TEMPLATE_HEADERS, *rows):
        sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def names(province: Province, actor: Actor, page: PageRequest = PAGE) -> tuple[list[str], int]:
    found, total = await list_entrants(
        repos=province.repos, actor=actor, group=None, kind=None, unit_id=None, paging=page
    )
    return [e["name"] for e in found], total


async def test_an_entrant_is_recorded_once_per_name_in_the_commune(province: Province) -> None:
    hamlet = await province.entrant("Thôn Đông Hưng", unit_type="thôn", focal_users=["lm.submitter"])

    [event] = await province.events()
    recorded = event.payload(EntrantRecorded)
    assert (event.type, event.tenant, event.subject) == (EntrantRecorded.event_type, LIEN_MINH, hamlet["_id"])
    assert (recorded.entrant_id, recorded.kind, recorded.target_group) == (hamlet["_id"], "collective", "a")
    assert "Đông Hưng" not in event.model_dump_json()  # no names leave the service
    with pytest.raises(Conflict) as again:  # the same name, written otherwise
        await province.entrant("  thôn đông hưng ")
    assert again.value.extensions["existing_id"] == hamlet["_id"]
    elsewhere = await province.entrant("Thôn Đông Hưng", officer=KIM_SON_OFFICER)  # another commune's own
    assert (elsewhere["tenant"], elsewhere["_id"] != hamlet["_id"]) == (KIM_SON, True)


async def test_a_person_belongs_to_a_collective_of_the_commune(province: Province) -> None:
    elsewhere = await province.entrant("Thôn Kim Sơn", officer=KIM_SON_OFFICER)
    await province.events()

    with pytest.raises(Unprocessable) as refused:
        await province.entrant("Nguyễn Thị Hoa", group="d1", unit_id=elsewhere["_id"])

    assert fields(refused.value) == ["unit_id"]
    assert await province.events() == []


async def test_only_the_officer_records_entrants(province: Province) -> None:
    await province.entrant("Thôn Đông Hưng", focal_users=["lm.submitter"])
    request = NewEntrant(name="Thôn Tây Hưng", kind="collective", target_group="a")
    with pytest.raises(Forbidden):
        await create_entrant(repos=province.repos, actor=await province.actor(SUBMITTER), entrant=request)


async def test_entrants_are_listed_by_name_and_a_submitter_sees_their_units_and_people(province: Province) -> None:
    own = await province.entrant("Thôn Đông Hưng", focal_users=["lm.submitter"])
    await province.entrant("Nguyễn Thị Hoa", group="d1", unit_id=own["_id"])
    await province.entrant("Ấp Bắc")
    await province.entrant("Bến Tre Hội Nông dân", group="b")

    first, total = await names(province, await province.actor(), PageRequest(page=1, page_size=2))
    rest, _ = await names(province, await province.actor(), PageRequest(page=2, page_size=2))

    assert total == 4
    assert len(first + rest) == 4
    assert set(first).isdisjoint(rest)
    assert await names(province, await province.actor(SUBMITTER)) == (["Nguyễn Thị Hoa", "Thôn Đông Hưng"], 2)


async def test_a_workbook_is_imported_once_with_each_person_in_their_unit(province: Province) -> None:
    existing = await province.entrant("Thôn Tây Hưng")
    await province.events()
    data = workbook(
        ("Thôn Đông", "Tập thể", "a", "thôn", "", "", "lm.submitter"),
        ("Nguyễn Văn An", "Cá nhân", "d1", "", "Thôn Đông", "Trưởng thôn", ""),
        ("Trần Thị Bình", "Cá nhân", "d2", "", "Thôn Tây Hưng", "", ""),
    )

    report = await import_workbook(repos=province.repos, actor=await province.actor(), data=data, skip_invalid=False)

    assert (report.imported, report.already_present, report.skipped) == (3, 0, 0)
    events = await province.events()
    assert types(events) == [EntrantRecorded.event_type] * 3
    units = {e.payload(EntrantRecorded).unit_id for e in events}
    [hamlet] = await province.repos.entrants.by_natural_keys(
        SCOPE, [natural_key(LIEN_MINH, "collective", "Thôn Đông", None)]
    )
    assert units == {None, hamlet["_id"], existing["_id"]}
    assert hamlet["focal_users"] == ["lm.submitter"]

    again = await import_workbook(repos=province.repos, actor=await province.actor(), data=data, skip_invalid=False)
    assert (again.imported, again.already_present) == (0, 3)
    assert await province.events() == []


async def test_a_workbook_with_errors_imports_nothing_unless_asked_to_skip_them(province: Province) -> None:
    data = workbook(
        ("Thôn Đông", "Tập thể", "a", "thôn", "", "", ""),
        ("Lê Văn Cường", "Cá nhân", "d1", "", "Thôn Không Có", "", ""),
    )
    actor = await province.actor()

    with pytest.raises(Unprocessable) as refused:
        await import_workbook(repos=province.repos, actor=actor, data=data, skip_invalid=False)
    assert fields(refused.value) == ["row 3: Đơn vị"]
    assert await names(province, actor) == ([], 0)

    report = await import_workbook(repos=province.repos, actor=actor, data=data, skip_invalid=True)
    assert (report.imported, report.skipped, [e.row for e in report.errors]) == (1, 1, [3])
    assert await names(province, actor) == (["Thôn Đông"], 1)
    with pytest.raises(Unprocessable) as unreadable:
        await import_workbook(repos=province.repos, actor=actor, data=b"not a workbook", skip_invalid=False)
    assert fields(unreadable.value) == ["body"]


async def test_entrants_made_before_the_event_existed_are_announced_once(province: Province) -> None:
    old: Entrant = {  # as stored before `entrant.recorded` existed: no `announced_at`
        "_id": "e-old",
        "tenant": LIEN_MINH,
        "province": PROVINCE,
        "natural_key": natural_key(LIEN_MINH, "collective", "Thôn Cũ", None),
        "name": "Thôn Cũ",
        "kind": "collective",
        "target_group": "b",
        "unit_type": None,
        "unit_id": None,
        "position": None,
        "focal_users": [],
        "created_by": "u-officer",
        "created_at": now(),
    }
    assert await province.repos.entrants.add(old)

    assert await announce_earlier(repos=province.repos) == 1
    [event] = await province.events()
    assert (event.payload(EntrantRecorded).entrant_id, event.payload(EntrantRecorded).target_group) == ("e-old", "b")
    assert await announce_earlier(repos=province.repos) == 0
    assert await province.events() == []


async def registered(
    province: Province, entrant_id: str, *, by: Actor, key: str | None = None, **targets: float
) -> bool:
    """Register the entrant for the open period; whether it was created now."""
    request = NewRegistration(period=province.period, entrant_id=entrant_id, targets=targets)
    _, created = await register(
        repos=province.repos,
        actor=by,
        request=request,
        key=idempotency(by.principal, "registration", key, request.model_dump()),
    )
    return created


async def test_a_registration_is_recorded_with_the_units_own_targets_once(province: Province) -> None:
    hamlet = await province.entrant("Thôn Đông Hưng")
    officer = await province.actor()
    await province.events()

    assert await registered(province, hamlet["_id"], by=officer, key="dang-ky-dong-hung", a1=95)

    [event] = await province.events()
    recorded = event.payload(RegistrationRecorded)
    assert (event.type, recorded.period, recorded.entrant.id) == (
        RegistrationRecorded.event_type,
        province.period,
        hamlet["_id"],
    )
    assert (recorded.targets, recorded.registered_by) == ({"a1": 95}, "u-officer")
    assert not await registered(province, hamlet["_id"], by=officer, key="dang-ky-dong-hung", a1=95)  # a retry
    with pytest.raises(Conflict, match="đã đăng ký"):
        await registered(province, hamlet["_id"], by=officer, a1=99)
    assert await province.events() == []


async def test_a_unit_never_registers_a_target_below_the_communes(province: Province) -> None:
    hamlet = await province.entrant("Thôn Đông Hưng")
    officer = await province.actor()
    await province.events()

    with pytest.raises(Unprocessable) as refused:
        await registered(province, hamlet["_id"], by=officer, a1=70, b1=90)  # a1's target is 80; b1 is group b's

    assert sorted(fields(refused.value)) == ["targets.a1", "targets.b1"]
    request = NewRegistration(period="2025", entrant_id=hamlet["_id"])
    with pytest.raises(Unprocessable) as closed:
        await register(
            repos=province.repos,
            actor=officer,
            request=request,
            key=idempotency(OFFICER, "registration", None, request.model_dump()),
        )
    assert fields(closed.value) == ["period"]  # its window closed in December 2025
    assert await province.events() == []


async def test_registrations_are_counted_per_commune_and_group_within_what_each_may_see(province: Province) -> None:
    await province.open_commune(KIM_SON_OFFICER)
    officer, elsewhere = await province.actor(), await province.actor(KIM_SON_OFFICER)
    own = await province.entrant("Thôn Đông Hưng", focal_users=["lm.submitter"])
    for entrant in (
        own,
        await province.entrant("Thôn Tây Hưng"),
        await province.entrant("Phạm Thu Hà", group="d1", unit_id=own["_id"]),
    ):
        assert await registered(province, entrant["_id"], by=officer)
    assert await registered(
        province, (await province.entrant("Hội Phụ nữ", group="b", officer=KIM_SON_OFFICER))["_id"], by=elsewhere
    )

    counts = await registration_counts(repos=province.repos, actor=officer, period=province.period)
    across = await registration_counts(repos=province.repos, actor=await province.reader(STAFF), period=province.period)
    submitter = await province.actor(SUBMITTER)
    theirs = await registration_counts(repos=province.repos, actor=submitter, period=province.period)

    assert counts == [{"commune": LIEN_MINH, "by_group": {"a": 2, "d1": 1}, "total": 3}]
    assert across == [{"commune": KIM_SON, "by_group": {"b": 1}, "total": 1}, counts[0]]  # by commune code
    assert theirs == [{"commune": LIEN_MINH, "by_group": {"a": 1, "d1": 1}, "total": 2}]
    found, total = await list_registrations(
        repos=province.repos, actor=submitter, period=province.period, group=None, entrant=None, paging=PAGE
    )
    assert (sorted(r["entrant"]["name"] for r in found), total) == (["Phạm Thu Hà", "Thôn Đông Hưng"], 2)
