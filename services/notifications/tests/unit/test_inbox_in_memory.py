"""What people do in the service themselves: read their inbox, choose their channels, and (officers) edit their
commune's templates; each use case on the service's own repositories in memory, the messages put there by the
worker's handlers as events arrive (in_memory.Notifications)."""

from __future__ import annotations

import pytest

from notifications.domain.delivery import Preferences
from notifications.service import inbox, templates
from notifications.service.preferences import gateway, preferences_of, set_preferences
from thidua_contracts.roles import Role
from thidua_platform.problems import NotFound, Unprocessable
from thidua_platform.tenancy import Scope, read_scope

from . import in_memory
from .in_memory import EDITED, GATEWAY_URL, LIEN_MINH_SCOPE, TAM_DIEP, Notifications

TAM_DIEP_SCOPE = Scope(tenant=TAM_DIEP, province="37")


@pytest.fixture
def service() -> Notifications:
    service = Notifications()
    service.realm.add("lm.submitter", Role.SUBMITTER)
    service.realm.add("lm.submitter2", Role.SUBMITTER)
    service.realm.add("lm.officer", Role.COMMUNE_OFFICER)
    return service


async def returned(service: Notifications, submitted_by: str = "u-lm.submitter", reason: str = "Thiếu chữ ký") -> str:
    """A dossier of the person's returned: a message in their inbox. The dossier's id."""
    return (await service.receive(in_memory.returned(submitted_by, reason=reason))).subject


# --- the inbox ------------------------------------------------------------------------------------------------------


async def test_the_inbox_pages_a_persons_own_messages_newest_first(service: Notifications) -> None:
    dossiers = [await returned(service) for _ in range(5)]
    await returned(service, "u-lm.submitter2")
    me = service.principal("lm.submitter")

    pages = []
    for skip in (0, 2, 4):
        page, total = await inbox.inbox(
            repository=service.repos.inbox, principal=me, scope=read_scope(me), unread_only=False, skip=skip, limit=2
        )
        assert total == 5  # the other submitter's message is not counted
        pages.append(page)

    assert [len(page) for page in pages] == [2, 2, 1]
    read = [message for page in pages for message in page]
    assert sorted(message["subject"] for message in read) == sorted(dossiers)  # none repeated, none skipped
    times = [message["created_at"] for message in read]
    assert times == sorted(times, reverse=True)


async def test_reading_a_message_lowers_the_unread_count_once(service: Notifications) -> None:
    for _ in range(3):
        await returned(service)
    me = service.principal("lm.submitter")
    repository, scope = service.repos.inbox, read_scope(me)
    assert await inbox.unread_count(repository=repository, principal=me, scope=scope) == 3

    first, *_ = await service.inbox("lm.submitter")
    read = await inbox.mark_read(repository=repository, principal=me, scope=scope, message_id=first["_id"])
    again = await inbox.mark_read(repository=repository, principal=me, scope=scope, message_id=first["_id"])

    assert read["read_at"] is not None
    assert again["read_at"] == read["read_at"]  # read once, when first read
    assert await inbox.unread_count(repository=repository, principal=me, scope=scope) == 2
    unread, total = await inbox.inbox(
        repository=repository, principal=me, scope=scope, unread_only=True, skip=0, limit=10
    )
    assert total == 2
    assert first["_id"] not in {message["_id"] for message in unread}


async def test_nobody_reads_or_marks_another_persons_message(service: Notifications) -> None:
    await returned(service)
    [theirs] = await service.inbox("lm.submitter")
    other = service.principal("lm.submitter2")

    with pytest.raises(NotFound):
        await inbox.mark_read(
            repository=service.repos.inbox, principal=other, scope=read_scope(other), message_id=theirs["_id"]
        )
    assert (await service.inbox("lm.submitter"))[0]["read_at"] is None
    assert await inbox.unread_count(repository=service.repos.inbox, principal=other, scope=read_scope(other)) == 0


# --- preferences and the commune's gateway --------------------------------------------------------------------------


async def test_preferences_are_the_defaults_until_chosen_and_the_last_choice_wins(service: Notifications) -> None:
    me = service.principal("lm.submitter")
    scope = read_scope(me)
    assert await preferences_of(repos=service.repos, scope=scope, principal=me) == Preferences()

    await set_preferences(repos=service.repos, scope=scope, principal=me, chosen=Preferences(email=False))
    daily = Preferences(webhook=True, digest="daily")
    assert await set_preferences(repos=service.repos, scope=scope, principal=me, chosen=daily) == daily

    assert await preferences_of(repos=service.repos, scope=scope, principal=me) == daily
    other = service.principal("lm.submitter2")
    assert await preferences_of(repos=service.repos, scope=read_scope(other), principal=other) == Preferences()
    stored = await service.repos.preferences.get(scope, "u-lm.submitter")
    assert stored is not None
    assert [a["action"] for a in stored.get("audit", [])] == ["preferences.set"] * 2


async def test_a_communes_gateway_is_its_own(service: Notifications) -> None:
    saved = await service.gateway(secret="bí-mật-xã", enabled=False)

    assert (saved["url"], saved["enabled"]) == (GATEWAY_URL, False)
    assert saved["secret"] == "bí-mật-xã"  # kept to sign calls
    assert "bí-mật-xã" not in str(saved.get("audit"))  # never in its audit trail
    assert await gateway(repos=service.repos, scope=TAM_DIEP_SCOPE) is None


@pytest.mark.parametrize(
    "url", ["http://zalo-gateway.example.vn/hook", "https://127.0.0.1/hook", "https://[::1]/hook", "https://10.0.0.7/"]
)
async def test_a_gateway_must_be_https_to_a_public_address_unless_the_deployment_allows_private_ones(
    service: Notifications, url: str
) -> None:
    with pytest.raises(Unprocessable) as refused:
        await service.gateway(secret="s", url=url, allow_private=False)
    assert [e["field"] for e in refused.value.body()["errors"]] == ["url"]
    assert await gateway(repos=service.repos, scope=LIEN_MINH_SCOPE) is None  # nothing stored


# --- templates ------------------------------------------------------------------------------------------------------


async def edit(service: Notifications, parts: dict[str, str], kind: str = "submission_returned") -> int:
    saved = await templates.save(
        repos=service.repos, scope=LIEN_MINH_SCOPE, kind=kind, parts=parts, actor="lm.officer", actor_id="u-lm.officer"
    )
    return saved["version"]


async def test_each_edit_of_a_template_is_a_new_version_and_the_latest_is_used(service: Notifications) -> None:
    assert await edit(service, {**EDITED, "subject_vi": "Trả lại: {{ entrant }}"}) == 1
    assert await edit(service, EDITED) == 2

    kind = "submission_returned"
    listed = await templates.versions(repos=service.repos, scope=LIEN_MINH_SCOPE, kind=kind)
    assert [(v["version"], v["builtin"]) for v in listed] == [(2, False), (1, False), (0, True)]
    assert (await templates.current(repos=service.repos, scope=LIEN_MINH_SCOPE, kind=kind))["version"] == 2
    assert (await templates.current(repos=service.repos, scope=TAM_DIEP_SCOPE, kind=kind))["builtin"] is True

    await returned(service, reason="Thiếu biên bản")
    [message] = await service.inbox("lm.submitter")
    assert (message["title_vi"], message["body_vi"]) == ("Hồ sơ Thôn Đông Hưng cần sửa", "* Thiếu biên bản")


async def test_a_template_with_a_syntax_error_is_refused_naming_its_part(service: Notifications) -> None:
    await edit(service, EDITED)

    with pytest.raises(Unprocessable) as refused:
        await edit(service, {**EDITED, "body_vi": "Xin chào\n{% for r in reasons %}{{ r.reason }}"})

    [error] = refused.value.extensions["errors"]
    assert error["field"] == "body_vi"
    assert "line 2" in error["message"]
    listed = await templates.versions(repos=service.repos, scope=LIEN_MINH_SCOPE, kind="submission_returned")
    assert [v["version"] for v in listed] == [1, 0]  # nothing stored


async def test_a_template_naming_a_fact_the_kind_lacks_is_refused(service: Notifications) -> None:
    with pytest.raises(Unprocessable) as refused:
        await edit(service, {**EDITED, "subject_en": "{{ entrant }} scored {{ total }}"})

    assert [error["field"] for error in refused.value.extensions["errors"]] == ["subject_en"]


async def test_there_is_no_template_of_an_unknown_kind(service: Notifications) -> None:
    with pytest.raises(NotFound):
        await edit(service, EDITED, kind="khong_co")
    with pytest.raises(NotFound):
        await templates.current(repos=service.repos, scope=LIEN_MINH_SCOPE, kind="khong_co")


async def test_a_template_part_too_long_is_refused(service: Notifications) -> None:
    with pytest.raises(Unprocessable) as refused:
        await edit(service, {**EDITED, "body_en": "x" * (templates.MAX_PART + 1)})

    assert [error["field"] for error in refused.value.extensions["errors"]] == ["body_en"]


async def test_a_preview_renders_a_draft_with_the_facts_given_and_stores_nothing(service: Notifications) -> None:
    facts = {**templates.sample("submission_returned"), "entrant": "Thôn Bắc Sơn"}
    _template, rendered = templates.checked("submission_returned", EDITED, facts)

    assert rendered.subject_vi == "Hồ sơ Thôn Bắc Sơn cần sửa"
    assert rendered.body_vi == "* Thiếu biên bản nghiệm thu\n* Ký sai"
    current = await templates.current(repos=service.repos, scope=LIEN_MINH_SCOPE, kind="submission_returned")
    assert current["builtin"] is True
