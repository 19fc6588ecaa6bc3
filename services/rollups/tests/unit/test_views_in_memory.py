"""What each reader sees of the read models, without servers (rollups.service.views): a commune's figures with its
ranks, the province's communes a page at a time, a commune's entrants paged, and how fresh it all is. The read
models are filled by the worker's own handlers and summary loop, in memory (memory_worker)."""

from __future__ import annotations

import math

import pytest

from rollups.service import views
from rollups.service.facts import apply_events
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.auth import Principal
from thidua_platform.lag import LagProbe
from thidua_platform.problems import Forbidden, NotFound

from .memory_worker import (
    DONG_HUNG,
    OFFICER,
    OTHER_OFFICER,
    OTHER_STAFF,
    PERIOD,
    PROVINCE,
    STAFF,
    YEN_THANG,
    Rollups,
    at,
    decided,
    event,
    finalised,
    index,
    person,
    submitted,
    withdrawn,
)

TAN_LAP = "ph-37-tan-lap"
ENTRANTS = [  # submission, entrant, final score (None: not final yet)
    ("s-1", person("e-1", "Thôn Đông Hưng"), 81.0),
    ("s-2", person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1"), 95.5),
    ("s-3", person("e-3", "Trường Mầm non", group="c"), None),
    ("s-4", person("e-4", "Hội Nông dân", group="b"), 81.0),
    ("s-5", person("e-5", "Ban Văn hóa", group="c"), None),
]


def probe(lag: int | None) -> LagProbe:
    """The consumer group's lag as Kafka last answered it, kept for ever: no broker is asked."""
    return LagProbe("kafka.invalid:9092", "rollups", (), cache_seconds=math.inf, _cached=(0.0, lag))


@pytest.fixture
async def rollups() -> Rollups:
    """Three communes: Liên Minh (mean 92, index 0.8), Yên Thắng (mean 71, index 0.9), Tân Lập (one dossier, not
    scored)."""
    made = Rollups()
    yen_thang = person("e-9", "Thôn Yên Thắng")
    await made.receive(
        event(submitted("s-1")),
        event(finalised("s-1", 92.0, "Xuất sắc")),
        event(decided("d-1", DONG_HUNG)),
        event(index(0.8)),
        event(submitted("s-2", person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1"))),
        event(submitted("s-9", yen_thang), tenant=YEN_THANG),
        event(finalised("s-9", 71.0, "Khá", yen_thang), tenant=YEN_THANG),
        event(index(0.9), tenant=YEN_THANG),
        event(submitted("s-7", person("e-7", "Thôn Tân Lập")), tenant=TAN_LAP),
    )
    await made.refresh()
    return made


async def test_a_commune_sees_its_figures_its_work_in_progress_and_its_ranks(rollups: Rollups) -> None:
    row = await views.commune(models=rollups.models, principal=OFFICER, tenant=LIEN_MINH, period=PERIOD)
    assert (row["commune"], row["scored"], row["average_score"], row["awards"]["total"]) == (LIEN_MINH, 1, 92.0, 1)
    assert (row["rank"], row["index_rank"]) == (1, 2)  # best mean score; Yên Thắng's index is higher
    assert row["in_progress"] == {
        "awaiting_score": 1,
        "candidates": 0,
        "returned": 0,
        "submitted": 2,
        "withdrawn": 0,
    }


async def test_province_staff_see_a_commune_without_its_work_in_progress(rollups: Rollups) -> None:
    row = await views.commune(models=rollups.models, principal=STAFF, tenant=YEN_THANG, period=PERIOD)
    assert (row["scored"], row["average_score"], row["rank"], row["index_rank"]) == (1, 71.0, 2, 1)
    assert row["in_progress"] is None


@pytest.mark.parametrize(
    ("principal", "tenant"),
    [
        pytest.param(OTHER_OFFICER, LIEN_MINH, id="another-communes-officer"),
        pytest.param(OTHER_STAFF, LIEN_MINH, id="another-provinces-staff"),
        pytest.param(STAFF, "ph-37-no-figures", id="a-commune-without-figures"),
    ],
)
async def test_a_commune_outside_the_readers_scope_or_without_figures_is_not_found(
    rollups: Rollups, principal: Principal, tenant: str
) -> None:
    with pytest.raises(NotFound):
        await views.commune(models=rollups.models, principal=principal, tenant=tenant, period=PERIOD)
    with pytest.raises(NotFound):
        await views.entrants(models=rollups.models, principal=principal, tenant=tenant, period=PERIOD, skip=0, limit=20)


async def test_the_province_ranks_every_commune_and_sends_one_page(rollups: Rollups) -> None:
    first = await views.province(models=rollups.models, principal=STAFF, code=PROVINCE, period=PERIOD, skip=0, limit=2)
    second = await views.province(models=rollups.models, principal=STAFF, code=PROVINCE, period=PERIOD, skip=2, limit=2)

    assert [(r["commune"], r["rank"], r["index_rank"]) for r in first["communes"]] == [
        (LIEN_MINH, 1, 2),
        (YEN_THANG, 2, 1),
    ]
    assert [(r["commune"], r["rank"], r["scored"]) for r in second["communes"]] == [(TAN_LAP, None, 0)]
    assert first["total"] == second["total"] == 3
    totals = first["totals"]
    assert (totals["scored"], totals["points"], totals["average_score"]) == (2, 163.0, 81.5)
    assert totals["in_progress"] is None  # province staff
    assert all(r["in_progress"] is None for r in first["communes"] + second["communes"])


async def test_communes_with_the_same_mean_share_a_rank(rollups: Rollups) -> None:
    tied = person("e-8", "Thôn Tân Lập")
    await rollups.receive(event(finalised("s-7", 92.0, "Xuất sắc", tied), tenant=TAN_LAP))
    await rollups.refresh()
    view = await views.province(models=rollups.models, principal=STAFF, code=PROVINCE, period=PERIOD, skip=0, limit=20)
    assert [(r["commune"], r["rank"]) for r in view["communes"]] == [(LIEN_MINH, 1), (TAN_LAP, 1), (YEN_THANG, 3)]


async def test_only_the_provinces_own_staff_see_its_communes(rollups: Rollups) -> None:
    for principal in (OTHER_STAFF, OFFICER):
        with pytest.raises(Forbidden):
            await views.province(
                models=rollups.models, principal=principal, code=PROVINCE, period=PERIOD, skip=0, limit=20
            )


async def test_all_periods_combine_with_a_mean_weighted_by_what_was_scored(rollups: Rollups) -> None:
    lan = person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1")
    await rollups.receive(
        event(submitted("s-20", lan, period="2026")),
        event(finalised("s-20", 80.0, "Tốt", lan, period="2026")),
        event(submitted("s-21", period="2026")),
        event(finalised("s-21", 60.0, "Đạt", period="2026")),
    )
    await rollups.refresh()
    row = await views.commune(models=rollups.models, principal=OFFICER, tenant=LIEN_MINH, period=None)
    # (92 + 80 + 60) / 3, not the mean of 92 and 70
    assert (row["scored"], row["average_score"], row["index"]) == (3, 77.33, None)
    assert row["grades"] == {"Tốt": 1, "Xuất sắc": 1, "Đạt": 1}


async def commune_with_five_entrants() -> Rollups:
    made = Rollups()
    for submission_id, who, total in ENTRANTS:
        await made.receive(event(submitted(submission_id, who)))
        if total is not None:
            await made.receive(event(finalised(submission_id, total, "Tốt", who)))
    await made.receive(event(decided("d-1", ENTRANTS[1][1], form="BANG_KHEN_TINH", level="province")))
    await made.refresh()
    return made


async def test_a_communes_entrants_best_score_first_a_page_at_a_time() -> None:
    rollups = await commune_with_five_entrants()

    async def page(skip: int, limit: int) -> tuple[list[tuple[object, ...]], int]:
        rows, total = await views.entrants(
            models=rollups.models, principal=OFFICER, tenant=LIEN_MINH, period=PERIOD, skip=skip, limit=limit
        )
        return [(r["submission_id"], r["total"], r["status"]) for r in rows], total

    # ties by name (Hội before Thôn), those without a final score last (Ban before Trường)
    assert await page(0, 3) == (
        [("s-2", 95.5, "submitted"), ("s-4", 81.0, "submitted"), ("s-1", 81.0, "submitted")],
        5,
    )
    assert await page(3, 3) == ([("s-5", None, "submitted"), ("s-3", None, "submitted")], 5)
    rows, _ = await views.entrants(
        models=rollups.models, principal=OFFICER, tenant=LIEN_MINH, period=PERIOD, skip=0, limit=1
    )
    assert rows[0]["awards"] == [{"award_form": "BANG_KHEN_TINH", "level": "province", "number": "d-1/QĐ-UBND"}]


async def test_province_staff_see_a_communes_finalised_entrants_only_without_status() -> None:
    rollups = await commune_with_five_entrants()
    await rollups.receive(event(withdrawn("s-4", ENTRANTS[3][1])))
    await rollups.refresh()
    rows, total = await views.entrants(
        models=rollups.models, principal=STAFF, tenant=LIEN_MINH, period=PERIOD, skip=0, limit=20
    )
    assert [(r["submission_id"], r["status"]) for r in rows] == [("s-2", None), ("s-1", None)]
    assert total == 2


async def test_a_periods_listing_shows_what_folding_the_facts_shows() -> None:
    """A period's page comes from the listing the summary loop wrote; all periods are folded from the facts."""
    rollups = await commune_with_five_entrants()
    for principal in (OFFICER, STAFF):
        listed = await views.entrants(
            models=rollups.models, principal=principal, tenant=LIEN_MINH, period=PERIOD, skip=1, limit=3
        )
        folded = await views.entrants(
            models=rollups.models, principal=principal, tenant=LIEN_MINH, period=None, skip=1, limit=3
        )
        assert listed == folded


async def test_freshness_tells_the_last_event_when_it_was_applied_the_lag_and_the_summaries_waiting() -> None:
    rollups = Rollups()
    assert await views.freshness(models=rollups.models, probe=probe(None)) == {
        "last_event_time": None,
        "last_applied_at": None,
        "lag": None,
        "pending_summaries": 0,
    }
    await apply_events(
        models=rollups.models,
        envelopes=[event(submitted("s-1"), minute=10), event(submitted("s-9"), tenant=YEN_THANG, minute=20)],
        now=at(30),
    )
    # an older event applied later moves neither moment back
    await apply_events(models=rollups.models, envelopes=[event(submitted("s-2"), minute=5)], now=at(25))

    assert await views.freshness(models=rollups.models, probe=probe(4)) == {
        "last_event_time": at(20),
        "last_applied_at": at(30),
        "lag": 4,
        "pending_summaries": 2,
    }
    await rollups.refresh()
    assert (await views.freshness(models=rollups.models, probe=probe(0)))["pending_summaries"] == 0
