"""A province's campaign templates, a commune's adoption of one, its period windows and its criteria sets, without
servers: submissions' own use cases and repositories on an in-memory database, the events its outbox relays read off
an in-process bus (thidua_platform.memory)."""

from __future__ import annotations

from datetime import datetime

import pytest

from submissions.domain.criteria import TARGET_GROUPS, CriteriaSetContent
from submissions.domain.periods import VIETNAM, default_periods
from submissions.service.adoption import adopt_template
from submissions.service.campaigns import PeriodWindow, get_campaign, list_campaigns, set_window
from submissions.service.criteria_sets import adapt_set, list_criteria_sets
from submissions.service.templates import NewTemplate, create_template, get_template, list_templates, publish_template
from thidua_contracts.submissions import CampaignPublished, CriteriaSetPublished
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.problems import Conflict, Forbidden, NotFound, Unprocessable

from .province import ADMIN, OFFICER, PROVINCE, SCOPE, STAFF, TEMPLATE, Province, fields, small_set, types

LATER = "tong-ket-2030"  # opens on 1 July 2030: its criteria may still be adapted


@pytest.fixture
async def province() -> Province:
    made = Province()
    await made.start()
    await made.events()
    return made


def adapted(group: str, ratio_points: float) -> CriteriaSetContent:
    """The province's set of the group, its ratio criterion's points moved (the assessment's the other way)."""
    base = small_set(group)
    ratio, assessment = base.criteria
    criteria = (
        ratio.model_copy(update={"max_points": ratio_points}),
        assessment.model_copy(update={"max_points": 100 - ratio_points}),
    )
    return base.model_copy(update={"criteria": criteria})


async def test_only_a_province_admin_makes_and_publishes_templates() -> None:
    province = Province()
    for someone in (OFFICER, STAFF):
        with pytest.raises(Forbidden):
            await create_template(repos=province.repos, principal=someone, request=TEMPLATE)

    template = await create_template(repos=province.repos, principal=ADMIN, request=TEMPLATE)
    assert (template["status"], template["province"], template["tenant"]) == ("draft", PROVINCE, None)
    assert await province.events() == []  # a draft is the province's own
    with pytest.raises(Conflict, match="cds-2025-2030"):
        await create_template(repos=province.repos, principal=ADMIN, request=TEMPLATE)
    with pytest.raises(Forbidden):
        await publish_template(repos=province.repos, principal=OFFICER, template_id=template["_id"])

    published = await publish_template(repos=province.repos, principal=ADMIN, template_id=template["_id"])

    assert published["status"] == "published"
    [event] = await province.events()
    announced = event.payload(CampaignPublished)
    assert (event.type, event.tenant, event.province) == (CampaignPublished.event_type, None, PROVINCE)
    assert (announced.campaign_id, announced.level) == (template["_id"], "province")
    assert [p.code for p in announced.periods] == [p.code for p in default_periods()]
    with pytest.raises(Conflict):
        await publish_template(repos=province.repos, principal=ADMIN, template_id=template["_id"])


async def test_a_template_needs_one_criteria_set_per_target_group() -> None:
    province = Province()
    request = NewTemplate(code="thieu-nhom", criteria_sets={"a": small_set("a"), "b": small_set("b")})

    with pytest.raises(Unprocessable) as refused:
        await create_template(repos=province.repos, principal=ADMIN, request=request)

    assert fields(refused.value) == ["criteria_sets"]
    assert await list_templates(repos=province.repos, principal=ADMIN) == []


async def test_communes_see_only_the_templates_their_province_published(province: Province) -> None:
    draft = await create_template(repos=province.repos, principal=ADMIN, request=NewTemplate(code="du-thao-2026"))

    seen = await list_templates(repos=province.repos, principal=OFFICER)

    assert [t["_id"] for t in seen] == [province.template_id]
    assert {t["_id"] for t in await list_templates(repos=province.repos, principal=ADMIN)} == {
        province.template_id,
        draft["_id"],
    }
    with pytest.raises(NotFound):
        await get_template(repos=province.repos, principal=OFFICER, template_id=draft["_id"])
    with pytest.raises(NotFound):  # nor adopt it
        await adopt_template(repos=province.repos, principal=OFFICER, scope=SCOPE, template_id=draft["_id"])


async def test_adopting_makes_the_communes_campaign_and_publishes_every_criteria_set(province: Province) -> None:
    campaign = await adopt_template(
        repos=province.repos, principal=OFFICER, scope=SCOPE, template_id=province.template_id
    )

    assert (campaign["tenant"], campaign["template_id"], campaign["adopted_by"]) == (
        LIEN_MINH,
        province.template_id,
        "u-officer",
    )
    events = await province.events()
    periods = [p.code for p in default_periods()]
    assert types(events) == sorted(
        [CampaignPublished.event_type] + [CriteriaSetPublished.event_type] * len(periods) * len(TARGET_GROUPS)
    )
    adopted = next(e for e in events if e.type == CampaignPublished.event_type).payload(CampaignPublished)
    assert (adopted.campaign_id, adopted.level, adopted.template_id) == (
        campaign["_id"],
        "commune",
        province.template_id,
    )
    sets = [e.payload(CriteriaSetPublished) for e in events if e.type == CriteriaSetPublished.event_type]
    assert {(s.period, s.target_group, s.version) for s in sets} == {
        (period, group, 1) for period in periods for group in TARGET_GROUPS
    }
    assert {e.tenant for e in events} == {LIEN_MINH}

    with pytest.raises(Conflict) as again:
        await adopt_template(repos=province.repos, principal=OFFICER, scope=SCOPE, template_id=province.template_id)
    assert again.value.extensions["existing_id"] == campaign["_id"]
    assert await province.events() == []
    assert [c["_id"] for c in await list_campaigns(repos=province.repos, scope=SCOPE)] == [campaign["_id"]]


async def test_a_commune_sets_a_periods_window_within_the_periods_year(province: Province) -> None:
    campaign = await adopt_template(
        repos=province.repos, principal=OFFICER, scope=SCOPE, template_id=province.template_id
    )
    outside = PeriodWindow(
        opens_at=datetime(2026, 12, 1, tzinfo=VIETNAM), closes_at=datetime(2027, 11, 30, tzinfo=VIETNAM)
    )
    with pytest.raises(Unprocessable) as refused:
        await set_window(
            repos=province.repos,
            principal=OFFICER,
            scope=SCOPE,
            campaign_id=campaign["_id"],
            period="2027",
            window=outside,
        )
    assert fields(refused.value) == ["opens_at"]
    with pytest.raises(NotFound):
        await set_window(
            repos=province.repos,
            principal=OFFICER,
            scope=SCOPE,
            campaign_id=campaign["_id"],
            period="2031",
            window=outside,
        )

    window = PeriodWindow(
        opens_at=datetime(2027, 2, 1, tzinfo=VIETNAM), closes_at=datetime(2028, 1, 15, tzinfo=VIETNAM)
    )
    await set_window(
        repos=province.repos, principal=OFFICER, scope=SCOPE, campaign_id=campaign["_id"], period="2027", window=window
    )

    stored = await get_campaign(repos=province.repos, scope=SCOPE, campaign_id=campaign["_id"])
    [period] = [p for p in stored["periods"] if p["code"] == "2027"]
    assert (period["opens_at"], period["closes_at"]) == (window.opens_at, window.closes_at)
    assert stored["audit"][-1]["action"] == "window_set"


async def test_criteria_adapted_before_the_period_opens_are_published_again(province: Province) -> None:
    campaign = await province.open_commune(OFFICER)
    await province.events()

    changed = await adapt_set(
        repos=province.repos,
        principal=OFFICER,
        scope=SCOPE,
        campaign_id=campaign["_id"],
        period=LATER,
        content=adapted("a", 63),
    )

    assert changed["version"] == 1  # no dossier used it: adapted in place
    [event] = await province.events()
    published = event.payload(CriteriaSetPublished)
    assert (event.type, published.criteria_set_id, published.version) == (
        CriteriaSetPublished.event_type,
        changed["_id"],
        1,
    )
    assert [(c.code, c.max_points) for c in published.criteria] == [("a1", 63), ("a2", 37)]
    [listed] = await list_criteria_sets(
        repos=province.repos, scope=SCOPE, campaign_id=campaign["_id"], period=LATER, group="a"
    )
    assert listed["content"]["criteria"][0]["max_points"] == 63


async def test_a_criteria_set_a_dossier_used_is_kept_and_the_adaptation_is_a_new_version(province: Province) -> None:
    campaign = await province.open_commune(OFFICER)
    [first] = await list_criteria_sets(
        repos=province.repos, scope=SCOPE, campaign_id=campaign["_id"], period=LATER, group="a"
    )
    await province.repos.criteria_sets.freeze(SCOPE, first["_id"], actor="u-officer", at=first["created_at"])
    await province.events()

    changed = await adapt_set(
        repos=province.repos,
        principal=OFFICER,
        scope=SCOPE,
        campaign_id=campaign["_id"],
        period=LATER,
        content=adapted("a", 58),
    )

    assert (changed["version"], changed["frozen"]) == (2, False)
    kept = await province.repos.criteria_sets.get(SCOPE, first["_id"])
    assert kept is not None
    assert kept["content"] == first["content"]
    [event] = await province.events()
    assert (event.payload(CriteriaSetPublished).version, event.subject) == (2, changed["_id"])


async def test_criteria_are_fixed_once_the_period_opens_and_kept_within_the_provinces_limits(
    province: Province,
) -> None:
    campaign = await province.open_commune(OFFICER)
    await province.events()

    with pytest.raises(Conflict, match="đã mở"):
        await adapt_set(
            repos=province.repos,
            principal=OFFICER,
            scope=SCOPE,
            campaign_id=campaign["_id"],
            period=province.period,
            content=adapted("a", 62),
        )
    with pytest.raises(Unprocessable, match="a1") as refused:  # ±5 points at most
        await adapt_set(
            repos=province.repos,
            principal=OFFICER,
            scope=SCOPE,
            campaign_id=campaign["_id"],
            period=LATER,
            content=adapted("a", 70),
        )
    assert fields(refused.value) == ["criteria"]
    assert await province.events() == []
