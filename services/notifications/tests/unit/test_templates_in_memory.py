"""A commune's templates as its officers see them through the API (api/templates.py): a kind's versions with the one
in use first and its sample facts (`in_use`), a preview of a draft or of the template in use with facts of their
choosing (`preview`), and two officers saving at once (`save`); on the service's own repositories in memory."""

from __future__ import annotations

from typing import Any

import pytest

from notifications.domain.templates import BUILTIN, PARTS, SAMPLES, render
from notifications.repository import Repositories
from notifications.service import templates
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.tenancy import Scope

from .in_memory import EDITED, LIEN_MINH_SCOPE, TAM_DIEP, Notifications

TAM_DIEP_SCOPE = Scope(tenant=TAM_DIEP, province="37")
KIND = "submission_returned"


@pytest.fixture
def repos() -> Repositories:
    return Notifications().repos


async def edit(repos: Repositories, parts: dict[str, str], *, kind: str = KIND) -> int:
    saved = await templates.save(
        repos=repos, scope=LIEN_MINH_SCOPE, kind=kind, parts=parts, actor="lm.officer", actor_id="u-lm.officer"
    )
    return saved["version"]


async def stored_versions(repos: Repositories, scope: Scope = LIEN_MINH_SCOPE) -> list[int]:
    return [v["version"] for v in await templates.versions(repos=repos, scope=scope, kind=KIND)]


# --- a kind's versions ----------------------------------------------------------------------------------------------


async def test_a_kind_in_use_lists_the_communes_versions_newest_first_then_the_built_in_with_its_sample_facts(
    repos: Repositories,
) -> None:
    await edit(repos, {**EDITED, "subject_vi": "Trả lại: {{ entrant }}"})
    await edit(repos, EDITED)

    versions, sample = await templates.in_use(repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND)

    assert [(v["version"], v["builtin"]) for v in versions] == [(2, False), (1, False), (0, True)]
    assert versions[0]["subject_vi"] == EDITED["subject_vi"]  # the one in use, first
    assert versions[1]["subject_vi"] == "Trả lại: {{ entrant }}"
    assert versions[-1]["subject_vi"] == BUILTIN[KIND].subject_vi
    assert sample == SAMPLES[KIND]


async def test_a_commune_without_templates_of_its_own_uses_the_built_in_one(repos: Repositories) -> None:
    await edit(repos, EDITED)  # Liên Minh's, not Tam Điệp's

    versions, _sample = await templates.in_use(repos=repos, scope=TAM_DIEP_SCOPE, kind=KIND)

    assert [(v["version"], v["builtin"]) for v in versions] == [(0, True)]


async def test_the_sample_facts_handed_out_are_a_copy_the_caller_cannot_spoil(repos: Repositories) -> None:
    _versions, sample = await templates.in_use(repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND)
    sample["entrant"] = "đã sửa / changed"

    _versions, again = await templates.in_use(repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND)
    assert again["entrant"] == SAMPLES[KIND]["entrant"] != "đã sửa / changed"


async def test_there_is_no_kind_in_use_of_an_unknown_kind(repos: Repositories) -> None:
    with pytest.raises(NotFound, match="khong_co"):
        await templates.in_use(repos=repos, scope=LIEN_MINH_SCOPE, kind="khong_co")


# --- previews -------------------------------------------------------------------------------------------------------


def nothing_given() -> dict[str, str | None]:
    return dict.fromkeys(PARTS)


async def test_a_preview_of_nothing_given_shows_the_template_in_use_with_the_sample_facts(repos: Repositories) -> None:
    rendered, facts = await templates.preview(
        repos=repos, scope=TAM_DIEP_SCOPE, kind=KIND, parts=nothing_given(), facts=None
    )

    assert rendered == render(BUILTIN[KIND], SAMPLES[KIND])
    assert facts == SAMPLES[KIND]


async def test_a_preview_takes_the_parts_not_given_from_the_communes_template_and_the_facts_given_over_the_sample(
    repos: Repositories,
) -> None:
    await edit(repos, EDITED)
    draft = {**nothing_given(), "subject_vi": "Bản nháp: {{ entrant }} ({{ period }})"}
    given: dict[str, Any] = {"entrant": "Thôn Bắc Sơn"}

    rendered, facts = await templates.preview(repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND, parts=draft, facts=given)

    assert facts == {**SAMPLES[KIND], "entrant": "Thôn Bắc Sơn"}  # the facts it was rendered with, shown back
    assert rendered.subject_vi == f"Bản nháp: Thôn Bắc Sơn ({SAMPLES[KIND]['period']})"  # the draft
    assert rendered.subject_en == "Thôn Bắc Sơn: please correct"  # the commune's version 1, not the built-in one
    assert rendered.body_vi == "* Thiếu biên bản nghiệm thu\n* Ký sai"
    assert await stored_versions(repos) == [1, 0]  # nothing stored


async def test_a_preview_of_a_broken_draft_is_refused_naming_its_part_and_stores_nothing(repos: Repositories) -> None:
    draft = {**nothing_given(), "body_en": "Hello\n{% for r in reasons %}{{ r.reason }}"}

    with pytest.raises(Unprocessable) as refused:
        await templates.preview(repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND, parts=draft, facts=None)

    [error] = refused.value.extensions["errors"]
    assert error["field"] == "body_en"
    assert "line 2" in error["message"]
    assert await stored_versions(repos) == [0]


async def test_a_preview_naming_a_fact_neither_given_nor_in_the_sample_is_refused(repos: Repositories) -> None:
    draft = {**nothing_given(), "subject_vi": "{{ entrant }}: {{ khong_co }}"}

    with pytest.raises(Unprocessable) as refused:
        await templates.preview(repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND, parts=draft, facts=None)
    assert [e["field"] for e in refused.value.extensions["errors"]] == ["subject_vi"]

    rendered, _facts = await templates.preview(
        repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND, parts=draft, facts={"khong_co": "có / given"}
    )
    assert rendered.subject_vi == f"{SAMPLES[KIND]['entrant']}: có / given"


async def test_there_is_no_preview_of_an_unknown_kind(repos: Repositories) -> None:
    with pytest.raises(NotFound):
        await templates.preview(repos=repos, scope=LIEN_MINH_SCOPE, kind="khong_co", parts=nothing_given(), facts=None)


# --- two officers saving at once ------------------------------------------------------------------------------------


async def test_two_officers_saving_at_once_get_two_versions_never_one_lost_write(
    repos: Repositories, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second read the latest version before the first stored version 1: its version 1 is refused (inserted
    once), and it reads again and stores version 2."""
    await edit(repos, {**EDITED, "subject_vi": "Người thứ nhất: {{ entrant }}"})
    latest = repos.templates.latest
    stale = [None]  # what the second officer read before the first one's version was stored

    async def read(scope: Scope, kind: str) -> Any:
        return stale.pop() if stale else await latest(scope, kind)

    monkeypatch.setattr(repos.templates, "latest", read)
    assert await edit(repos, {**EDITED, "subject_vi": "Người thứ hai: {{ entrant }}"}) == 2

    versions = await templates.versions(repos=repos, scope=LIEN_MINH_SCOPE, kind=KIND)
    assert [(v["version"], v["subject_vi"]) for v in versions[:2]] == [
        (2, "Người thứ hai: {{ entrant }}"),
        (1, "Người thứ nhất: {{ entrant }}"),
    ]


async def test_a_save_that_keeps_losing_the_race_is_a_conflict_to_try_again(
    repos: Repositories, monkeypatch: pytest.MonkeyPatch
) -> None:
    await edit(repos, EDITED)

    async def never_current(_scope: Scope, _kind: str) -> None:  # others always store the version it computes
        return None

    monkeypatch.setattr(repos.templates, "latest", never_current)
    with pytest.raises(Conflict, match="try again"):
        await edit(repos, {**EDITED, "subject_vi": "Mất / Lost: {{ entrant }}"})

    monkeypatch.undo()
    assert await stored_versions(repos) == [1, 0]
