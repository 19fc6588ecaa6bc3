"""Every entrant is announced (`entrant.recorded`) through the outbox on the real database: with its insert when
created, and once by the worker's announcement when it was created before the event existed (issue #20)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook
from pymongo.asynchronous.database import AsyncDatabase

from submissions.repository import ENTRANTS, Repositories, ensure_indexes, repositories
from submissions.service.access import Actor
from submissions.service.entrants import NewEntrant, announce_earlier, create_entrant, import_workbook
from thidua_contracts.submissions import EntrantRecorded
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.mongo import Document
from thidua_platform.outbox import CHANGES
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

SCOPE = Scope(tenant=LIEN_MINH, province="37")
OFFICER = Actor(
    Principal(
        user_id="u-officer",
        username="lm.officer",
        roles=frozenset({"commune_officer"}),
        tenant=LIEN_MINH,
        province="37",
    ),
    SCOPE,
    None,
)


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    async with scratch_database() as database:
        await ensure_indexes(database)
        yield database


@pytest.fixture
def repos(database: AsyncDatabase[Document]) -> Repositories:
    return repositories(database)


async def announced(database: AsyncDatabase[Document], entrant_id: str) -> list[Envelope]:
    """The `entrant.recorded` events the change records of the entrant carry (the outbox before the relay)."""
    found = []
    async for record in database[CHANGES].find({"collection": ENTRANTS, "aggregate_id": entrant_id}):
        found += [Envelope.model_validate(event) for event in record["events"]]
    assert all(event.type == EntrantRecorded.event_type for event in found)
    return found


def earlier(entrant_id: str, name: str, **fields: Any) -> Document:
    """An entrant as the service wrote it before `entrant.recorded` existed: no event, no `announced_at`."""
    return {
        "_id": entrant_id,
        "tenant": LIEN_MINH,
        "province": "37",
        "natural_key": f"{LIEN_MINH}|collective|{name.casefold()}|",
        "name": name,
        "kind": "collective",
        "target_group": "a",
        "unit_type": "thôn",
        "unit_id": None,
        "position": None,
        "focal_users": [],
        "created_by": "u-officer",
        "created_at": "2025-02-01T00:00:00Z",
        "audit": [{"at": "2025-02-01T00:00:00Z", "actor": "u-officer", "action": "created", "changes": {}}],
        "revision": 1,
        "applied_changes": [],
        **fields,
    }


async def test_a_created_entrant_is_announced_with_its_insert_and_nothing_personal(
    database: AsyncDatabase[Document], repos: Repositories
) -> None:
    unit = await create_entrant(
        repos=repos, actor=OFFICER, entrant=NewEntrant(name="Thôn Đông Hưng", kind="collective", target_group="a")
    )
    person = await create_entrant(
        repos=repos,
        actor=OFFICER,
        entrant=NewEntrant(
            name="Nguyễn Thị Hoa", kind="individual", target_group="d1", unit_id=unit["_id"], position="Trưởng thôn"
        ),
    )
    (event,) = await announced(database, person["_id"])
    assert (event.tenant, event.province, event.subject) == (LIEN_MINH, "37", person["_id"])
    assert event.data == {
        "entrant_id": person["_id"],
        "kind": "individual",
        "target_group": "d1",
        "unit_id": unit["_id"],
    }
    assert "Nguyễn Thị Hoa" not in event.model_dump_json()
    assert "Trưởng thôn" not in event.model_dump_json()
    assert len(await announced(database, unit["_id"])) == 1
    assert "announced_at" in person
    assert person["revision"] == len(person["audit"]) == 1
    assert await announce_earlier(repos=repos) == 0  # nothing created before the event


async def test_an_imported_entrant_is_announced_and_a_second_import_announces_nothing(
    database: AsyncDatabase[Document], repos: Repositories
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên", "Loại", "Nhóm", "Thuộc đơn vị", "Chức vụ"])
    sheet.append(["Thôn Bắc Sơn", "Tập thể", "a", None, None])
    sheet.append(["Lê Văn Cường", "Cá nhân", "d1", "Thôn Bắc Sơn", "Công an viên"])
    out = BytesIO()
    book.save(out)
    first = await import_workbook(repos=repos, actor=OFFICER, data=out.getvalue(), skip_invalid=False)
    again = await import_workbook(repos=repos, actor=OFFICER, data=out.getvalue(), skip_invalid=False)
    assert (first.imported, again.imported, again.already_present) == (2, 0, 2)
    entrants = await repos.entrants.find(SCOPE, {})
    assert len(entrants) == 2
    for entrant in entrants:
        (event,) = await announced(database, entrant["_id"])
        assert event.payload(EntrantRecorded).kind == entrant["kind"]


async def test_entrants_from_before_the_event_are_announced_once(
    database: AsyncDatabase[Document], repos: Repositories
) -> None:
    await database[ENTRANTS].insert_many(
        [earlier("e-old-1", "Thôn Trung"), earlier("e-old-2", "Thôn Nam", tenant="ph-51-son-mai", province="51")]
    )
    assert await announce_earlier(repos=repos) == 2
    (event,) = await announced(database, "e-old-2")
    assert (event.tenant, event.province) == ("ph-51-son-mai", "51")
    assert event.data == {"entrant_id": "e-old-2", "kind": "collective", "target_group": "a", "unit_id": None}
    stored = await repos.entrants.get(SCOPE, "e-old-1")
    assert stored is not None
    assert "announced_at" in stored
    assert stored["revision"] == len(stored["audit"]) == 2
    assert stored["audit"][-1]["actor"] == "system:announce"
    assert stored["audit"][-1]["action"] == "announced"
    # a restart (or a second worker) finds nothing left to announce
    assert await announce_earlier(repos=repos) == 0
    assert len(await announced(database, "e-old-1")) == 1
