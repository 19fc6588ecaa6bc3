"""Who sees and changes which dossiers, without servers: a submitter only their own units' and people's, province
staff one commune at a time and nothing to file, every list kept to one commune and paged (submissions' own use cases
and repositories on an in-memory database, thidua_platform.memory)."""

from __future__ import annotations

import pytest

from submissions.domain.submission import WithdrawRequest
from submissions.service import submission_lifecycle, submissions
from thidua_platform.problems import Forbidden, NotFound, Unprocessable

from .province import KIM_SON, KIM_SON_OFFICER, STAFF, SUBMITTER, Province, fields


@pytest.fixture
async def province() -> Province:
    return await Province.opened()


async def test_a_submitter_acts_only_for_their_own_units_and_their_people(province: Province) -> None:
    """Another unit's dossier looks missing to them (no probing), as does acting for another unit."""
    own = await province.entrant("Thôn Đông Hưng", focal_users=["lm.submitter"])
    person = await province.entrant("Nguyễn Thị Hoa", group="d1", unit_id=own["_id"], position="Trưởng thôn")
    other = await province.entrant("Thôn Tây Hưng")
    others_dossier = await province.dossier(other)

    mine = await province.dossier(own, by=SUBMITTER)
    theirs = await province.dossier(person, by=SUBMITTER)
    with pytest.raises(NotFound):
        await province.dossier(other, by=SUBMITTER)
    submitter = await province.actor(SUBMITTER)
    with pytest.raises(NotFound):
        await submissions.get_submission(repos=province.repos, actor=submitter, submission_id=others_dossier["_id"])
    with pytest.raises(NotFound):
        await submission_lifecycle.withdraw(
            repos=province.repos, actor=submitter, submission_id=others_dossier["_id"], request=WithdrawRequest()
        )

    found, total = await province.listed(submitter)
    assert (sorted(found), total) == (sorted([mine["_id"], theirs["_id"]]), 2)
    _, everyone = await province.listed(await province.actor())
    assert everyone == 3


async def test_province_staff_file_no_dossier(province: Province) -> None:
    with pytest.raises(Forbidden):
        await province.actor(STAFF)


async def test_lists_are_paged_newest_first_and_kept_to_one_commune(province: Province) -> None:
    await province.open_commune(KIM_SON_OFFICER)
    made = [await province.dossier(await province.entrant(name)) for name in ("Thôn Một", "Thôn Hai", "Thôn Ba")]
    elsewhere = await province.dossier(
        await province.entrant("Thôn Kim Sơn", officer=KIM_SON_OFFICER), by=KIM_SON_OFFICER
    )
    officer = await province.actor()

    first, total = await province.listed(officer, page=1, page_size=2)
    second, _ = await province.listed(officer, page=2, page_size=2)

    assert total == 3
    assert first + second == [d["_id"] for d in reversed(made)]
    with pytest.raises(NotFound):
        await submissions.get_submission(repos=province.repos, actor=officer, submission_id=elsewhere["_id"])
    # a commune user reads their own commune, whatever they name
    assert (await province.listed(officer.within(KIM_SON)))[1] == 3


async def test_province_staff_read_one_commune_at_a_time(province: Province) -> None:
    await province.open_commune(KIM_SON_OFFICER)
    await province.dossier(await province.entrant("Thôn Đông Hưng"))
    elsewhere = await province.dossier(
        await province.entrant("Thôn Kim Sơn", officer=KIM_SON_OFFICER), by=KIM_SON_OFFICER
    )
    staff = await province.reader(STAFF)

    with pytest.raises(Unprocessable) as refused:
        staff.within(None)
    assert fields(refused.value) == ["commune"]
    assert await province.listed(staff.within(KIM_SON)) == ([elsewhere["_id"]], 1)
    read = await submissions.get_submission(repos=province.repos, actor=staff, submission_id=elsewhere["_id"])
    assert read["tenant"] == KIM_SON
